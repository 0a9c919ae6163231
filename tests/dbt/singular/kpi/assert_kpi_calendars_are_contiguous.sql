-- The KPI calendars run without a gap from the period of the first order in fct_orders to that of
-- the last: one row per month, and one per week, every week starting on a Monday. Returns one row
-- per calendar that breaks this.
with

orders as (

    select * from {{ ref('fct_orders') }}

),

fct_kpi_months as (

    select * from {{ ref('fct_kpi_months') }}

),

fct_kpi_weeks as (

    select * from {{ ref('fct_kpi_weeks') }}

),

order_dates_bounded as (

    select
        min(invoice_date) as first_order_date,
        max(invoice_date) as last_order_date
    from orders

),

calendars_summarised as (

    select
        'months' as calendar,
        min(month_start_date) as first_period_start_date,
        max(month_start_date) as last_period_start_date,
        cast({{ dbt.dateadd('month', 1, 'min(month_start_date)') }} as date)
            as first_period_end_date,
        cast({{ dbt.dateadd('month', 1, 'max(month_start_date)') }} as date)
            as last_period_end_date,
        count(*) as period_count,
        {{ dbt.datediff('min(month_start_date)', 'max(month_start_date)', 'month') }}
        + 1 as expected_period_count,
        0 as non_monday_count
    from fct_kpi_months

    union all

    select
        'weeks' as calendar,
        min(week_start_date) as first_period_start_date,
        max(week_start_date) as last_period_start_date,
        cast({{ dbt.dateadd('day', 7, 'min(week_start_date)') }} as date)
            as first_period_end_date,
        cast({{ dbt.dateadd('day', 7, 'max(week_start_date)') }} as date)
            as last_period_end_date,
        count(*) as period_count,
        {{ dbt.datediff('min(week_start_date)', 'max(week_start_date)', 'day') }}
        / 7 + 1 as expected_period_count,
        -- 2001-01-01 was a Monday.
        sum(
            case
                when
                    mod(
                        {{ dbt.datediff("cast('2001-01-01' as date)", 'week_start_date', 'day') }},
                        7
                    ) != 0
                    then 1
                else 0
            end
        ) as non_monday_count
    from fct_kpi_weeks

),

problems as (

    select calendars_summarised.*
    from calendars_summarised
    cross join order_dates_bounded
    where
        calendars_summarised.period_count != calendars_summarised.expected_period_count
        or calendars_summarised.non_monday_count > 0
        or order_dates_bounded.first_order_date < calendars_summarised.first_period_start_date
        or order_dates_bounded.first_order_date >= calendars_summarised.first_period_end_date
        or order_dates_bounded.last_order_date < calendars_summarised.last_period_start_date
        or order_dates_bounded.last_order_date >= calendars_summarised.last_period_end_date

)

select * from problems
