"""Wholesale segment profiles: one row per segment (size, revenue share, playbook action)."""

from customer_intelligence.segmentation import SegmenterConfig, segment_profiles


def model(dbt, session):
    dbt.config(materialized="table")
    config = SegmenterConfig.from_mapping(dbt.config.get("segmentation"))
    accounts = dbt.ref("int_wholesale_accounts_featured").df()
    assignments = dbt.ref("ml_wholesale_segment_assignments").df()
    playbook = dbt.ref("segment_playbook").df()
    return segment_profiles(accounts, assignments, config, playbook)
