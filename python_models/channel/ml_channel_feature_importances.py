"""One row per candidate and feature: gain-type and held-out permutation importance.

Unpacked from the current registry row's metrics_json (computed once, in training).
"""

from customer_intelligence.channel import feature_importance_table


def model(dbt, session):
    dbt.config(materialized="table")
    registry = dbt.ref("ml_channel_model").df()
    return feature_importance_table(registry)
