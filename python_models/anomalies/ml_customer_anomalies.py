"""Anomaly score of every customer: their most anomalous order, and how many were flagged."""

from customer_intelligence.anomalies import AnomalyConfig, score_customers
from customer_intelligence.frames import to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    config = AnomalyConfig.from_mapping(dbt.config.get("anomalies"))
    return score_customers(to_pandas(dbt.ref("ml_order_anomalies")), config)
