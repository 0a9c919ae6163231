-- Nothing lost: every source row is a cleaned sale line or a reject, never both, never neither;
-- per reason the rejects match the screening; netted cancellation units equal the units taken off
-- the sale lines. Returns one row per broken identity.
with

source_rows as (

    select count(*) as row_count
    from {{ source('online_retail', 'transactions') }}

),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

rejects as (

    select * from {{ ref('fct_transaction_rejects') }}

),

screened as (

    select * from {{ ref('int_transactions_screened') }}

),

totals as (

    select
        (select row_count from source_rows) as source_row_count,
        (select count(*) from order_lines) as kept_row_count,
        (select count(*) from rejects) as rejected_row_count,
        (
            select count(*) from order_lines
            inner join rejects
                on order_lines.order_line_id = rejects.transaction_line_id
        ) as rows_in_both,
        (select coalesce(sum(cancelled_quantity), 0) from order_lines) as netted_on_sale_lines,
        (
            select coalesce(sum(-quantity), 0) from rejects
            where rejection_reason = 'cancellation_netted'
        ) as netted_cancellation_units

),

rejects_by_reason as (

    select
        rejection_reason,
        count(*) as rejected_row_count
    from rejects
    where rejection_reason not in ('cancellation_netted', 'cancellation_unmatched')
    group by 1

),

screened_by_reason as (

    select
        screening_reason,
        count(*) as screened_row_count
    from screened
    where screening_reason is not null
    group by 1

),

problems as (

    select 'source rows != kept + rejected' as problem
    from totals
    where source_row_count != kept_row_count + rejected_row_count

    union all

    select 'rows both kept and rejected' as problem
    from totals
    where rows_in_both > 0

    union all

    select 'netted units differ between sale lines and cancellations' as problem
    from totals
    where netted_on_sale_lines != netted_cancellation_units

    union all

    select
        'reason '
        || coalesce(screened_by_reason.screening_reason, rejects_by_reason.rejection_reason)
        || ' count differs' as problem
    from screened_by_reason
    full outer join rejects_by_reason
        on screened_by_reason.screening_reason = rejects_by_reason.rejection_reason
    where
        coalesce(screened_by_reason.screened_row_count, -1)
        != coalesce(rejects_by_reason.rejected_row_count, -1)

)

select * from problems
