"""Trained wholesale-account segmenter: one registry row (the fitted model as JSON artefact).

Fits at the k chosen in ml_wholesale_segment_k_selection (or the fixed k from the config).
"""

from customer_intelligence.segmentation import SegmenterConfig, train_segmenter


def model(dbt, session):
    dbt.config(materialized="table")
    config = SegmenterConfig.from_mapping(dbt.config.get("segmentation"))
    accounts = dbt.ref("int_wholesale_accounts_featured").df()
    selection = dbt.ref("ml_wholesale_segment_k_selection").df()
    return train_segmenter(accounts, config, selection)
