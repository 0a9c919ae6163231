with

ml_recommender_cold_start as (
    select * from {{ ref('ml_recommender_cold_start') }}
),

final as (
    select
        cast(recommendation_rank as integer) as recommendation_rank,
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        cast(product_description as {{ dbt.type_string() }}) as product_description,
        cast(score as double) as score,
        cast(method as {{ dbt.type_string() }}) as recommendation_method,  -- noqa: RF04
        cast(reason_code as {{ dbt.type_string() }}) as reason_code,
        cast(reason as {{ dbt.type_string() }}) as reason,
        cast(as_of_date as date) as as_of_date
    from ml_recommender_cold_start
)

select * from final
