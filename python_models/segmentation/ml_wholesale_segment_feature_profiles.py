"""Wholesale segment feature profiles: one row per segment and feature (means, medians, ANOVA)."""

from customer_intelligence.segmentation import SegmenterConfig, feature_profiles


def model(dbt, session):
    dbt.config(materialized="table")
    config = SegmenterConfig.from_mapping(dbt.config.get("segmentation"))
    accounts = dbt.ref("int_wholesale_accounts_featured").df()
    assignments = dbt.ref("ml_wholesale_segment_assignments").df()
    return feature_profiles(accounts, assignments, config)
