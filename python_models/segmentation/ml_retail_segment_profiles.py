"""Retail segment profiles: one row per segment (size, revenue share, playbook action)."""

from customer_intelligence.segmentation import SegmenterConfig, segment_profiles


def model(dbt, session):
    dbt.config(materialized="table")
    config = SegmenterConfig.from_mapping(dbt.config.get("segmentation"))
    customers = dbt.ref("int_customers_rfm_scored").df()
    assignments = dbt.ref("ml_retail_segment_assignments").df()
    playbook = dbt.ref("segment_playbook").df()
    return segment_profiles(customers, assignments, config, playbook)
