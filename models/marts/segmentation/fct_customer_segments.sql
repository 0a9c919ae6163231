with

ml_retail_segment_assignments as (
    select * from {{ ref('ml_retail_segment_assignments') }}
),

ml_retail_segment_profiles as (
    select * from {{ ref('ml_retail_segment_profiles') }}
),

final as (
    select
        cast(ml_retail_segment_assignments.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(ml_retail_segment_assignments.segment_id as integer) as segment_id,
        cast(ml_retail_segment_assignments.segment_name as {{ dbt.type_string() }}) as segment_name,
        cast(ml_retail_segment_assignments.segment_archetype as {{ dbt.type_string() }})
            as segment_archetype,
        cast(ml_retail_segment_profiles.marketing_action as {{ dbt.type_string() }})
            as marketing_action,
        cast(ml_retail_segment_profiles.action_priority as {{ dbt.type_string() }})
            as action_priority,
        cast(ml_retail_segment_assignments.distance_to_centroid as double)
            as distance_to_centroid,
        cast(ml_retail_segment_assignments.pca_x as double) as pca_x,
        cast(ml_retail_segment_assignments.pca_y as double) as pca_y,
        cast(ml_retail_segment_assignments.outlier_score as double) as outlier_score,
        cast(ml_retail_segment_assignments.is_outlier as boolean) as is_segment_outlier,
        cast(ml_retail_segment_assignments.model_version as {{ dbt.type_string() }})
            as segment_model_version
    from ml_retail_segment_assignments
    left join ml_retail_segment_profiles
        on ml_retail_segment_assignments.segment_id = ml_retail_segment_profiles.segment_id
)

select * from final
