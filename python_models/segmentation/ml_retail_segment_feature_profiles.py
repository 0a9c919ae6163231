"""Retail segment feature profiles: one row per segment and feature (means, medians, ANOVA)."""

from customer_intelligence.frames import to_pandas
from customer_intelligence.segmentation import SegmenterConfig, feature_profiles


def model(dbt, session):
    dbt.config(materialized="table")
    config = SegmenterConfig.from_mapping(dbt.config.get("segmentation"))
    customers = to_pandas(dbt.ref("int_customers_rfm_scored"))
    assignments = to_pandas(dbt.ref("ml_retail_segment_assignments"))
    return feature_profiles(customers, assignments, config)
