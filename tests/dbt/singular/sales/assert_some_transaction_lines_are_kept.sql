-- Fails when no source row became an order line (an as_of_date before the data, prices written
-- with decimal commas, ...): otherwise the warehouse would be built empty without a word.
-- fct_transaction_rejects gives each row's reason.
with

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

kept as (

    select count(*) as kept_row_count
    from order_lines

)

select 'no transaction line was kept: see fct_transaction_rejects' as problem
from kept
where kept_row_count = 0
