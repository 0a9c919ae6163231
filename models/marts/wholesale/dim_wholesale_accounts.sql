with

accounts as (

    select * from {{ ref('int_wholesale_accounts_featured') }}

),

final as (

    select * from accounts

)

select * from final
