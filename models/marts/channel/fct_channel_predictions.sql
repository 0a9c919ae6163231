-- One row per wholesale account: the channel classifier's call, its confidence and reasons, and
-- the playbook action for the predicted channel.
with

predictions as (

    select * from {{ ref('ml_channel_predictions') }}

),

channel_playbook as (

    select * from {{ ref('channel_playbook') }}

),

final as (

    select
        cast(predictions.account_id as integer) as account_id,
        cast(predictions.predicted_channel as {{ dbt.type_string() }}) as predicted_channel,
        cast(predictions.probability_horeca as double) as probability_horeca,
        cast(predictions.probability_retail as double) as probability_retail,
        cast(predictions.decision_threshold as double) as decision_threshold,
        cast(predictions.confidence_level as {{ dbt.type_string() }}) as confidence_level,
        cast(predictions.top_feature_1_name as {{ dbt.type_string() }}) as top_feature_1_name,
        cast(predictions.top_feature_1_contribution as double) as top_feature_1_contribution,
        cast(predictions.top_feature_1_spend as double) as top_feature_1_spend,
        cast(predictions.top_feature_2_name as {{ dbt.type_string() }}) as top_feature_2_name,
        cast(predictions.top_feature_2_contribution as double) as top_feature_2_contribution,
        cast(predictions.top_feature_2_spend as double) as top_feature_2_spend,
        cast(predictions.top_feature_3_name as {{ dbt.type_string() }}) as top_feature_3_name,
        cast(predictions.top_feature_3_contribution as double) as top_feature_3_contribution,
        cast(predictions.top_feature_3_spend as double) as top_feature_3_spend,
        cast(predictions.contribution_unit as {{ dbt.type_string() }}) as contribution_unit,
        cast(predictions.spend_robust_z_max as double) as spend_robust_z_max,
        cast(predictions.is_spend_outlier as boolean) as is_spend_outlier,
        cast(predictions.channel_label as {{ dbt.type_string() }}) as channel_label,
        cast(predictions.is_labelled as boolean) as is_labelled,
        cast(predictions.is_label_disagreement as boolean) as is_label_disagreement,
        cast(channel_playbook.marketing_strategy as {{ dbt.type_string() }}) as marketing_strategy,
        cast(channel_playbook.account_manager_type as {{ dbt.type_string() }})
            as account_manager_type,
        cast(channel_playbook.product_focus as {{ dbt.type_string() }}) as product_focus,
        cast(channel_playbook.pricing_tier as {{ dbt.type_string() }}) as pricing_tier,
        cast(predictions.model_version as {{ dbt.type_string() }}) as model_version
    from predictions
    left join channel_playbook
        on predictions.predicted_channel = channel_playbook.channel

)

select * from final
