-- RFM scores 1-5 by quintile of rank, and the named segment of the R x F cell.
-- Scores come from percent_rank, so customers with equal values always share a score (ntile would
-- split ties arbitrarily and make the build non-deterministic).
with

customers as (

    select * from {{ ref('int_customers_aggregated') }}

),

segment_map as (

    select * from {{ ref('rfm_segment_map') }}

),

segments as (

    select * from {{ ref('rfm_segments') }}

),

ranked as (

    select
        *,
        percent_rank() over (order by recency_days desc) as recency_percentile,
        percent_rank() over (order by frequency) as frequency_percentile,
        percent_rank() over (order by monetary) as monetary_percentile
    from customers

),

scored as (

    select
        *,
        cast(least(5, 1 + floor(recency_percentile * 5)) as integer) as recency_score,
        cast(least(5, 1 + floor(frequency_percentile * 5)) as integer) as frequency_score,
        cast(least(5, 1 + floor(monetary_percentile * 5)) as integer) as monetary_score
    from ranked

),

final as (

    select
        scored.*,
        {{ dbt.concat([
            dbt.safe_cast('scored.recency_score', dbt.type_string()),
            dbt.safe_cast('scored.frequency_score', dbt.type_string()),
            dbt.safe_cast('scored.monetary_score', dbt.type_string()),
        ]) }} as rfm_cell,
        segment_map.rfm_segment,
        segments.recommended_action as rfm_recommended_action
    from scored
    inner join segment_map
        on
            scored.recency_score = segment_map.recency_score
            and scored.frequency_score = segment_map.frequency_score
    inner join segments
        on segment_map.rfm_segment = segments.rfm_segment

)

select * from final
