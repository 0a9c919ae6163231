"""Anomaly score, rank and reasons of every order before as_of_date; the last build's scores are
kept when the log and the settings did not change (`retraining`)."""

from customer_intelligence.anomalies import AnomalyConfig, score_orders
from customer_intelligence.frames import to_pandas
from customer_intelligence.retraining import inputs_unchanged, previous_output


def model(dbt, session):
    dbt.config(materialized="table")
    config = AnomalyConfig.from_mapping(dbt.config.get("anomalies"))
    registry = to_pandas(dbt.ref("ml_anomaly_model"))
    previous = previous_output(session, dbt.this)
    if inputs_unchanged(registry.iloc[0], previous):
        return previous
    return score_orders(to_pandas(dbt.ref("int_order_lines_scoped")), config)
