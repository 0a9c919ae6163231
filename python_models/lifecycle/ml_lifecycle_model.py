"""Registry row of the lifecycle model (BG/NBD, Gamma-Gamma, churn classifier) for as_of_date;
reused with its back-test when ml_lifecycle_evaluation was reused (`retraining`)."""

from customer_intelligence.frames import to_pandas
from customer_intelligence.lifecycle import (
    LifecycleConfig,
    read_purchase_days,
    train_lifecycle,
    training_data,
)
from customer_intelligence.retraining import follow, previous_output


def model(dbt, session):
    dbt.config(materialized="table")
    config = LifecycleConfig.from_mapping(dbt.config.get("lifecycle"))
    days = read_purchase_days(to_pandas(dbt.ref("int_customer_purchase_days")))
    product_firsts = to_pandas(dbt.ref("int_customer_products_aggregated"))
    evaluation = to_pandas(dbt.ref("ml_lifecycle_evaluation"))
    as_of_date = to_pandas(dbt.ref("int_as_of_dates_resolved"))["as_of_date"].iloc[0]
    return follow(
        evaluation,
        previous_output(session, dbt.this),
        training_data(days, config, as_of_date),
        lambda: train_lifecycle(days, product_firsts, evaluation, as_of_date, config),
    )
