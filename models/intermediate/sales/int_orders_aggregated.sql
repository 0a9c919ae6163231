-- One row per invoice of kept sale lines, amounts net of cancellations.
with

order_lines as (

    select * from {{ ref('int_order_lines_netted') }}

),

lines_aggregated_to_orders as (

    select
        invoice_id,
        min(customer_id) as customer_id,
        min(country) as country,
        min(invoiced_at) as invoiced_at,
        min(invoice_date) as invoice_date,
        count(*) as line_count,
        count(distinct product_id) as distinct_products,
        sum(quantity) as gross_quantity,
        sum(cancelled_quantity) as cancelled_quantity,
        sum(net_quantity) as net_quantity,
        sum(gross_amount) as gross_amount,
        sum(net_amount) as net_amount
    from order_lines
    group by 1

),

final as (

    select
        invoice_id,
        customer_id,
        country,
        invoiced_at,
        invoice_date,
        cast(line_count as integer) as line_count,
        cast(distinct_products as integer) as distinct_products,
        cast(gross_quantity as integer) as gross_quantity,
        cast(cancelled_quantity as integer) as cancelled_quantity,
        cast(net_quantity as integer) as net_quantity,
        round(gross_amount, 2) as gross_amount,
        round(gross_amount - net_amount, 2) as cancelled_amount,
        round(net_amount, 2) as net_amount,
        net_quantity = 0 as is_fully_cancelled,
        {{ is_weekend('invoiced_at') }} as is_weekend
    from lines_aggregated_to_orders

)

select * from final
