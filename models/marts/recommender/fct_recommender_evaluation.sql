with

ml_recommender_evaluation as (
    select * from {{ ref('ml_recommender_evaluation') }}
),

final as (
    select
        cast(as_of_date as date) as as_of_date,
        cast(cutoff_days_before as integer) as cutoff_days_before,
        cast(cutoff_date as date) as cutoff_date,
        cast(validation_start_date as date) as validation_start_date,
        cast(test_end_date as date) as test_end_date,
        cast(method as {{ dbt.type_string() }}) as recommendation_method,  -- noqa: RF04
        cast(task as {{ dbt.type_string() }}) as task,  -- noqa: RF04
        cast(metric as {{ dbt.type_string() }}) as metric,
        cast(k as integer) as k,
        cast(metric_value as double) as metric_value,
        cast(validation_ndcg as double) as validation_ndcg,
        cast(is_baseline as boolean) as is_baseline,
        cast(is_selected as boolean) as is_selected,
        cast(parameters_json as {{ dbt.type_string() }}) as parameters_json
    from ml_recommender_evaluation
)

select * from final
