-- fct_kpi_months and fct_kpi_weeks recomputed from the published facts by another route: net
-- revenue, orders and active customers from fct_order_lines (period by dbt.date_trunc of each
-- line's invoice date), new customers from each customer's first order in fct_orders. Returns
-- one row per period whose figures differ. fct_orders rounds each order to the cent, so revenue
-- may differ by half a cent per order.
{%- set grains = [
    ('month', 'fct_kpi_months', 'month_start_date'),
    ('week', 'fct_kpi_weeks', 'week_start_date'),
] %}

with

order_lines as (

    select * from {{ ref('fct_order_lines') }}

),

orders as (

    select * from {{ ref('fct_orders') }}

),

fct_kpi_months as (

    select * from {{ ref('fct_kpi_months') }}

),

fct_kpi_weeks as (

    select * from {{ ref('fct_kpi_weeks') }}

),

first_orders as (

    select
        customer_id,
        min(invoice_date) as first_order_date
    from orders
    group by 1

),
{%- for grain, kpi_model, period_column in grains %}

    lines_aggregated_to_{{ grain }}s as (

        select
            cast({{ dbt.date_trunc(grain, 'invoice_date') }} as date) as period_start_date,
            sum(cast(net_amount as {{ type_money() }})) as net_revenue,
            count(distinct invoice_id) as order_count,
            count(distinct customer_id) as active_customers
        from order_lines
        group by 1

    ),

    first_orders_aggregated_to_{{ grain }}s as (

        select
            cast({{ dbt.date_trunc(grain, 'first_order_date') }} as date) as period_start_date,
            count(*) as new_customers
        from first_orders
        group by 1

    ),

    {{ grain }}s_compared as (

        select
            '{{ grain }}' as period_grain,
            coalesce(kpi.{{ period_column }}, recomputed.period_start_date) as period_start_date,
            kpi.net_revenue,
            recomputed.net_revenue as recomputed_net_revenue,
            kpi.order_count,
            recomputed.order_count as recomputed_order_count,
            kpi.active_customers,
            recomputed.active_customers as recomputed_active_customers,
            kpi.new_customers,
            firsts.new_customers as recomputed_new_customers
        from {{ kpi_model }} as kpi
        full outer join lines_aggregated_to_{{ grain }}s as recomputed
            on kpi.{{ period_column }} = recomputed.period_start_date
        left join first_orders_aggregated_to_{{ grain }}s as firsts
            on
                coalesce(kpi.{{ period_column }}, recomputed.period_start_date)
                = firsts.period_start_date

    ),
{%- endfor %}

periods_compared as (

    {%- for grain, kpi_model, period_column in grains %}
        {%- if not loop.first %}

            union all
        {%- endif %}

        select * from {{ grain }}s_compared
    {%- endfor %}

),

problems as (

    select *
    from periods_compared
    where
        net_revenue is null
        or abs(net_revenue - coalesce(recomputed_net_revenue, 0))
        > 0.005 * coalesce(recomputed_order_count, 0) + 0.000001
        or order_count != coalesce(recomputed_order_count, 0)
        or active_customers != coalesce(recomputed_active_customers, 0)
        or new_customers != coalesce(recomputed_new_customers, 0)

)

select * from problems
