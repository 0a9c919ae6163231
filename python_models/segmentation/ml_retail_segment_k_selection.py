"""k-selection table for retail customers: one row per evaluated k (metrics, chosen k).

Features and the k range come from the `segmentation` config in _segmentation__models.yml; it is
run again only when `retraining` says the customers changed materially (the segmenter follows).
"""

from customer_intelligence.frames import to_pandas
from customer_intelligence.retraining import RetrainPolicy, previous_output, train_or_reuse
from customer_intelligence.segmentation import SegmenterConfig, run_k_selection, training_data


def model(dbt, session):
    dbt.config(materialized="table")
    config = SegmenterConfig.from_mapping(dbt.config.get("segmentation"))
    customers = to_pandas(dbt.ref("int_customers_rfm_scored"))
    as_of_date = to_pandas(dbt.ref("int_as_of_dates_resolved"))["as_of_date"].iloc[0]
    return train_or_reuse(
        previous_output(session, dbt.this),
        training_data(customers, config, as_of_date),
        RetrainPolicy.from_mapping(dbt.config.get("retraining")),
        lambda: run_k_selection(customers, config),
    )
