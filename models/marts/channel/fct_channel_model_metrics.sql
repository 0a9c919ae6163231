-- One row per candidate, model stage and metric of the channel classifier's cross-validation.
with

model_metrics as (

    select * from {{ ref('ml_channel_model_metrics') }}

),

final as (

    select
        cast(model_metrics.candidate as {{ dbt.type_string() }}) as candidate,
        cast(model_metrics.model_stage as {{ dbt.type_string() }}) as model_stage,
        cast(model_metrics.metric as {{ dbt.type_string() }}) as metric,
        cast(model_metrics.metric_mean as double) as metric_mean,
        cast(model_metrics.metric_std as double) as metric_std,
        cast(model_metrics.aggregated_over as {{ dbt.type_string() }}) as aggregated_over,
        cast(model_metrics.evaluation_count as integer) as evaluation_count,
        cast(model_metrics.is_selected as boolean) as is_selected,
        cast(model_metrics.selection_metric as {{ dbt.type_string() }}) as selection_metric,
        cast(model_metrics.fit_seconds_mean as double) as fit_seconds_mean,
        cast(model_metrics.fit_seconds_std as double) as fit_seconds_std,
        cast(model_metrics.model_version as {{ dbt.type_string() }}) as model_version
    from model_metrics

)

select * from final
