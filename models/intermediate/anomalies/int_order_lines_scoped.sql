-- One row per sale line invoiced before as_of_date, with the columns the anomaly flags read: a
-- replay at an earlier as_of_date scores the log as it stood then.
with

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

final as (

    select
        order_lines.order_line_id,
        order_lines.invoice_id,
        order_lines.customer_id,
        order_lines.product_id,
        order_lines.invoiced_at,
        order_lines.quantity,
        order_lines.cancelled_quantity,
        order_lines.unit_price,
        order_lines.country
    from order_lines
    cross join as_of_dates
    where order_lines.invoice_date < as_of_dates.as_of_date

)

select * from final
