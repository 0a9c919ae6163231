"""Trained retail-customer segmenter: one registry row (the fitted model as JSON artefact).

Fits at the k chosen in ml_retail_segment_k_selection (or the fixed k from the config);
when the k selection was reused (`retraining`), the last build's model is reused with it.
"""

from customer_intelligence.frames import to_pandas
from customer_intelligence.retraining import follow, previous_output
from customer_intelligence.segmentation import SegmenterConfig, train_segmenter, training_data


def model(dbt, session):
    dbt.config(materialized="table")
    config = SegmenterConfig.from_mapping(dbt.config.get("segmentation"))
    customers = to_pandas(dbt.ref("int_customers_rfm_scored"))
    selection = to_pandas(dbt.ref("ml_retail_segment_k_selection"))
    as_of_date = to_pandas(dbt.ref("int_as_of_dates_resolved"))["as_of_date"].iloc[0]
    return follow(
        selection,
        previous_output(session, dbt.this),
        training_data(customers, config, as_of_date),
        lambda: train_segmenter(customers, config, selection, as_of_date=as_of_date),
    )
