"""One row per candidate, model stage and fixed false positive rate: fold-averaged ROC curves.

Unpacked from the current registry row's metrics_json (computed once, in training).
"""

from customer_intelligence.channel import roc_table


def model(dbt, session):
    dbt.config(materialized="table")
    registry = dbt.ref("ml_channel_model").df()
    return roc_table(registry)
