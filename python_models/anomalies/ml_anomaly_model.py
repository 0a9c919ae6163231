"""Registry row of the order anomaly flags: their settings and the evaluation's recall and
precision per injected kind; reused with the evaluation."""

from customer_intelligence.anomalies import AnomalyConfig
from customer_intelligence.anomalies.pipeline import anomaly_registry_row, training_data
from customer_intelligence.frames import to_pandas
from customer_intelligence.retraining import follow, previous_output


def model(dbt, session):
    dbt.config(materialized="table")
    config = AnomalyConfig.from_mapping(dbt.config.get("anomalies"))
    lines = to_pandas(dbt.ref("int_order_lines_scoped"))
    evaluation = to_pandas(dbt.ref("ml_anomaly_evaluation"))
    as_of_date = to_pandas(dbt.ref("int_as_of_dates_resolved"))["as_of_date"].iloc[0]
    fingerprint = training_data(lines, config, as_of_date)
    return follow(
        evaluation,
        previous_output(session, dbt.this),
        fingerprint,
        lambda: anomaly_registry_row(evaluation, fingerprint, config),
    )
