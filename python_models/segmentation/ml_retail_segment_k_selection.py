"""k-selection table for retail customers: one row per evaluated k (metrics, chosen k).

Features and the k range come from the `segmentation` config in _segmentation__models.yml.
"""

from customer_intelligence.segmentation import SegmenterConfig, run_k_selection


def model(dbt, session):
    dbt.config(materialized="table")
    config = SegmenterConfig.from_mapping(dbt.config.get("segmentation"))
    customers = dbt.ref("int_customers_rfm_scored").df()
    return run_k_selection(customers, config)
