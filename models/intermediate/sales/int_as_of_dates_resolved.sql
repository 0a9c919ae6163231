-- The build's anchor date: the var as_of_date, or the day after the last parseable transaction.
{%- set as_of_date = as_of_date_literal() %}

with

transactions as (

    select * from {{ ref('stg_online_retail__transactions') }}

),

resolved as (

    select
        {% if as_of_date is not none -%}
            {{ as_of_date }} as as_of_date,
            true as is_as_of_date_set
        {%- else -%}
            cast({{ dbt.dateadd('day', 1, 'max(transactions.invoice_date)') }} as date)
                as as_of_date,
            false as is_as_of_date_set
        {%- endif %}
    from transactions

)

select * from resolved
