-- One row per model stage and probability bin: the selected model's reliability curve.
with

calibration_bins as (

    select * from {{ ref('ml_channel_calibration_bins') }}

),

final as (

    select
        cast(calibration_bins.candidate as {{ dbt.type_string() }}) as candidate,
        cast(calibration_bins.model_stage as {{ dbt.type_string() }}) as model_stage,
        cast(calibration_bins.bin_index as integer) as bin_index,
        cast(calibration_bins.bin_lower as double) as bin_lower,
        cast(calibration_bins.bin_upper as double) as bin_upper,
        cast(calibration_bins.prediction_count as integer) as prediction_count,
        cast(
            calibration_bins.mean_predicted_probability as double
        ) as mean_predicted_probability,
        cast(calibration_bins.observed_retail_rate as double) as observed_retail_rate,
        cast(calibration_bins.model_version as {{ dbt.type_string() }}) as model_version
    from calibration_bins

)

select * from final
