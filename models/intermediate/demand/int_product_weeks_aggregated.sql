-- One row per product and complete ISO week (from Monday) with a sale before as_of_date: net
-- units, net revenue and the week's list price. Weeks before the log's first day is whole, or
-- not ended by as_of_date, are left out: a part week would read as a drop in demand.
with

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

bounds as (

    select * from {{ ref('int_week_bounds_resolved') }}

),

weekly as (

    select
        product_id,
        cast(date_trunc('week', invoice_date) as date) as week_start,
        sum(net_quantity) as units,
        -- Rounded to the penny: a sum of doubles in DuckDB's parallel aggregate can differ in
        -- its last bits from run to run, and the demand models hash these rows.
        round(sum(net_amount), 2) as revenue,
        -- The median line price, not revenue / units: the latter falls with order size
        -- (quantity tiers) and would move with the week's mix of large orders.
        {{ median('unit_price') }} as list_price
    from order_lines
    group by 1, 2

),

final as (

    select
        weekly.product_id,
        weekly.week_start,
        cast(weekly.units as bigint) as units,
        cast(weekly.revenue as {{ type_double() }}) as revenue,
        weekly.list_price
    from weekly
    cross join bounds
    where
        weekly.week_start >= bounds.first_day
        and {{ dbt.dateadd('day', 7, 'weekly.week_start') }} <= bounds.as_of_date

)

select * from final
