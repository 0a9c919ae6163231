with

orders as (

    select * from {{ ref('int_orders_aggregated') }}

),

final as (

    select * from orders

)

select * from final
