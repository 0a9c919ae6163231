-- One row per product with a priced line in the complete weeks before as_of_date: the slope of
-- log quantity on log unit price over its order lines. This is the naive "elasticity" a
-- line-level regression finds; unit price falls with the order's own quantity (quantity
-- tiers), so it measures the tier schedule, not the customers' response to price. It is kept
-- beside the weekly list-price estimate to show the difference.
with

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

bounds as (

    select * from {{ ref('int_week_bounds_resolved') }}

),

lines_logged as (

    select
        order_lines.product_id,
        ln(order_lines.unit_price) as log_price,
        ln(order_lines.quantity) as log_quantity
    from order_lines
    cross join bounds
    where
        order_lines.unit_price > 0
        and order_lines.quantity > 0
        and {{ dbt.date_trunc('week', 'order_lines.invoice_date') }} >= bounds.first_day
        and {{ dbt.dateadd(
            'day', 7, dbt.date_trunc('week', 'order_lines.invoice_date')
        ) }} <= bounds.as_of_date

),

sums as (

    select
        product_id,
        count(*) as line_count,
        sum(log_price) as sum_price,
        sum(log_quantity) as sum_quantity,
        sum(log_price * log_price) as sum_price_squared,
        sum(log_price * log_quantity) as sum_price_quantity
    from lines_logged
    group by 1

),

final as (

    select
        product_id,
        cast(line_count as integer) as line_count,
        cast(
            case
                -- Rounded: DuckDB's parallel double sums differ in the last bits run to run.
                when line_count * sum_price_squared - sum_price * sum_price > 1e-9 * line_count
                    then round(
                        (line_count * sum_price_quantity - sum_price * sum_quantity)
                        / (line_count * sum_price_squared - sum_price * sum_price),
                        6
                    )
            end as {{ type_double() }}
        ) as line_level_elasticity
    from sums

)

select * from final
