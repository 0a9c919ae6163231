-- One row per recency score x frequency score cell: customers, net revenue, their shares and the
-- cell's named segment. The cells come from the segment map (assert_rfm_segment_map_covers_grid
-- proves it names all 25), so a cell without customers is a row with zeros, not a hole.
with

customers as (

    select * from {{ ref('int_customers_rfm_scored') }}

),

segment_map as (

    select * from {{ ref('rfm_segment_map') }}

),

-- Sums of exact decimals do not depend on the order rows are added in.
customers_aggregated_to_cells as (

    select
        recency_score,
        frequency_score,
        count(*) as customer_count,
        sum(cast(monetary as {{ type_money() }})) as net_revenue
    from customers
    group by 1, 2

),

customers_totalled as (

    select
        count(*) as customer_count,
        sum(cast(monetary as {{ type_money() }})) as net_revenue
    from customers

),

cells_filled as (

    select
        segment_map.recency_score,
        segment_map.frequency_score,
        segment_map.rfm_segment,
        coalesce(cells.customer_count, 0) as customer_count,
        coalesce(cells.net_revenue, 0) as net_revenue
    from segment_map
    left join customers_aggregated_to_cells as cells
        on
            segment_map.recency_score = cells.recency_score
            and segment_map.frequency_score = cells.frequency_score

),

final as (

    select
        cast(cells_filled.recency_score as integer) as recency_score,
        cast(cells_filled.frequency_score as integer) as frequency_score,
        cells_filled.rfm_segment,
        cast(cells_filled.customer_count as integer) as customer_count,
        cast(cells_filled.customer_count as {{ type_double() }})
        / nullif(customers_totalled.customer_count, 0) as customer_share,
        cast(cells_filled.net_revenue as {{ type_double() }}) as net_revenue,
        cast(cells_filled.net_revenue as {{ type_double() }})
        / nullif(cast(customers_totalled.net_revenue as {{ type_double() }}), 0)
            as net_revenue_share
    from cells_filled
    cross join customers_totalled

)

select * from final
