-- One row per product with a sale week before as_of_date: its price elasticity from weekly units
-- against the weekly list price, or why it has none, and the suggested price move.
with

elasticities as (

    select * from {{ ref('ml_price_elasticities') }}

),

products as (

    select * from {{ ref('dim_products') }}

),

models as (

    select * from {{ ref('ml_price_elasticity_model') }}

),

elasticities_described as (

    select
        elasticities.*,
        products.product_description,
        models.model_version as elasticity_model_version,
        models.as_of_date
    from elasticities
    left join products
        on elasticities.product_id = products.product_id
    cross join models

),

final as (

    {{ select_contract_columns('elasticities_described') }}

)

select * from final
