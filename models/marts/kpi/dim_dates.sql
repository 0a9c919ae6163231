-- One row per day of the KPI calendar's months: the date table of BI models and the time spine
-- of the semantic layer (MetricFlow), with the month and ISO week each day belongs to.
with

periods as (

    select * from {{ ref('int_kpi_periods_generated') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

months as (

    select * from periods
    where period_grain = 'month'

),

day_offsets as (

    select cast(generated_number as integer) - 1 as day_offset
    from ({{ dbt.generate_series(31) }}) as generated_numbers

),

days_generated as (

    select
        cast({{ dbt.dateadd('day', 'day_offsets.day_offset', 'months.period_start_date') }} as date)
            as date_day,
        months.period_start_date as month_start_date,
        months.next_period_start_date
    from months
    cross join day_offsets

),

final as (

    select
        days_generated.date_day,
        days_generated.month_start_date,
        cast({{ dbt.date_trunc('week', 'days_generated.date_day') }} as date) as week_start_date,
        cast(extract(year from days_generated.date_day) as integer) as year_number,
        cast(extract(month from days_generated.date_day) as integer) as month_number,
        days_generated.date_day < as_of_dates.as_of_date as is_before_as_of_date
    from days_generated
    cross join as_of_dates
    where days_generated.date_day < days_generated.next_period_start_date

)

select * from final
