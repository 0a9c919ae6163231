with

accounts as (

    select * from {{ ref('int_wholesale_accounts_featured') }}

),

channel_predictions as (

    select * from {{ ref('fct_channel_predictions') }}

),

segments as (

    select * from {{ ref('fct_wholesale_account_segments') }}

),

final as (

    select
        accounts.*,
        channel_predictions.predicted_channel,
        channel_predictions.probability_retail,
        channel_predictions.confidence_level as channel_confidence_level,
        channel_predictions.is_label_disagreement as is_channel_label_disagreement,
        channel_predictions.marketing_strategy as channel_marketing_strategy,
        channel_predictions.model_version as channel_model_version,
        segments.segment_id as spend_segment_id,
        segments.segment_name as spend_segment_name,
        segments.marketing_action as spend_segment_action
    from accounts
    left join channel_predictions
        on accounts.account_id = channel_predictions.account_id
    left join segments
        on accounts.account_id = segments.account_id

)

select * from final
