-- Incremental on purpose: each build's trained models are appended when their version is new, so
-- rebuilding never wipes history and an unchanged model keeps its first trained_at.
{{ config(
    materialized='incremental',
    on_schema_change='fail',
) }}

with

channel as (

    select * from {{ ref('ml_channel_model_registry_current') }}

),

segmentation as (

    select * from {{ ref('ml_segmentation_model_registry_current') }}

),

recommender as (

    select * from {{ ref('ml_recommender_model_registry_current') }}

),

unioned as (

    select * from channel
    union all
    select * from segmentation
    union all
    select * from recommender

),

final as (

    select
        cast(model_name as {{ dbt.type_string() }}) as model_name,
        cast(model_version as {{ dbt.type_string() }}) as model_version,
        cast(trained_at as {{ dbt.type_timestamp() }}) as trained_at,
        cast(as_of_date as date) as as_of_date,
        cast(algorithm as {{ dbt.type_string() }}) as algorithm,
        cast(training_data_hash as {{ dbt.type_string() }}) as training_data_hash,
        cast(training_rows as {{ dbt.type_bigint() }}) as training_rows,
        cast(parameters_json as {{ dbt.type_string() }}) as parameters_json,
        cast(metrics_json as {{ dbt.type_string() }}) as metrics_json,
        cast(library_versions_json as {{ dbt.type_string() }}) as library_versions_json,
        cast(artefact_format as {{ dbt.type_string() }}) as artefact_format,
        cast(artefact as {{ dbt.type_string() }}) as artefact
    from unioned
    {% if is_incremental() %}
        where model_version not in (select registered.model_version from {{ this }} as registered)
    {% endif %}

)

select * from final
