-- Lifetime and behavioural figures per customer, measured at as_of_date.
with

orders as (

    select * from {{ ref('int_orders_aggregated') }}

),

order_lines as (

    select * from {{ ref('int_order_lines_netted') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

orders_with_gaps as (

    select
        customer_id,
        invoice_date,
        {{ dbt.datediff(
            'lag(invoice_date) over (partition by customer_id order by invoiced_at, invoice_id)',
            'invoice_date',
            'day'
        ) }} as days_since_previous_order
    from orders

),

gaps_aggregated_to_customers as (

    select
        customer_id,
        avg(days_since_previous_order) as mean_days_between_orders
    from orders_with_gaps
    group by 1

),

lines_aggregated_to_customers as (

    select
        customer_id,
        count(distinct product_id) as distinct_products,
        sum(quantity) as gross_quantity,
        sum(cancelled_quantity) as cancelled_quantity
    from order_lines
    group by 1

),

-- The most frequent country of a customer's orders (ties: alphabetical), so there is one.
countries_ranked as (

    select
        customer_id,
        country,
        row_number() over (
            partition by customer_id order by count(*) desc, country
        ) as country_rank
    from orders
    group by 1, 2

),

orders_aggregated_to_customers as (

    select
        customer_id,
        min(invoiced_at) as first_order_at,
        max(invoiced_at) as last_order_at,
        min(invoice_date) as first_order_date,
        max(invoice_date) as last_order_date,
        count(*) as order_count,
        sum(net_amount) as net_revenue,
        sum(gross_amount) as gross_revenue,
        sum(net_quantity) as net_quantity,
        avg(cast(case when is_weekend then 1 else 0 end as {{ type_double() }}))
            as weekend_order_share
    from orders
    group by 1

),

final as (

    select
        orders_agg.customer_id,
        countries_ranked.country,
        orders_agg.first_order_at,
        orders_agg.last_order_at,
        cast(
            {{ dbt.datediff('orders_agg.last_order_date', 'as_of_dates.as_of_date', 'day') }}
            as integer
        ) as recency_days,
        cast(
            {{ dbt.datediff('orders_agg.first_order_date', 'as_of_dates.as_of_date', 'day') }}
            as integer
        ) as tenure_days,
        cast(orders_agg.order_count as integer) as frequency,
        cast(round(orders_agg.net_revenue, 2) as {{ type_double() }}) as monetary,
        cast(round(orders_agg.gross_revenue, 2) as {{ type_double() }}) as gross_revenue,
        cast({{ round_double(
            'cast(orders_agg.net_revenue as ' ~ type_double() ~ ') / orders_agg.order_count', 2
        ) }} as {{ type_double() }})
            as avg_order_value,
        cast(orders_agg.net_quantity as {{ type_double() }}) / orders_agg.order_count
            as avg_basket_size,
        cast(lines_agg.distinct_products as integer) as distinct_products,
        gaps.mean_days_between_orders,
        orders_agg.weekend_order_share,
        cast(lines_agg.cancelled_quantity as {{ type_double() }}) / lines_agg.gross_quantity
            as return_rate,
        as_of_dates.as_of_date
    from orders_aggregated_to_customers as orders_agg
    inner join lines_aggregated_to_customers as lines_agg
        on orders_agg.customer_id = lines_agg.customer_id
    inner join gaps_aggregated_to_customers as gaps
        on orders_agg.customer_id = gaps.customer_id
    inner join countries_ranked
        on
            orders_agg.customer_id = countries_ranked.customer_id
            and countries_ranked.country_rank = 1
    cross join as_of_dates

)

select * from final
