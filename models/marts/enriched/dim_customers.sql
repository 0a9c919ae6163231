with

customers as (

    select * from {{ ref('int_customers_rfm_scored') }}

),

segments as (

    select * from {{ ref('fct_customer_segments') }}

),

recommendations as (

    select * from {{ ref('fct_customer_top_recommendations') }}

),

lifecycle as (

    select * from {{ ref('fct_customer_lifecycle') }}

),

final as (

    select
        customers.customer_id,
        customers.country,
        customers.first_order_at,
        customers.last_order_at,
        customers.recency_days,
        customers.frequency,
        customers.monetary,
        customers.gross_revenue,
        customers.recency_score,
        customers.frequency_score,
        customers.monetary_score,
        customers.rfm_cell,
        customers.rfm_segment,
        customers.rfm_recommended_action,
        segments.segment_id as behaviour_segment_id,
        segments.segment_name as behaviour_segment_name,
        segments.marketing_action as behaviour_segment_action,
        segments.is_segment_outlier as is_behaviour_segment_outlier,
        recommendations.recommended_product_1_id,
        recommendations.recommended_product_1_reason,
        recommendations.recommended_product_2_id,
        recommendations.recommended_product_3_id,
        recommendations.recommended_new_product_1_id,
        recommendations.recommended_new_product_1_reason,
        recommendations.recommended_new_product_2_id,
        recommendations.recommended_new_product_3_id,
        lifecycle.churn_probability,
        lifecycle.churn_risk_band,
        lifecycle.p_alive,
        lifecycle.expected_purchases_horizon,
        lifecycle.expected_purchases_365d,
        lifecycle.clv,
        lifecycle.value_band,
        lifecycle.value_at_stake,
        lifecycle.retention_action,
        customers.avg_order_value,
        customers.avg_basket_size,
        customers.distinct_products,
        customers.tenure_days,
        customers.mean_days_between_orders,
        customers.weekend_order_share,
        customers.return_rate,
        customers.as_of_date
    from customers
    left join segments
        on customers.customer_id = segments.customer_id
    left join recommendations
        on customers.customer_id = recommendations.customer_id
    left join lifecycle
        on customers.customer_id = lifecycle.customer_id

)

select * from final
