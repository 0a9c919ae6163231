with

ml_retail_segment_k_selection as (
    select * from {{ ref('ml_retail_segment_k_selection') }}
),

ml_wholesale_segment_k_selection as (
    select * from {{ ref('ml_wholesale_segment_k_selection') }}
),

selections_unioned as (
    select * from ml_retail_segment_k_selection
    union all by name
    select * from ml_wholesale_segment_k_selection
),

final as (
    select
        cast(population as {{ dbt.type_string() }}) as population,
        cast(k as integer) as k,
        cast(inertia as double) as inertia,
        cast(silhouette as double) as silhouette,
        cast(davies_bouldin as double) as davies_bouldin,
        cast(calinski_harabasz as double) as calinski_harabasz,
        cast(smallest_cluster_share as double) as smallest_cluster_share,
        cast(largest_cluster_share as double) as largest_cluster_share,
        cast(stability_ari as double) as stability_ari,
        cast(stability_ari_min as double) as stability_ari_min,
        cast(fit_rows as bigint) as fit_rows,
        cast(silhouette_rows as bigint) as silhouette_rows,
        cast(meets_size_bar as boolean) as meets_size_bar,
        cast(meets_stability_bar as boolean) as meets_stability_bar,
        cast(is_chosen as boolean) as is_chosen,
        cast(selection_rule as {{ dbt.type_string() }}) as selection_rule,
        cast(selection_reason as {{ dbt.type_string() }}) as selection_reason
    from selections_unioned
)

select * from final
