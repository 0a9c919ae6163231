"""Wholesale segment feature profiles: one row per segment and feature (means, medians, ANOVA)."""

from customer_intelligence.frames import to_pandas
from customer_intelligence.segmentation import SegmenterConfig, feature_profiles


def model(dbt, session):
    dbt.config(materialized="table")
    config = SegmenterConfig.from_mapping(dbt.config.get("segmentation"))
    accounts = to_pandas(dbt.ref("int_wholesale_accounts_featured"))
    assignments = to_pandas(dbt.ref("ml_wholesale_segment_assignments"))
    return feature_profiles(accounts, assignments, config)
