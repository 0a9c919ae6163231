-- Incremental on purpose: one row per build and model, appended by every build, so the history
-- of which build trained a model and which only reused it (retrain var) is kept.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
) }}

with

ml_channel_model as (

    select * from {{ ref('ml_channel_model') }}

),

ml_retail_segment_model as (

    select * from {{ ref('ml_retail_segment_model') }}

),

ml_wholesale_segment_model as (

    select * from {{ ref('ml_wholesale_segment_model') }}

),

ml_recommender_model as (

    select * from {{ ref('ml_recommender_model') }}

),

ml_lifecycle_model as (

    select * from {{ ref('ml_lifecycle_model') }}

),

ml_demand_model as (

    select * from {{ ref('ml_demand_model') }}

),

ml_price_elasticity_model as (

    select * from {{ ref('ml_price_elasticity_model') }}

),

ml_anomaly_model as (

    select * from {{ ref('ml_anomaly_model') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

models_unioned as (
    {%- for trainer in [
        'ml_channel_model',
        'ml_retail_segment_model',
        'ml_wholesale_segment_model',
        'ml_recommender_model',
        'ml_lifecycle_model',
        'ml_demand_model',
        'ml_price_elasticity_model',
        'ml_anomaly_model',
    ] %}
        {{ 'union all' if not loop.first }}
        select
            model_name,
            model_version,
            build_action,
            build_action_reason
        from {{ trainer }}
    {%- endfor %}

),

builds as (

    select
        models_unioned.*,
        as_of_dates.as_of_date,
        '{{ invocation_id }}' as invocation_id,
        '{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as built_at
    from models_unioned
    cross join as_of_dates

),

final as (

    {{ select_contract_columns('builds') }}

)

select * from final
