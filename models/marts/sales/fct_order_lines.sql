with

order_lines as (

    select * from {{ ref('int_order_lines_netted') }}

),

final as (

    select * from order_lines

)

select * from final
