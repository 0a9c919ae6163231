with

order_lines as (

    select * from {{ ref('int_order_lines_netted') }}

),

-- The description used most often for a product (ties: alphabetical), so there is one.
descriptions_ranked as (

    select
        product_id,
        product_description,
        row_number() over (
            partition by product_id
            order by count(*) desc, product_description asc
        ) as description_rank
    from order_lines
    where product_description is not null
    group by 1, 2

),

lines_aggregated_to_products as (

    select
        product_id,
        min(invoiced_at) as first_sold_at,
        max(invoiced_at) as last_sold_at,
        count(*) as line_count,
        count(distinct invoice_id) as order_count,
        count(distinct customer_id) as customer_count,
        sum(net_quantity) as quantity_sold,
        sum(net_amount) as net_revenue,
        min(unit_price) as min_unit_price,
        {{ median('unit_price') }} as median_unit_price,
        avg(unit_price) as avg_unit_price,
        max(unit_price) as max_unit_price
    from order_lines
    group by 1

),

final as (

    select
        products.product_id,
        descriptions_ranked.product_description,
        products.first_sold_at,
        products.last_sold_at,
        cast(products.line_count as integer) as line_count,
        cast(products.order_count as integer) as order_count,
        cast(products.customer_count as integer) as customer_count,
        cast(products.quantity_sold as integer) as quantity_sold,
        cast(round(products.net_revenue, 2) as {{ type_double() }}) as net_revenue,
        cast(products.min_unit_price as {{ type_double() }}) as min_unit_price,
        cast(products.median_unit_price as {{ type_double() }}) as median_unit_price,
        cast(
            {{ round_double('products.avg_unit_price', 4) }} as {{ type_double() }}
        ) as avg_unit_price,
        cast(products.max_unit_price as {{ type_double() }}) as max_unit_price,
        cast(row_number() over (
            order by
                products.customer_count desc,
                products.quantity_sold desc,
                products.product_id asc
        ) as integer) as popularity_rank
    from lines_aggregated_to_products as products
    left join descriptions_ranked
        on
            products.product_id = descriptions_ranked.product_id
            and descriptions_ranked.description_rank = 1

)

select * from final
