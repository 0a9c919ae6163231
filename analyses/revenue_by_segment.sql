-- Revenue, customers and average order value per RFM segment, best segments first: the first
-- table a marketer asks for.
with

customers as (

    select * from {{ ref('dim_customers') }}

),

segments as (

    select * from {{ ref('rfm_segments') }}

),

customers_aggregated_to_segments as (

    select
        rfm_segment,
        count(*) as customers,
        sum(monetary) as net_revenue,
        sum(frequency) as orders
    from customers
    group by 1

),

final as (

    select
        segments.segment_order,
        aggregated.rfm_segment,
        aggregated.customers,
        round(aggregated.net_revenue, 2) as net_revenue,
        round(aggregated.net_revenue / sum(aggregated.net_revenue) over (), 4) as revenue_share,
        round(aggregated.net_revenue / aggregated.orders, 2) as avg_order_value,
        segments.recommended_action
    from customers_aggregated_to_segments as aggregated
    inner join segments
        on aggregated.rfm_segment = segments.rfm_segment

)

select * from final
order by 1
