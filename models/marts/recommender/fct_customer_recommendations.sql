with

ml_customer_recommendations as (
    select * from {{ ref('ml_customer_recommendations') }}
),

final as (
    select
        cast(customer_id as varchar) as customer_id,
        cast(list_name as varchar) as list_name,
        cast(recommendation_rank as integer) as recommendation_rank,
        cast(product_id as varchar) as product_id,
        cast(product_description as varchar) as product_description,
        cast(score as double) as score,
        cast(method as varchar) as recommendation_method,  -- noqa: RF04
        cast(reason_code as varchar) as reason_code,
        cast(reason as varchar) as reason,
        cast(is_cold_start as boolean) as is_cold_start,
        cast(as_of_date as date) as as_of_date,
        cast(model_version as varchar) as model_version
    from ml_customer_recommendations
)

select * from final
