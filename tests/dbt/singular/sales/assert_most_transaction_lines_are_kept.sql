{{ config(severity='warn') }}
-- Warns when more than the var transactions_rejected_share_warn (default half) of the source
-- rows are rejected, a sign that the input does not match the contract (date format, decimal
-- separator, column mapping) rather than bad rows.
-- Returns one row per rejection reason with its count (the shipped data rejects 28% of its rows,
-- nine in ten of them guest sales without a customer number). Rows on or after as_of_date are
-- left out of both counts: a replay of a past day rejects the later rows by design, not because
-- they are bad.
with

-- Staging holds one row per source row, already read: counting it does not scan the file again.
staged as (

    select * from {{ ref('stg_online_retail__transactions') }}

),

fct_transaction_rejects as (

    select * from {{ ref('fct_transaction_rejects') }}

),

rejects as (

    select *
    from fct_transaction_rejects
    where rejection_reason != 'on_or_after_as_of_date'

),

later_rows as (

    select count(*) as row_count
    from fct_transaction_rejects
    where rejection_reason = 'on_or_after_as_of_date'

),

source_rows as (

    select count(*) - max(later_rows.row_count) as row_count
    from staged
    cross join later_rows

),

rejects_by_reason as (

    select
        rejection_reason,
        count(*) as rejected_row_count
    from rejects
    group by 1

),

rejected_share as (

    select
        sum(rejects_by_reason.rejected_row_count) * 1.0 / nullif(max(source_rows.row_count), 0)
            as rejected_fraction
    from rejects_by_reason
    cross join source_rows

)

select
    rejects_by_reason.rejection_reason,
    rejects_by_reason.rejected_row_count
from rejects_by_reason
cross join rejected_share
where rejected_share.rejected_fraction > {{ var('transactions_rejected_share_warn') }}
