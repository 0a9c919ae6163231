"""One row per candidate, model stage and fixed false positive rate: fold-averaged ROC curves.

Unpacked from the current registry row's metrics_json (computed once, in training).
"""

from customer_intelligence.channel import roc_table
from customer_intelligence.frames import to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    registry = to_pandas(dbt.ref("ml_channel_model"))
    return roc_table(registry)
