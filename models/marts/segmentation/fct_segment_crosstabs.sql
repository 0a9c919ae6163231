with

ml_retail_segment_rfm_crosstab as (
    select * from {{ ref('ml_retail_segment_rfm_crosstab') }}
),

ml_wholesale_segment_channel_crosstab as (
    select * from {{ ref('ml_wholesale_segment_channel_crosstab') }}
),

crosstabs_unioned as (
    select * from ml_retail_segment_rfm_crosstab
    union all by name
    select * from ml_wholesale_segment_channel_crosstab
),

final as (
    select
        population || ':' || cast(segment_id as {{ dbt.type_string() }}) as segment_key,
        cast(population as {{ dbt.type_string() }}) as population,
        cast(segment_id as integer) as segment_id,
        cast(segment_name as {{ dbt.type_string() }}) as segment_name,
        cast(reference_column as {{ dbt.type_string() }}) as reference_column,
        cast(reference_segment as {{ dbt.type_string() }}) as reference_segment,
        cast(members as bigint) as members,
        cast(share_of_segment as double) as share_of_segment,
        cast(share_of_reference as double) as share_of_reference,
        cast(share_of_total as double) as share_of_total
    from crosstabs_unioned
)

select * from final
