-- The KPIs of every period (month, week) of the KPI calendar, from the customer-activity base
-- and the screened input rows; fct_kpi_months and fct_kpi_weeks publish one grain each.
with

periods as (

    select * from {{ ref('int_kpi_periods_generated') }}

),

customer_periods as (

    select * from {{ ref('int_customer_periods_classified') }}

),

lapses as (

    select * from {{ ref('int_customer_lapses') }}

),

screened as (

    select * from {{ ref('int_transactions_screened') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

customer_periods_aggregated_to_periods as (

    select
        period_grain,
        period_start_date,
        sum(order_count) as order_count,
        sum(gross_amount) as gross_amount,
        sum(cancelled_amount) as cancelled_amount,
        sum(net_amount) as net_amount,
        count(*) as active_customers,
        sum(case when is_new_customer then 1 else 0 end) as new_customers,
        sum(case when is_returning_customer then 1 else 0 end) as returning_customers,
        sum(case when is_retained_customer then 1 else 0 end) as retained_customers,
        sum(case when is_reactivated_customer then 1 else 0 end) as reactivated_customers
    from customer_periods
    group by 1, 2

),

lapses_aggregated_to_periods as (

    select
        period_grain,
        lapsed_period_start_date as period_start_date,
        count(*) as churned_customers
    from lapses
    group by 1, 2

),

-- Input rows dated before as_of_date: a row without a readable date has no period, and rows on or
-- after as_of_date are not known on the day the build stands on.
input_rows_aggregated_to_dates as (

    select
        screened.invoice_date,
        count(*) as input_rows,
        sum(
            case
                when screened.screening_reason is null and screened.line_role = 'sale' then 1
                else 0
            end
        ) as kept_rows
    from screened
    inner join as_of_dates
        on screened.invoice_date < as_of_dates.as_of_date
    group by 1

),

input_rows_aggregated_to_periods as (

    select
        periods.period_grain,
        periods.period_start_date,
        sum(input_dates.input_rows) as input_rows,
        sum(input_dates.kept_rows) as kept_rows
    from input_rows_aggregated_to_dates as input_dates
    inner join periods
        on
            input_dates.invoice_date >= periods.period_start_date
            and input_dates.invoice_date < periods.next_period_start_date
    group by 1, 2

),

final as (

    select
        periods.period_grain,
        periods.period_start_date,
        periods.is_complete_period,
        cast(coalesce(activity.net_amount, 0) as {{ type_double() }}) as net_revenue,
        cast(coalesce(activity.gross_amount, 0) as {{ type_double() }}) as gross_revenue,
        cast(coalesce(activity.cancelled_amount, 0) as {{ type_double() }}) as cancelled_amount,
        cast(coalesce(activity.order_count, 0) as integer) as order_count,
        cast(
            {{ round_double(
                'cast(activity.net_amount as ' ~ type_double() ~ ')'
                ~ ' / nullif(activity.order_count, 0)',
                2,
            ) }} as {{ type_double() }}
        ) as avg_order_value,
        cast(coalesce(activity.active_customers, 0) as integer) as active_customers,
        cast(coalesce(activity.new_customers, 0) as integer) as new_customers,
        cast(coalesce(activity.returning_customers, 0) as integer) as returning_customers,
        cast(coalesce(activity.retained_customers, 0) as integer) as retained_customers,
        cast(coalesce(activity.reactivated_customers, 0) as integer) as reactivated_customers,
        cast(coalesce(churn.churned_customers, 0) as integer) as churned_customers,
        cast(
            cast(activity.cancelled_amount as {{ type_double() }})
            / nullif(activity.gross_amount, 0) as {{ type_double() }}
        ) as cancellation_share,
        cast(coalesce(inputs.input_rows, 0) as integer) as input_rows,
        cast(coalesce(inputs.input_rows - inputs.kept_rows, 0) as integer)
            as rejected_rows,
        cast(
            cast(inputs.input_rows - inputs.kept_rows as {{ type_double() }})
            / nullif(inputs.input_rows, 0) as {{ type_double() }}
        ) as reject_share,
        as_of_dates.as_of_date
    from periods
    left join customer_periods_aggregated_to_periods as activity
        on
            periods.period_grain = activity.period_grain
            and periods.period_start_date = activity.period_start_date
    left join lapses_aggregated_to_periods as churn
        on
            periods.period_grain = churn.period_grain
            and periods.period_start_date = churn.period_start_date
    left join input_rows_aggregated_to_periods as inputs
        on
            periods.period_grain = inputs.period_grain
            and periods.period_start_date = inputs.period_start_date
    cross join as_of_dates

)

select * from final
