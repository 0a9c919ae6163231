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
        cast(population || ':' || cast(segment_id as varchar) as varchar) as segment_key,
        cast(population as varchar) as population,
        cast(segment_id as integer) as segment_id,
        cast(segment_name as varchar) as segment_name,
        cast(reference_column as varchar) as reference_column,
        cast(reference_segment as varchar) as reference_segment,
        cast(members as bigint) as members,
        cast(share_of_segment as double) as share_of_segment,
        cast(share_of_reference as double) as share_of_reference,
        cast(share_of_total as double) as share_of_total
    from crosstabs_unioned
)

select * from final
