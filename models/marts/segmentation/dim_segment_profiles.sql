with

ml_retail_segment_profiles as (
    select * from {{ ref('ml_retail_segment_profiles') }}
),

ml_wholesale_segment_profiles as (
    select * from {{ ref('ml_wholesale_segment_profiles') }}
),

profiles_unioned as (
    select * from ml_retail_segment_profiles
    union all by name
    select * from ml_wholesale_segment_profiles
),

final as (
    select
        population || ':' || cast(segment_id as {{ dbt.type_string() }}) as segment_key,
        cast(population as {{ dbt.type_string() }}) as population,
        cast(segment_id as integer) as segment_id,
        cast(segment_name as {{ dbt.type_string() }}) as segment_name,
        cast(segment_archetype as {{ dbt.type_string() }}) as segment_archetype,
        cast(members as bigint) as members,
        cast(member_share as double) as member_share,
        cast(revenue as double) as revenue,
        cast(revenue_share as double) as revenue_share,
        cast(mean_value as double) as mean_value,
        cast(median_value as double) as median_value,
        cast(outliers as bigint) as outliers,
        cast(outlier_share as double) as outlier_share,
        cast(marketing_action as {{ dbt.type_string() }}) as marketing_action,
        cast(action_priority as {{ dbt.type_string() }}) as action_priority
    from profiles_unioned
)

select * from final
