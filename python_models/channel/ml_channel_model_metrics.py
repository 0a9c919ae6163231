"""One row per candidate, model stage and metric of the channel classifier's cross-validation.

Unpacked from the current registry row's metrics_json (computed once, in training).
"""

from customer_intelligence.channel import metrics_table


def model(dbt, session):
    dbt.config(materialized="table")
    registry = dbt.ref("ml_channel_model").df()
    return metrics_table(registry)
