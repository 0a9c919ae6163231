with

ml_recommender_cold_start as (
    select * from {{ ref('ml_recommender_cold_start') }}
),

final as (
    select
        cast(recommendation_rank as integer) as recommendation_rank,
        cast(product_id as varchar) as product_id,
        cast(product_description as varchar) as product_description,
        cast(score as double) as score,
        cast(method as varchar) as recommendation_method,  -- noqa: RF04
        cast(reason_code as varchar) as reason_code,
        cast(reason as varchar) as reason,
        cast(as_of_date as date) as as_of_date
    from ml_recommender_cold_start
)

select * from final
