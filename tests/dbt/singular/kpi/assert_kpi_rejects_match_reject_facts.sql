-- The input and reject counts of fct_kpi_months recomputed from the published facts: per month,
-- rejected rows = rows of fct_transaction_rejects and input rows = those + rows of fct_order_lines,
-- counting rows invoiced before as_of_date, by dbt.date_trunc of their invoice date. Months
-- outside the KPI calendar (rejects only) are left out. Returns one row per month that differs.
with

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

rejects as (

    select * from {{ ref('fct_transaction_rejects') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

fct_kpi_months as (

    select * from {{ ref('fct_kpi_months') }}

),

rows_labelled as (

    select
        order_lines.invoiced_at,
        0 as is_rejected
    from order_lines

    union all

    select
        rejects.invoiced_at,
        1 as is_rejected
    from rejects

),

rows_aggregated_to_months as (

    select
        cast({{ dbt.date_trunc('month', 'rows_labelled.invoiced_at') }} as date)
            as month_start_date,
        count(*) as input_rows,
        sum(rows_labelled.is_rejected) as rejected_rows
    from rows_labelled
    inner join as_of_dates
        on cast(rows_labelled.invoiced_at as date) < as_of_dates.as_of_date
    group by 1

),

months_compared as (

    select
        fct_kpi_months.month_start_date,
        fct_kpi_months.input_rows,
        recomputed.input_rows as recomputed_input_rows,
        fct_kpi_months.rejected_rows,
        recomputed.rejected_rows as recomputed_rejected_rows,
        fct_kpi_months.reject_share
    from fct_kpi_months
    left join rows_aggregated_to_months as recomputed
        on fct_kpi_months.month_start_date = recomputed.month_start_date

),

problems as (

    select *
    from months_compared
    where
        input_rows != coalesce(recomputed_input_rows, 0)
        or rejected_rows != coalesce(recomputed_rejected_rows, 0)
        or abs(
            coalesce(reject_share, -1)
            - coalesce(recomputed_rejected_rows * 1.0 / nullif(recomputed_input_rows, 0), -1)
        ) > 0.000001

)

select * from problems
