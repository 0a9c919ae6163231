-- One row per customer and purchase day: the days with at least one order of positive net
-- amount, summed. The lifecycle models read this instead of every order, so the aggregation
-- runs in the warehouse's engine.
with

orders as (

    select * from {{ ref('fct_orders') }}

),

final as (

    -- Sums of exact decimals: the same figures whatever order the engine adds the orders in.
    select
        customer_id,
        invoice_date as purchased_on,
        cast(sum(cast(net_amount as {{ type_money() }})) as {{ type_double() }}) as amount,
        cast(sum(cast(gross_amount as {{ type_money() }})) as {{ type_double() }})
            as gross_amount,
        cast(
            sum(cast(coalesce(cancelled_amount, 0) as {{ type_money() }}))
            as {{ type_double() }}
        ) as cancelled_amount,
        count(*) as orders,
        cast(sum(distinct_products) as {{ dbt.type_bigint() }}) as products
    from orders
    where customer_id is not null and net_amount > 0
    group by 1, 2

)

select * from final
