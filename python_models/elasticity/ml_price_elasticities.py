"""Price elasticity of every product with a sale week, or the reason it has none, with a
suggested price move where the interval says which way revenue goes."""

from customer_intelligence.elasticity import ElasticityConfig, price_elasticities
from customer_intelligence.frames import to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    config = ElasticityConfig.from_mapping(dbt.config.get("elasticity"))
    weekly = to_pandas(dbt.ref("int_product_weeks_priced"))
    slopes = to_pandas(dbt.ref("int_product_line_price_slopes"))
    products = to_pandas(dbt.ref("dim_products"))
    return price_elasticities(weekly, slopes, products, config)
