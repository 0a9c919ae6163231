-- rpt_cohort_retention holds together: each cohort has a month-0 row where every member is active
-- (retention 1) and one row for every month from its cohort month to the last month of
-- fct_kpi_months; cohort sizes sum to the number of customers in fct_order_lines and equal the
-- month's new customers in fct_kpi_months; months_since_first_order is the calendar distance.
-- Returns one row per broken rule.
with

cohorts as (

    select * from {{ ref('rpt_cohort_retention') }}

),

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

fct_kpi_months as (

    select * from {{ ref('fct_kpi_months') }}

),

last_months as (

    select max(month_start_date) as last_month_start_date
    from fct_kpi_months

),

cohorts_summarised as (

    select
        cohorts.cohort_month_start_date,
        max(cohorts.cohort_size) as cohort_size,
        min(cohorts.cohort_size) as min_cohort_size,
        count(*) as month_count,
        sum(case when cohorts.months_since_first_order = 0 then 1 else 0 end) as month_0_rows,
        sum(
            case
                when
                    cohorts.months_since_first_order = 0
                    and cohorts.retention_share = 1
                    and cohorts.active_customers = cohorts.cohort_size
                    then 1
                else 0
            end
        ) as full_month_0_rows,
        sum(
            case
                when
                    cohorts.months_since_first_order
                    != {{ dbt.datediff(
                        'cohorts.cohort_month_start_date', 'cohorts.month_start_date', 'month'
                    ) }}
                    then 1
                else 0
            end
        ) as misnumbered_rows,
        max(
            {{ dbt.datediff(
                'cohorts.cohort_month_start_date', 'last_months.last_month_start_date', 'month'
            ) }}
        ) + 1 as expected_month_count
    from cohorts
    cross join last_months
    group by 1

),

customer_counts as (

    select count(distinct customer_id) as customer_count
    from order_lines

),

problems as (

    select
        'cohort ' || cast(cohort_month_start_date as {{ dbt.type_string() }})
        || ': month 0 missing or not fully retained' as problem
    from cohorts_summarised
    where month_0_rows != 1 or full_month_0_rows != 1

    union all

    select
        'cohort ' || cast(cohort_month_start_date as {{ dbt.type_string() }})
        || ': not one row per month up to the last month, or months misnumbered' as problem
    from cohorts_summarised
    where month_count != expected_month_count or misnumbered_rows > 0

    union all

    select
        'cohort ' || cast(cohort_month_start_date as {{ dbt.type_string() }})
        || ': cohort size differs between rows' as problem
    from cohorts_summarised
    where cohort_size != min_cohort_size

    union all

    select
        'cohort ' || cast(cohorts_summarised.cohort_month_start_date as {{ dbt.type_string() }})
        || ': cohort size differs from new customers in fct_kpi_months' as problem
    from cohorts_summarised
    left join fct_kpi_months
        on cohorts_summarised.cohort_month_start_date = fct_kpi_months.month_start_date
    where cohorts_summarised.cohort_size != coalesce(fct_kpi_months.new_customers, -1)

    union all

    select 'cohort sizes do not sum to the customers of fct_order_lines' as problem
    from customer_counts
    where
        customer_counts.customer_count
        != (select coalesce(sum(cohorts_summarised.cohort_size), 0) from cohorts_summarised)

)

select * from problems
