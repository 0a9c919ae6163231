"""Registry row of the price elasticities: each estimated product's coefficients and the shop's
week effects, with the evaluation's figures as metrics; reused with the evaluation."""

from customer_intelligence.elasticity import (
    ElasticityConfig,
    train_elasticity_model,
    training_data,
)
from customer_intelligence.frames import to_pandas
from customer_intelligence.retraining import follow, previous_output


def model(dbt, session):
    dbt.config(materialized="table")
    config = ElasticityConfig.from_mapping(dbt.config.get("elasticity"))
    weekly = to_pandas(dbt.ref("int_product_weeks_priced"))
    products = to_pandas(dbt.ref("dim_products"))
    evaluation = to_pandas(dbt.ref("ml_price_elasticity_evaluation"))
    as_of_date = to_pandas(dbt.ref("int_as_of_dates_resolved"))["as_of_date"].iloc[0]
    return follow(
        evaluation,
        previous_output(session, dbt.this),
        training_data(weekly, config, as_of_date),
        lambda: train_elasticity_model(weekly, products, evaluation, as_of_date, config),
    )
