-- Net revenue, orders and customers per month and country of the order.
with

orders as (

    select * from {{ ref('int_orders_aggregated') }}

),

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

orders_aggregated_to_country_months as (

    select
        months.period_start_date as month_start_date,
        months.is_complete_period as is_complete_month,
        -- The shipped log writes an unknown country 'Unspecified'; an empty one reads the same.
        coalesce(orders.country, 'Unspecified') as country,
        count(*) as order_count,
        count(distinct orders.customer_id) as customer_count,
        sum(orders.net_amount) as net_amount
    from orders
    inner join months
        on
            orders.invoice_date >= months.period_start_date
            and orders.invoice_date < months.next_period_start_date
    group by 1, 2, 3

),

final as (

    select
        country_months.month_start_date,
        country_months.country,
        country_months.is_complete_month,
        cast(country_months.net_amount as {{ type_double() }}) as net_revenue,
        cast(country_months.order_count as integer) as order_count,
        cast(country_months.customer_count as integer) as customer_count,
        as_of_dates.as_of_date
    from orders_aggregated_to_country_months as country_months
    cross join as_of_dates

)

select * from final
