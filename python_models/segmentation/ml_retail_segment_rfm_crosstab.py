"""Retail segments against rule-based RFM segments: one row per segment and RFM segment."""

from customer_intelligence.segmentation import SegmenterConfig, segment_crosstab


def model(dbt, session):
    dbt.config(materialized="table")
    config = SegmenterConfig.from_mapping(dbt.config.get("segmentation"))
    customers = dbt.ref("int_customers_rfm_scored").df()
    assignments = dbt.ref("ml_retail_segment_assignments").df()
    return segment_crosstab(assignments, customers, config, reference_column="rfm_segment")
