-- One row per wholesale account: the channel classifier's call, its confidence and reasons, and
-- the playbook action for the predicted channel.
with

ml_channel_predictions as (

    select * from {{ ref('ml_channel_predictions') }}

),

int_wholesale_accounts_featured as (

    select * from {{ ref('int_wholesale_accounts_featured') }}

),

channel_playbook as (

    select * from {{ ref('channel_playbook') }}

),

predictions_with_playbook as (

    select
        ml_channel_predictions.*,
        int_wholesale_accounts_featured.spend_robust_z_max,
        int_wholesale_accounts_featured.is_spend_outlier,
        channel_playbook.marketing_strategy,
        channel_playbook.account_manager_type,
        channel_playbook.product_focus,
        channel_playbook.pricing_tier
    from ml_channel_predictions
    inner join int_wholesale_accounts_featured
        on ml_channel_predictions.account_id = int_wholesale_accounts_featured.account_id
    left join channel_playbook
        on ml_channel_predictions.predicted_channel = channel_playbook.channel

),

final as (

    {{ select_contract_columns('predictions_with_playbook') }}

)

select * from final
