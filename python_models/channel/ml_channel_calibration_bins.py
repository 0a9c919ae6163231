"""One row per model stage and probability bin: the reliability curve of the selected model.

Unpacked from the current registry row's metrics_json (computed once, in training).
"""

from customer_intelligence.channel import calibration_table


def model(dbt, session):
    dbt.config(materialized="table")
    registry = dbt.ref("ml_channel_model").df()
    return calibration_table(registry)
