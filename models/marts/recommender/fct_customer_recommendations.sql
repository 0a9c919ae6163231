with

ml_customer_recommendations as (
    select * from {{ ref('ml_customer_recommendations') }}
),

final as (
    select
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(list_name as {{ dbt.type_string() }}) as list_name,
        cast(recommendation_rank as integer) as recommendation_rank,
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        cast(product_description as {{ dbt.type_string() }}) as product_description,
        cast(score as double) as score,
        cast(method as {{ dbt.type_string() }}) as recommendation_method,  -- noqa: RF04
        cast(reason_code as {{ dbt.type_string() }}) as reason_code,
        cast(reason as {{ dbt.type_string() }}) as reason,
        cast(is_cold_start as boolean) as is_cold_start,
        cast(as_of_date as date) as as_of_date,
        cast(model_version as {{ dbt.type_string() }}) as model_version
    from ml_customer_recommendations
)

select * from final
