-- Every KPI table adds up to fct_orders: net revenue, gross revenue and orders over all months,
-- all weeks, all months x countries and all cohort cells, and new customers over all months and
-- all weeks to the number of customers. Returns one row per table and figure that differs.
with

orders as (

    select * from {{ ref('fct_orders') }}

),

fct_kpi_months as (

    select * from {{ ref('fct_kpi_months') }}

),

fct_kpi_weeks as (

    select * from {{ ref('fct_kpi_weeks') }}

),

rpt_revenue_by_country_months as (

    select * from {{ ref('rpt_revenue_by_country_months') }}

),

rpt_cohort_retention as (

    select * from {{ ref('rpt_cohort_retention') }}

),

order_totals as (

    select
        sum(cast(net_amount as {{ type_money() }})) as net_revenue,
        sum(cast(gross_amount as {{ type_money() }})) as gross_revenue,
        count(*) as order_count,
        count(distinct customer_id) as customer_count
    from orders

),

kpi_totals as (

    select
        'fct_kpi_months' as kpi_table,
        sum(cast(net_revenue as {{ type_money() }})) as net_revenue,
        sum(cast(gross_revenue as {{ type_money() }})) as gross_revenue,
        sum(order_count) as order_count,
        sum(new_customers) as customer_count
    from fct_kpi_months

    union all

    select
        'fct_kpi_weeks' as kpi_table,
        sum(cast(net_revenue as {{ type_money() }})) as net_revenue,
        sum(cast(gross_revenue as {{ type_money() }})) as gross_revenue,
        sum(order_count) as order_count,
        sum(new_customers) as customer_count
    from fct_kpi_weeks

    union all

    select
        'rpt_revenue_by_country_months' as kpi_table,
        sum(cast(net_revenue as {{ type_money() }})) as net_revenue,
        null as gross_revenue,
        sum(order_count) as order_count,
        null as customer_count
    from rpt_revenue_by_country_months

    union all

    select
        'rpt_cohort_retention' as kpi_table,
        sum(cast(net_revenue as {{ type_money() }})) as net_revenue,
        null as gross_revenue,
        null as order_count,
        sum(case when months_since_first_order = 0 then cohort_size end) as customer_count
    from rpt_cohort_retention

),

problems as (

    select
        kpi_totals.*,
        order_totals.net_revenue as orders_net_revenue,
        order_totals.gross_revenue as orders_gross_revenue,
        order_totals.order_count as orders_order_count,
        order_totals.customer_count as orders_customer_count
    from kpi_totals
    cross join order_totals
    where
        kpi_totals.net_revenue is null
        or abs(kpi_totals.net_revenue - order_totals.net_revenue) > 0.005
        or abs(kpi_totals.gross_revenue - order_totals.gross_revenue) > 0.005
        or kpi_totals.order_count != order_totals.order_count
        or kpi_totals.customer_count != order_totals.customer_count

)

select * from problems
