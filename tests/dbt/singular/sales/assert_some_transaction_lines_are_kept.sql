-- Fails when no source row became an order line (an as_of_date before the data, prices written
-- with decimal commas, a log of cancellations only, ...): otherwise the warehouse would be built
-- empty without a word. The macro stops with the counts per reason and what they usually mean.
{{ explain_empty_order_lines(ref('fct_order_lines'), ref('fct_transaction_rejects')) }}
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
