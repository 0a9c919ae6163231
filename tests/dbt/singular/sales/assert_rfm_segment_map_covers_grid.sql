-- The segment map must name every R x F cell exactly once, use every segment, and place the
-- anchor cells of the standard grid where the grid puts them.
with

segment_map as (

    select * from {{ ref('rfm_segment_map') }}

),

segments as (

    select * from {{ ref('rfm_segments') }}

),

scores as (

    select score
    from (values (1), (2), (3), (4), (5)) as score_values (score)  -- noqa: AL05

),

grid as (

    select
        recency.score as recency_score,
        frequency.score as frequency_score
    from scores as recency
    cross join scores as frequency

),

unmapped_cells as (

    select
        'cell ' || grid.recency_score || '-' || grid.frequency_score || ' has no segment'
            as problem
    from grid
    left join segment_map
        on
            grid.recency_score = segment_map.recency_score
            and grid.frequency_score = segment_map.frequency_score
    where segment_map.rfm_segment is null

),

unused_segments as (

    select 'segment ' || segments.rfm_segment || ' is on no cell' as problem
    from segments
    left join segment_map
        on segments.rfm_segment = segment_map.rfm_segment
    where segment_map.rfm_segment is null

),

expected_anchors as (

    select
        recency_score,
        frequency_score,
        rfm_segment
    from (
        values
        (5, 5, 'Champions'),
        (1, 1, 'Lost'),
        (1, 5, 'Can''t Lose Them'),
        (5, 1, 'New Customers'),
        (3, 3, 'Need Attention'),
        (2, 3, 'At Risk')
    ) as anchors (recency_score, frequency_score, rfm_segment)  -- noqa: AL05

),

misplaced_anchors as (

    select
        'cell ' || expected_anchors.recency_score || '-' || expected_anchors.frequency_score
        || ' should be ' || expected_anchors.rfm_segment as problem
    from expected_anchors
    left join segment_map
        on
            expected_anchors.recency_score = segment_map.recency_score
            and expected_anchors.frequency_score = segment_map.frequency_score
    where coalesce(segment_map.rfm_segment, '') != expected_anchors.rfm_segment

),

problems as (

    select problem from unmapped_cells
    union all
    select problem from unused_segments
    union all
    select problem from misplaced_anchors

)

select * from problems
