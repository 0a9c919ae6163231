-- One row per population and behavioural segment: size, value, outliers and the playbook action.
with

int_segment_members_unioned as (
    select * from {{ ref('int_segment_members_unioned') }}
),

segment_playbook as (
    select * from {{ ref('segment_playbook') }}
),

members_aggregated_to_segments as (
    select
        population,
        segment_id,
        segment_name,
        segment_archetype,
        count(*) as members,
        sum(member_value) as revenue,
        avg(member_value) as mean_value,
        {{ median('member_value') }} as median_value,
        sum(case when is_segment_outlier then 1 else 0 end) as outliers
    from int_segment_members_unioned
    group by 1, 2, 3, 4
),

segments_profiled as (
    select
        {{ segment_key('segments.population', 'segments.segment_id') }} as segment_key,
        segments.population,
        segments.segment_id,
        segments.segment_name,
        segments.segment_archetype,
        segments.members,
        cast(segments.members as {{ type_double() }})
        / sum(segments.members) over (partition by segments.population) as member_share,
        segments.revenue,
        coalesce(
            segments.revenue
            / nullif(sum(segments.revenue) over (partition by segments.population), 0),
            0
        ) as revenue_share,
        segments.mean_value,
        segments.median_value,
        segments.outliers,
        cast(segments.outliers as {{ type_double() }}) / segments.members as outlier_share,
        segment_playbook.marketing_action,
        segment_playbook.action_priority
    from members_aggregated_to_segments as segments
    left join segment_playbook
        on
            segments.population = segment_playbook.population
            and segments.segment_archetype = segment_playbook.segment_archetype
),

final as (
    {{ select_contract_columns('segments_profiled') }}
)

select * from final
