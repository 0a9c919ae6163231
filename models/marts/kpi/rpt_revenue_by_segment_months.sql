-- Net revenue, orders and active customers per month and customer segment, RFM and behavioural.
-- Each customer is counted in their segment as of as_of_date (dim_customers), in every month.
with

customer_periods as (

    select * from {{ ref('int_customer_periods_classified') }}

),

periods as (

    select * from {{ ref('int_kpi_periods_generated') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

as_of_dates as (

    select * from {{ ref('int_as_of_dates_resolved') }}

),

customer_months as (

    select * from customer_periods
    where period_grain = 'month'

),

months as (

    select * from periods
    where period_grain = 'month'

),

-- Left joins: a customer without a segment keeps a null name, which the not_null test reports.
customer_months_segmented as (

    select
        customer_months.period_start_date,
        'rfm' as segment_type,
        customers.rfm_segment as segment_name,
        customer_months.order_count,
        customer_months.net_amount
    from customer_months
    left join customers
        on customer_months.customer_id = customers.customer_id

    union all

    select
        customer_months.period_start_date,
        'behavioural' as segment_type,
        customers.behaviour_segment_name as segment_name,
        customer_months.order_count,
        customer_months.net_amount
    from customer_months
    left join customers
        on customer_months.customer_id = customers.customer_id

),

customer_months_aggregated_to_segments as (

    select
        period_start_date,
        segment_type,
        segment_name,
        count(*) as customer_count,
        sum(order_count) as order_count,
        sum(net_amount) as net_amount
    from customer_months_segmented
    group by 1, 2, 3

),

final as (

    select
        segments.period_start_date as month_start_date,
        segments.segment_type,
        segments.segment_name,
        months.is_complete_period as is_complete_month,
        cast(segments.net_amount as {{ type_double() }}) as net_revenue,
        cast(segments.order_count as integer) as order_count,
        cast(segments.customer_count as integer) as customer_count,
        as_of_dates.as_of_date
    from customer_months_aggregated_to_segments as segments
    inner join months
        on segments.period_start_date = months.period_start_date
    cross join as_of_dates

)

select * from final
