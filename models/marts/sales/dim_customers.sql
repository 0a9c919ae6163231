with

customers as (

    select * from {{ ref('int_customers_rfm_scored') }}

),

final as (

    select
        customer_id,
        country,
        first_order_at,
        last_order_at,
        recency_days,
        frequency,
        monetary,
        gross_revenue,
        recency_score,
        frequency_score,
        monetary_score,
        rfm_cell,
        rfm_segment,
        rfm_recommended_action,
        avg_order_value,
        avg_basket_size,
        distinct_products,
        tenure_days,
        mean_days_between_orders,
        weekend_order_share,
        return_rate,
        as_of_date
    from customers

)

select * from final
