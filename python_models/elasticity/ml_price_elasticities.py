"""Price elasticity of every product with a sale week, or the reason it has none, with a
suggested price move where the interval says which way revenue goes."""

from customer_intelligence.elasticity import ElasticityConfig, price_elasticities


def model(dbt, session):
    dbt.config(materialized="table")
    config = ElasticityConfig.from_mapping(dbt.config.get("elasticity"))
    weekly = dbt.ref("int_product_weeks_priced").df()
    slopes = dbt.ref("int_product_line_price_slopes").df()
    products = dbt.ref("dim_products").df()
    return price_elasticities(weekly, slopes, products, config)
