"""k-selection table for wholesale accounts: one row per evaluated k (metrics, chosen k).

Features and the k range come from the `segmentation` config in _segmentation__models.yml; it is
run again only when `retraining` says the accounts changed materially (the segmenter follows).
"""

from customer_intelligence.frames import to_pandas
from customer_intelligence.retraining import RetrainPolicy, previous_output, train_or_reuse
from customer_intelligence.segmentation import SegmenterConfig, run_k_selection, training_data


def model(dbt, session):
    dbt.config(materialized="table")
    config = SegmenterConfig.from_mapping(dbt.config.get("segmentation"))
    accounts = to_pandas(dbt.ref("int_wholesale_accounts_featured"))
    return train_or_reuse(
        previous_output(session, dbt.this),
        training_data(accounts, config),
        RetrainPolicy.from_mapping(dbt.config.get("retraining")),
        lambda: run_k_selection(accounts, config),
    )
