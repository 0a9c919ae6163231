"""Registry row of the lifecycle model (BG/NBD, Gamma-Gamma, churn classifier) for as_of_date;
reused with its back-test when ml_lifecycle_evaluation was reused (`retraining`)."""

from customer_intelligence.lifecycle import (
    LifecycleConfig,
    purchase_days,
    train_lifecycle,
    training_data,
)
from customer_intelligence.retraining import follow, previous_output


def model(dbt, session):
    dbt.config(materialized="table")
    config = LifecycleConfig.from_mapping(dbt.config.get("lifecycle"))
    days = purchase_days(dbt.ref("fct_orders").df())
    product_firsts = dbt.ref("int_customer_products_aggregated").df()
    evaluation = dbt.ref("ml_lifecycle_evaluation").df()
    as_of_date = dbt.ref("int_as_of_dates_resolved").df()["as_of_date"].iloc[0]
    return follow(
        evaluation,
        previous_output(session, dbt.this),
        training_data(days, config, as_of_date),
        lambda: train_lifecycle(days, product_firsts, evaluation, as_of_date, config),
    )
