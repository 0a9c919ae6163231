"""Current segmentation models: one row per population's segmenter, registry columns only.

The lead's incremental SQL registry unions this table so each new model version is appended.
"""

from customer_intelligence.segmentation import current_registry


def model(dbt, session):
    dbt.config(materialized="table")
    rows = [
        dbt.ref("ml_retail_segment_model").df(),
        dbt.ref("ml_wholesale_segment_model").df(),
    ]
    return current_registry(rows)
