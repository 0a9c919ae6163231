with

ml_wholesale_segment_assignments as (
    select * from {{ ref('ml_wholesale_segment_assignments') }}
),

ml_wholesale_segment_profiles as (
    select * from {{ ref('ml_wholesale_segment_profiles') }}
),

final as (
    select
        cast(ml_wholesale_segment_assignments.account_id as integer) as account_id,
        cast(ml_wholesale_segment_assignments.segment_id as integer) as segment_id,
        cast(ml_wholesale_segment_assignments.segment_name as {{ dbt.type_string() }})
            as segment_name,
        cast(ml_wholesale_segment_assignments.segment_archetype as {{ dbt.type_string() }})
            as segment_archetype,
        cast(ml_wholesale_segment_profiles.marketing_action as {{ dbt.type_string() }})
            as marketing_action,
        cast(ml_wholesale_segment_profiles.action_priority as {{ dbt.type_string() }})
            as action_priority,
        cast(ml_wholesale_segment_assignments.distance_to_centroid as double)
            as distance_to_centroid,
        cast(ml_wholesale_segment_assignments.pca_x as double) as pca_x,
        cast(ml_wholesale_segment_assignments.pca_y as double) as pca_y,
        cast(ml_wholesale_segment_assignments.outlier_score as double) as outlier_score,
        cast(ml_wholesale_segment_assignments.is_outlier as boolean) as is_segment_outlier,
        cast(ml_wholesale_segment_assignments.model_version as {{ dbt.type_string() }})
            as segment_model_version
    from ml_wholesale_segment_assignments
    left join ml_wholesale_segment_profiles
        on ml_wholesale_segment_assignments.segment_id = ml_wholesale_segment_profiles.segment_id
)

select * from final
