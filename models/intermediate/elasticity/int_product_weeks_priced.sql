-- One row per product and complete ISO week (from Monday) with a sale before as_of_date: net
-- units and the week's list price, the price a price elasticity can be read against. Unit price
-- falls with the order's own quantity (quantity tiers), and a few customers buy on another price
-- list, so the list price is the median price of the week's small orders (at or below the
-- product's elasticity_small_order_quantile of line quantity) by customers on the usual list
-- (whose prices average within elasticity_off_list_premium, a log ratio, of the product's
-- median). Weeks without such a line have no list price; the elasticity package carries the
-- last one forward.
with

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

bounds as (

    select * from {{ ref('int_week_bounds_resolved') }}

),

priced_lines as (

    select
        product_id,
        -- Guest lines (no customer) are one price list of their own.
        coalesce(customer_id, '(guest)') as price_list_key,
        invoice_date,
        quantity,
        net_quantity,
        unit_price,
        ln(unit_price) as log_price
    from order_lines
    where unit_price > 0

),

product_price_levels as (

    select
        product_id,
        {{ median('log_price') }} as median_log_price,
        percentile_cont({{ var('elasticity_small_order_quantile') }})
        within group (order by quantity) as small_order_quantity
    from priced_lines
    group by 1

),

customer_price_lists as (

    select
        priced_lines.price_list_key,
        abs(avg(priced_lines.log_price - product_price_levels.median_log_price))
        > {{ var('elasticity_off_list_premium') }} as is_off_list
    from priced_lines
    inner join product_price_levels
        on priced_lines.product_id = product_price_levels.product_id
    group by 1

),

lines_classified as (

    select
        priced_lines.product_id,
        priced_lines.net_quantity,
        priced_lines.unit_price,
        cast({{ dbt.date_trunc('week', 'priced_lines.invoice_date') }} as date) as week_start,
        priced_lines.quantity <= product_price_levels.small_order_quantity
        and not customer_price_lists.is_off_list as is_list_price_line
    from priced_lines
    inner join product_price_levels
        on priced_lines.product_id = product_price_levels.product_id
    inner join customer_price_lists
        on priced_lines.price_list_key = customer_price_lists.price_list_key

),

weekly as (

    select
        product_id,
        week_start,
        sum(net_quantity) as units,
        {{ median('case when is_list_price_line then unit_price end') }} as list_price,
        sum(case when is_list_price_line then 1 else 0 end) as list_price_lines,
        {{ median('unit_price') }} as median_line_price
    from lines_classified
    group by 1, 2

),

final as (

    select
        weekly.product_id,
        weekly.week_start,
        cast(weekly.units as bigint) as units,
        cast(weekly.list_price as {{ type_double() }}) as list_price,
        cast(weekly.list_price_lines as integer) as list_price_lines,
        cast(weekly.median_line_price as {{ type_double() }}) as median_line_price
    from weekly
    cross join bounds
    where
        weekly.week_start >= bounds.first_day
        and {{ dbt.dateadd('day', 7, 'weekly.week_start') }} <= bounds.as_of_date

)

select * from final
