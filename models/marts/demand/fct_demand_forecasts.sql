-- One row per product and week ahead: the demand forecast with its prediction interval, from the
-- registered demand model.
with

forecasts as (

    select * from {{ ref('ml_demand_forecasts') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

forecasts_dated as (

    select
        forecasts.*,
        as_of_dates.as_of_date
    from forecasts
    cross join as_of_dates

),

final as (

    {{ select_contract_columns('forecasts_dated') }}

)

select * from final
