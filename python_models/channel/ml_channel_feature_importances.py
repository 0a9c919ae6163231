"""One row per candidate and feature: gain-type and held-out permutation importance.

Unpacked from the current registry row's metrics_json (computed once, in training).
"""

from customer_intelligence.channel import feature_importance_table
from customer_intelligence.frames import to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    registry = to_pandas(dbt.ref("ml_channel_model"))
    return feature_importance_table(registry)
