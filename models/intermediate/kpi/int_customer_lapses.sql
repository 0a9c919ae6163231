-- Each time a customer lapses: the period (month, week) that completes reactivation_lapse_periods
-- periods without an order after one of their active periods (a quarter: 3 months, 13 weeks).
-- A customer who comes back afterwards is reactivated in the period they return, so every
-- reactivation follows one lapse. Lapses that would complete after the last period of the KPI
-- calendar have not happened yet and are not listed.
with

customer_periods as (

    select * from {{ ref('int_customer_periods_classified') }}

),

periods as (

    select * from {{ ref('int_kpi_periods_generated') }}

),

active_periods_sequenced as (

    select
        customer_periods.period_grain,
        customer_periods.customer_id,
        customer_periods.period_start_date,
        periods.period_number,
        periods.reactivation_lapse_periods,
        lead(periods.period_number) over (
            partition by customer_periods.period_grain, customer_periods.customer_id
            order by periods.period_number
        ) as next_active_period_number,
        lead(customer_periods.period_start_date) over (
            partition by customer_periods.period_grain, customer_periods.customer_id
            order by periods.period_number
        ) as next_active_period_start_date
    from customer_periods
    inner join periods
        on
            customer_periods.period_grain = periods.period_grain
            and customer_periods.period_start_date = periods.period_start_date

),

lapses_started as (

    select * from active_periods_sequenced
    where
        next_active_period_number is null
        or next_active_period_number - period_number > reactivation_lapse_periods

),

final as (

    select
        lapses_started.period_grain,
        lapsed_periods.period_start_date as lapsed_period_start_date,
        lapses_started.customer_id,
        lapses_started.period_start_date as last_active_period_start_date,
        lapses_started.next_active_period_start_date as returned_period_start_date,
        lapsed_periods.is_complete_period
    from lapses_started
    inner join periods as lapsed_periods
        on
            lapses_started.period_grain = lapsed_periods.period_grain
            and lapses_started.period_number + lapses_started.reactivation_lapse_periods
            = lapsed_periods.period_number

)

select * from final
