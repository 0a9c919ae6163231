-- Monthly cohorts by month of first order: for each cohort and each month since, how many of its
-- customers ordered and what they spent. Every month up to the last month of the KPI calendar
-- has a row, months when nobody of the cohort ordered included.
with

customer_periods as (

    select * from {{ ref('int_customer_periods_classified') }}

),

periods as (

    select * from {{ ref('int_kpi_periods_generated') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

customer_months as (

    select * from customer_periods
    where period_grain = 'month'

),

months as (

    select * from periods
    where period_grain = 'month'

),

customer_months_aggregated_to_cohorts as (

    select
        first_period_start_date as cohort_month_start_date,
        period_start_date as month_start_date,
        count(*) as active_customers,
        sum(net_amount) as net_amount
    from customer_months
    group by 1, 2

),

cohorts_sized as (

    select
        cohort_month_start_date,
        active_customers as cohort_size
    from customer_months_aggregated_to_cohorts
    where month_start_date = cohort_month_start_date

),

cohort_months_listed as (

    select
        cohorts_sized.cohort_month_start_date,
        cohorts_sized.cohort_size,
        activity_months.period_start_date as month_start_date,
        activity_months.is_complete_period as is_complete_month,
        activity_months.period_number - cohort_months.period_number as months_since_first_order
    from cohorts_sized
    inner join months as cohort_months
        on cohorts_sized.cohort_month_start_date = cohort_months.period_start_date
    inner join months as activity_months
        on cohort_months.period_number <= activity_months.period_number

),

final as (

    select
        cohort_months_listed.cohort_month_start_date,
        cast(cohort_months_listed.months_since_first_order as integer)
            as months_since_first_order,
        cohort_months_listed.month_start_date,
        cohort_months_listed.is_complete_month,
        cast(cohort_months_listed.cohort_size as integer) as cohort_size,
        cast(coalesce(cohort_activity.active_customers, 0) as integer) as active_customers,
        cast(
            cast(coalesce(cohort_activity.active_customers, 0) as {{ type_double() }})
            / cohort_months_listed.cohort_size as {{ type_double() }}
        ) as retention_share,
        cast(coalesce(cohort_activity.net_amount, 0) as {{ type_double() }}) as net_revenue,
        as_of_dates.as_of_date
    from cohort_months_listed
    left join customer_months_aggregated_to_cohorts as cohort_activity
        on
            cohort_months_listed.cohort_month_start_date
            = cohort_activity.cohort_month_start_date
            and cohort_months_listed.month_start_date = cohort_activity.month_start_date
    cross join as_of_dates

)

select * from final
