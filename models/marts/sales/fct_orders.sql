with

orders as (

    select * from {{ ref('int_orders_aggregated') }}

),

final as (

    select
        invoice_id,
        customer_id,
        country,
        invoiced_at,
        invoice_date,
        line_count,
        distinct_products,
        gross_quantity,
        cancelled_quantity,
        net_quantity,
        cast(gross_amount as {{ type_double() }}) as gross_amount,
        cast(cancelled_amount as {{ type_double() }}) as cancelled_amount,
        cast(net_amount as {{ type_double() }}) as net_amount,
        is_fully_cancelled,
        is_weekend
    from orders

)

select * from final
