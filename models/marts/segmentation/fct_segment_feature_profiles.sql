with

ml_retail_segment_feature_profiles as (
    select * from {{ ref('ml_retail_segment_feature_profiles') }}
),

ml_wholesale_segment_feature_profiles as (
    select * from {{ ref('ml_wholesale_segment_feature_profiles') }}
),

feature_profiles_unioned as (
    select * from ml_retail_segment_feature_profiles
    union all by name
    select * from ml_wholesale_segment_feature_profiles
),

final as (
    select
        population || ':' || cast(segment_id as {{ dbt.type_string() }}) as segment_key,
        cast(population as {{ dbt.type_string() }}) as population,
        cast(segment_id as integer) as segment_id,
        cast(segment_name as {{ dbt.type_string() }}) as segment_name,
        cast(feature_name as {{ dbt.type_string() }}) as feature_name,
        cast(is_model_feature as boolean) as is_model_feature,
        cast(segment_mean as double) as segment_mean,
        cast(segment_median as double) as segment_median,
        cast(population_mean as double) as population_mean,
        cast(population_median as double) as population_median,
        cast(anova_f as double) as anova_f,
        cast(anova_p_value as double) as anova_p_value,
        cast(anova_scale as {{ dbt.type_string() }}) as anova_scale
    from feature_profiles_unioned
)

select * from final
