"""Recall and precision of the review list on anomalies injected into copies of the log, or the
last build's when `retraining` reuses it."""

from customer_intelligence.anomalies import AnomalyConfig, evaluate
from customer_intelligence.anomalies.pipeline import training_data
from customer_intelligence.frames import to_pandas
from customer_intelligence.retraining import RetrainPolicy, previous_output, train_or_reuse


def model(dbt, session):
    dbt.config(materialized="table")
    config = AnomalyConfig.from_mapping(dbt.config.get("anomalies"))
    lines = to_pandas(dbt.ref("int_order_lines_scoped"))
    as_of_date = to_pandas(dbt.ref("int_as_of_dates_resolved"))["as_of_date"].iloc[0]
    return train_or_reuse(
        previous_output(session, dbt.this),
        training_data(lines, config, as_of_date),
        RetrainPolicy.from_mapping(dbt.config.get("retraining")),
        lambda: evaluate(lines, config),
    )
