-- One row for the whole build: the log's first day and as_of_date, the bounds of the complete
-- ISO weeks the weekly product models use (from the first Monday on or after the first day to
-- the last week that ends before as_of_date).
with

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

bounds as (

    select
        min(order_lines.invoice_date) as first_day,
        max(as_of_dates.as_of_date) as as_of_date
    from order_lines
    cross join as_of_dates

)

select * from bounds
