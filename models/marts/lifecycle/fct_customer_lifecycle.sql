-- One row per customer with a purchase before as_of_date: lifecycle scores, their bands and the
-- retention action of the playbook cell, with the value at stake (CLV x churn probability).
with

scores as (

    select * from {{ ref('ml_customer_lifecycle') }}

),

playbook as (

    select * from {{ ref('retention_playbook') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

scores_ranked as (

    select
        *,
        percent_rank() over (order by clv desc) as clv_rank_share,
        {{ var('lifecycle_high_value_share') }} as high_value_cut,
        {{ var('lifecycle_high_value_share') }}
        + {{ var('lifecycle_medium_value_share') }} as medium_value_cut
    from scores

),

scores_banded as (

    select
        *,
        case
            when churn_probability >= {{ var('lifecycle_high_risk_probability') }} then 'high'
            when churn_probability >= {{ var('lifecycle_medium_risk_probability') }} then 'medium'
            else 'low'
        end as churn_risk_band,
        case
            when clv_rank_share < high_value_cut then 'high'
            when clv_rank_share < medium_value_cut then 'medium'
            else 'low'
        end as value_band
    from scores_ranked

),

final as (

    select
        scores_banded.customer_id,
        scores_banded.churn_probability,
        scores_banded.churn_risk_band,
        scores_banded.p_alive,
        scores_banded.horizon_days,
        scores_banded.expected_purchases_horizon,
        scores_banded.expected_purchases_365d,
        scores_banded.expected_order_value,
        scores_banded.clv,
        scores_banded.value_band,
        scores_banded.clv * scores_banded.churn_probability as value_at_stake,
        playbook.retention_action,
        playbook.action_priority,
        scores_banded.churn_method,
        scores_banded.lifecycle_model_version,
        as_of_dates.as_of_date
    from scores_banded
    left join playbook
        on
            scores_banded.churn_risk_band = playbook.churn_risk_band
            and scores_banded.value_band = playbook.value_band
    cross join as_of_dates

)

select * from final
