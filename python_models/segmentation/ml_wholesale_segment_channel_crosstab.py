"""Wholesale segments against the sales channel: one row per segment and channel."""

from customer_intelligence.segmentation import SegmenterConfig, segment_crosstab


def model(dbt, session):
    dbt.config(materialized="table")
    config = SegmenterConfig.from_mapping(dbt.config.get("segmentation"))
    accounts = dbt.ref("int_wholesale_accounts_featured").df()
    assignments = dbt.ref("ml_wholesale_segment_assignments").df()
    return segment_crosstab(assignments, accounts, config, reference_column="channel")
