"""Trained retail-customer segmenter: one registry row (the fitted model as JSON artefact).

Fits at the k chosen in ml_retail_segment_k_selection (or the fixed k from the config).
"""

from customer_intelligence.segmentation import SegmenterConfig, train_segmenter


def model(dbt, session):
    dbt.config(materialized="table")
    config = SegmenterConfig.from_mapping(dbt.config.get("segmentation"))
    customers = dbt.ref("int_customers_rfm_scored").df()
    selection = dbt.ref("ml_retail_segment_k_selection").df()
    as_of_date = dbt.ref("int_as_of_dates_resolved").df()["as_of_date"].iloc[0]
    return train_segmenter(customers, config, selection, as_of_date=as_of_date)
