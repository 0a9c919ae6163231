-- One row per customer and product they bought: the day of the first purchase (product diversity
-- features of the lifecycle models, at any cutoff, without reading every order line again).
with

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

final as (

    select
        customer_id,
        product_id,
        min(invoice_date) as first_purchased_on
    from order_lines
    where customer_id is not null and net_quantity > 0
    group by 1, 2

)

select * from final
