-- One row per kept sale line, with the cancellations netted against it.
-- A view: fct_order_lines is the one table of these rows; the intermediate aggregates read
-- this view rather than the mart, so the layers stay one-way without a second 10M-row copy.
{{ config(materialized='view') }}
with

screened as (

    select * from {{ ref('int_transactions_screened') }}

),

cancellations as (

    select * from {{ ref('int_cancellations_matched') }}

),

cancellations_aggregated_to_sale_lines as (

    select
        sale_line_id,
        sum(cancelled_quantity) as cancelled_quantity,
        count(*) as cancellation_count
    from cancellations
    where match_status = 'netted'
    group by 1

),

sale_lines as (

    select * from screened
    where screening_reason is null and line_role = 'sale'

),

final as (

    select
        sale_lines.transaction_line_id as order_line_id,
        sale_lines.invoice_id,
        sale_lines.customer_id,
        sale_lines.product_id,
        sale_lines.product_description,
        sale_lines.country,
        sale_lines.invoiced_at,
        sale_lines.invoice_date,
        cast(sale_lines.quantity as integer) as quantity,
        cast(coalesce(cancelled.cancelled_quantity, 0) as integer) as cancelled_quantity,
        cast(sale_lines.quantity - coalesce(cancelled.cancelled_quantity, 0) as integer)
            as net_quantity,
        cast(sale_lines.unit_price as {{ type_money() }}) as unit_price,
        sale_lines.quantity * cast(sale_lines.unit_price as {{ type_money() }}) as gross_amount,
        (sale_lines.quantity - coalesce(cancelled.cancelled_quantity, 0))
        * cast(sale_lines.unit_price as {{ type_money() }}) as net_amount,
        coalesce(cancelled.cancellation_count, 0) > 0 as has_cancellation
    from sale_lines
    left join cancellations_aggregated_to_sale_lines as cancelled
        on sale_lines.transaction_line_id = cancelled.sale_line_id

)

select * from final
