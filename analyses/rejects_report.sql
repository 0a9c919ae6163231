-- Why input rows were not used: rows and units per reason, in rule order.
with

rejects as (

    select * from {{ ref('fct_transaction_rejects') }}

),

final as (

    select
        rejection_rule_order,
        rejection_reason,
        rejection_description,
        count(*) as rows_rejected,
        sum(abs(coalesce(quantity, 0))) as units
    from rejects
    group by 1, 2, 3

)

select * from final
order by 1
