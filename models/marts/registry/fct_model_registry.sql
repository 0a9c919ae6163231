-- Incremental on purpose: each build's trained models are appended when their version is new, so
-- rebuilding never wipes history and an unchanged model keeps its first trained_at.
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

models_unioned as (

    select * from ml_channel_model
    union all
    select * from ml_retail_segment_model
    union all
    select * from ml_wholesale_segment_model
    union all
    select * from ml_recommender_model
    union all
    select * from ml_lifecycle_model
    union all
    select * from ml_demand_model
    union all
    select * from ml_price_elasticity_model
    union all
    select * from ml_anomaly_model

),

final as (

    {{ select_contract_columns('models_unioned') }}
    {% if is_incremental() %}
        where model_version not in (select registered.model_version from {{ this }} as registered)
    {% endif %}

)

select * from final
