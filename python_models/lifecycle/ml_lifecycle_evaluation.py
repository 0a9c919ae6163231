"""Back-test of the lifecycle models, or the last build's when `retraining` reuses it."""

from customer_intelligence.frames import to_pandas
from customer_intelligence.lifecycle import (
    LifecycleConfig,
    evaluation_table,
    read_purchase_days,
    training_data,
)
from customer_intelligence.retraining import RetrainPolicy, previous_output, train_or_reuse


def model(dbt, session):
    dbt.config(materialized="table")
    config = LifecycleConfig.from_mapping(dbt.config.get("lifecycle"))
    days = read_purchase_days(to_pandas(dbt.ref("int_customer_purchase_days")))
    product_firsts = to_pandas(dbt.ref("int_customer_products_aggregated"))
    segment_map = to_pandas(dbt.ref("rfm_segment_map"))
    as_of_date = to_pandas(dbt.ref("int_as_of_dates_resolved"))["as_of_date"].iloc[0]
    return train_or_reuse(
        previous_output(session, dbt.this),
        training_data(days, config, as_of_date),
        RetrainPolicy.from_mapping(dbt.config.get("retraining")),
        lambda: evaluation_table(days, product_firsts, segment_map, as_of_date, config),
    )
