-- The customer-activity base of the KPI marts, built once for both grains: each customer in each
-- period (month, week) in which they ordered, with their orders and amounts there and whether
-- they were new, returning, retained or reactivated. An order belongs to the period of its
-- invoice date; its cancellations stay with it (amounts as in fct_orders).
with

orders as (

    select * from {{ ref('int_orders_aggregated') }}

),

periods as (

    select * from {{ ref('int_kpi_periods_generated') }}

),

orders_aggregated_to_customer_periods as (

    select
        periods.period_grain,
        periods.period_start_date,
        periods.period_number,
        periods.reactivation_lapse_periods,
        orders.customer_id,
        count(*) as order_count,
        sum(orders.gross_amount) as gross_amount,
        sum(orders.cancelled_amount) as cancelled_amount,
        sum(orders.net_amount) as net_amount
    from orders
    inner join periods
        on
            orders.invoice_date >= periods.period_start_date
            and orders.invoice_date < periods.next_period_start_date
    group by 1, 2, 3, 4, 5

),

customer_periods_sequenced as (

    select
        *,
        min(period_start_date) over (
            partition by period_grain, customer_id
        ) as first_period_start_date,
        min(period_number) over (
            partition by period_grain, customer_id
        ) as first_period_number,
        lag(period_start_date) over (
            partition by period_grain, customer_id order by period_number
        ) as prior_active_period_start_date,
        lag(period_number) over (
            partition by period_grain, customer_id order by period_number
        ) as prior_active_period_number
    from orders_aggregated_to_customer_periods

),

final as (

    select
        period_grain,
        period_start_date,
        customer_id,
        first_period_start_date,
        prior_active_period_start_date,
        cast(period_number - first_period_number as integer) as periods_since_first_order,
        cast(order_count as integer) as order_count,
        gross_amount,
        cancelled_amount,
        net_amount,
        prior_active_period_number is null as is_new_customer,
        prior_active_period_number is not null as is_returning_customer,
        coalesce(prior_active_period_number = period_number - 1, false) as is_retained_customer,
        coalesce(
            period_number - prior_active_period_number > reactivation_lapse_periods, false
        ) as is_reactivated_customer
    from customer_periods_sequenced

)

select * from final
