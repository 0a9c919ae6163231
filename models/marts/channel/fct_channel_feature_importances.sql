-- One row per candidate and feature: gain-type share and held-out permutation importance.
with

feature_importances as (

    select * from {{ ref('ml_channel_feature_importances') }}

),

final as (

    select
        cast(feature_importances.candidate as {{ dbt.type_string() }}) as candidate,
        cast(feature_importances.feature_name as {{ dbt.type_string() }}) as feature_name,
        cast(feature_importances.gain_importance_type as {{ dbt.type_string() }})
            as gain_importance_type,
        cast(feature_importances.gain_importance_share as double) as gain_importance_share,
        cast(
            feature_importances.permutation_importance_mean as double
        ) as permutation_importance_mean,
        cast(
            feature_importances.permutation_importance_std as double
        ) as permutation_importance_std,
        cast(feature_importances.is_selected as boolean) as is_selected,
        cast(feature_importances.model_version as {{ dbt.type_string() }}) as model_version
    from feature_importances

)

select * from final
