"""Back-test of the lifecycle models, or the last build's when `retraining` reuses it."""

from customer_intelligence.lifecycle import (
    LifecycleConfig,
    evaluation_table,
    purchase_days,
    training_data,
)
from customer_intelligence.retraining import RetrainPolicy, previous_output, train_or_reuse


def model(dbt, session):
    dbt.config(materialized="table")
    config = LifecycleConfig.from_mapping(dbt.config.get("lifecycle"))
    days = purchase_days(dbt.ref("fct_orders").df())
    product_firsts = dbt.ref("int_customer_products_aggregated").df()
    segment_map = dbt.ref("rfm_segment_map").df()
    as_of_date = dbt.ref("int_as_of_dates_resolved").df()["as_of_date"].iloc[0]
    return train_or_reuse(
        previous_output(session, dbt.this),
        training_data(days, config, as_of_date),
        RetrainPolicy.from_mapping(dbt.config.get("retraining")),
        lambda: evaluation_table(days, product_firsts, segment_map, as_of_date, config),
    )
