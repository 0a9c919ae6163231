-- How the rule-based RFM segments spread over the KMeans behavioural segments.
with

customers as (

    select * from {{ ref('dim_customers') }}

),

final as (

    select
        rfm_segment,
        behaviour_segment_name,
        count(*) as customers,
        round(sum(monetary), 2) as net_revenue
    from customers
    group by 1, 2

)

select * from final
order by 1 asc, 3 desc
