"""Segment of every retail customer: one row per customer, from the stored model (no refit)."""

from customer_intelligence.frames import to_pandas
from customer_intelligence.segmentation import SegmenterConfig, apply_segmenter


def model(dbt, session):
    dbt.config(materialized="table")
    config = SegmenterConfig.from_mapping(dbt.config.get("segmentation"))
    customers = to_pandas(dbt.ref("int_customers_rfm_scored"))
    registry = to_pandas(dbt.ref("ml_retail_segment_model"))
    return apply_segmenter(customers, config, registry)
