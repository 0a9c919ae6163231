"""Trained wholesale-account segmenter: one registry row (the fitted model as JSON artefact).

Fits at the k chosen in ml_wholesale_segment_k_selection (or the fixed k from the config);
when the k selection was reused (`retraining`), the last build's model is reused with it.
"""

from customer_intelligence.frames import to_pandas
from customer_intelligence.retraining import follow, previous_output
from customer_intelligence.segmentation import SegmenterConfig, train_segmenter, training_data


def model(dbt, session):
    dbt.config(materialized="table")
    config = SegmenterConfig.from_mapping(dbt.config.get("segmentation"))
    accounts = to_pandas(dbt.ref("int_wholesale_accounts_featured"))
    selection = to_pandas(dbt.ref("ml_wholesale_segment_k_selection"))
    return follow(
        selection,
        previous_output(session, dbt.this),
        training_data(accounts, config),
        lambda: train_segmenter(accounts, config, selection),
    )
