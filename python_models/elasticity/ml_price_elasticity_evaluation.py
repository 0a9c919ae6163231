"""The checks behind the price elasticities: held-out weeks, known elasticities, shuffled
prices, and the line-level (tier-confounded) estimate beside the weekly one. Kept from the last
build only when the weekly panel is identical: estimating takes seconds."""

from customer_intelligence.elasticity import ElasticityConfig, evaluate_elasticities, training_data
from customer_intelligence.frames import to_pandas
from customer_intelligence.retraining import RetrainPolicy, previous_output, train_or_reuse


def model(dbt, session):
    dbt.config(materialized="table")
    config = ElasticityConfig.from_mapping(dbt.config.get("elasticity"))
    weekly = to_pandas(dbt.ref("int_product_weeks_priced"))
    slopes = to_pandas(dbt.ref("int_product_line_price_slopes"))
    products = to_pandas(dbt.ref("dim_products"))
    as_of_date = to_pandas(dbt.ref("int_as_of_dates_resolved"))["as_of_date"].iloc[0]
    return train_or_reuse(
        previous_output(session, dbt.this),
        training_data(weekly, config, as_of_date),
        RetrainPolicy.from_mapping(dbt.config.get("retraining")).only_when_unchanged(),
        lambda: evaluate_elasticities(weekly, slopes, products, config),
    )
