-- One row per population, behavioural segment and reference category: retail segments against
-- the rule-based RFM segments, wholesale segments against the sales channel.
with

int_segment_members_unioned as (
    select * from {{ ref('int_segment_members_unioned') }}
),

members_counted as (
    select
        population,
        segment_id,
        segment_name,
        reference_column,
        reference_segment,
        count(*) as members
    from int_segment_members_unioned
    group by 1, 2, 3, 4, 5
),

crosstabs_shared as (
    select
        {{ segment_key('population', 'segment_id') }} as segment_key,
        population,
        segment_id,
        segment_name,
        reference_column,
        reference_segment,
        members,
        cast(members as {{ type_double() }})
        / sum(members) over (partition by population, segment_id) as share_of_segment,
        cast(members as {{ type_double() }})
        / sum(members) over (partition by population, reference_segment) as share_of_reference,
        cast(members as {{ type_double() }})
        / sum(members) over (partition by population) as share_of_total
    from members_counted
),

final as (
    {{ select_contract_columns('crosstabs_shared') }}
)

select * from final
