-- The build's anchor date: the var as_of_date, or the day after the last parseable transaction.
-- Always an aggregate, so always exactly one row.
{%- set as_of_date = as_of_date_literal() %}

with

transactions as (

    select * from {{ ref('stg_online_retail__transactions') }}

),

resolved as (

    select
        coalesce(
            {{ as_of_date if as_of_date is not none else 'cast(null as date)' }},
            cast({{ dbt.dateadd('day', 1, 'max(invoice_date)') }} as date)
        ) as as_of_date,
        {{ 'true' if as_of_date is not none else 'false' }} as is_as_of_date_set
    from transactions

)

select * from resolved
