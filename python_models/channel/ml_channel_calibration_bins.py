"""One row per model stage and probability bin: the reliability curve of the selected model.

Unpacked from the current registry row's metrics_json (computed once, in training).
"""

from customer_intelligence.channel import calibration_table
from customer_intelligence.frames import to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    registry = to_pandas(dbt.ref("ml_channel_model"))
    return calibration_table(registry)
