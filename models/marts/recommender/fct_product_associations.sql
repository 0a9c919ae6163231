with

ml_product_associations as (
    select * from {{ ref('ml_product_associations') }}
),

final as (
    select
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        cast(related_rank as integer) as related_rank,
        cast(related_product_id as {{ dbt.type_string() }}) as related_product_id,
        cast(relation_type as {{ dbt.type_string() }}) as relation_type,
        cast(co_invoice_count as bigint) as co_invoice_count,
        cast(confidence as double) as confidence,
        cast(lift as double) as lift,
        cast(similarity as double) as similarity,
        cast(as_of_date as date) as as_of_date
    from ml_product_associations
)

select * from final
