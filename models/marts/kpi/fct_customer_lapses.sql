-- The month grain of the customer lapses (churn events), cast to this mart's contract.
with

lapses as (

    select * from {{ ref('int_customer_lapses') }}

),

months as (

    select * from lapses
    where period_grain = 'month'

),

final as (

    {{ select_contract_columns('months', computed={
        'lapsed_month_start_date': 'lapsed_period_start_date',
        'last_active_month_start_date': 'last_active_period_start_date',
        'returned_month_start_date': 'returned_period_start_date',
        'is_returned': 'returned_period_start_date is not null',
        'is_complete_month': 'is_complete_period',
    }) }}

)

select * from final
