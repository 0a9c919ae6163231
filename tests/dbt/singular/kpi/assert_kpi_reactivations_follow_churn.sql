-- Every reactivation follows a churn: per grain and period, the customers reactivated there are
-- exactly those whose lapse ended by returning in that period, and each lapse lies strictly
-- between the customer's last active period and their return. Returns one row per period or
-- lapse that breaks this.
with

kpi_periods as (

    select * from {{ ref('int_kpi_periods_aggregated') }}

),

lapses as (

    select * from {{ ref('int_customer_lapses') }}

),

returns_aggregated_to_periods as (

    select
        period_grain,
        returned_period_start_date as period_start_date,
        count(*) as returned_customers
    from lapses
    where returned_period_start_date is not null
    group by 1, 2

),

periods_compared as (

    select
        kpi_periods.period_grain,
        kpi_periods.period_start_date,
        kpi_periods.reactivated_customers,
        coalesce(period_returns.returned_customers, 0) as returned_customers
    from kpi_periods
    left join returns_aggregated_to_periods as period_returns
        on
            kpi_periods.period_grain = period_returns.period_grain
            and kpi_periods.period_start_date = period_returns.period_start_date

),

lapses_out_of_order as (

    select
        period_grain,
        lapsed_period_start_date as period_start_date,
        customer_id
    from lapses
    where
        lapsed_period_start_date <= last_active_period_start_date
        or returned_period_start_date <= lapsed_period_start_date

),

final as (

    select
        period_grain,
        period_start_date,
        cast(null as {{ dbt.type_string() }}) as customer_id,
        'reactivated customers differ from returns after a lapse' as failure
    from periods_compared
    where reactivated_customers != returned_customers

    union all

    select
        period_grain,
        period_start_date,
        customer_id,
        'lapse not between the last active period and the return' as failure
    from lapses_out_of_order

)

select * from final
