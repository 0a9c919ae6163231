"""Segment of every wholesale account: one row per account, from the stored model (no refit)."""

from customer_intelligence.segmentation import SegmenterConfig, apply_segmenter


def model(dbt, session):
    dbt.config(materialized="table")
    config = SegmenterConfig.from_mapping(dbt.config.get("segmentation"))
    accounts = dbt.ref("int_wholesale_accounts_featured").df()
    registry = dbt.ref("ml_wholesale_segment_model").df()
    return apply_segmenter(accounts, config, registry)
