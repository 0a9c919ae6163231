"""Segment of every wholesale account: one row per account, from the stored model (no refit)."""

from customer_intelligence.frames import to_pandas
from customer_intelligence.segmentation import SegmenterConfig, apply_segmenter


def model(dbt, session):
    dbt.config(materialized="table")
    config = SegmenterConfig.from_mapping(dbt.config.get("segmentation"))
    accounts = to_pandas(dbt.ref("int_wholesale_accounts_featured"))
    registry = to_pandas(dbt.ref("ml_wholesale_segment_model"))
    return apply_segmenter(accounts, config, registry)
