with

order_lines as (

    select * from {{ ref('int_order_lines_netted') }}

),

final as (

    select
        order_line_id,
        invoice_id,
        customer_id,
        product_id,
        product_description,
        country,
        invoiced_at,
        invoice_date,
        quantity,
        cancelled_quantity,
        net_quantity,
        cast(unit_price as {{ type_double() }}) as unit_price,
        cast(gross_amount as {{ type_double() }}) as gross_amount,
        cast(net_amount as {{ type_double() }}) as net_amount,
        has_cancellation
    from order_lines

)

select * from final
