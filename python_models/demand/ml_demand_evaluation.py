"""Rolling-origin back-test of the demand forecasts, or the last build's when `retraining`
reuses it."""

from customer_intelligence.demand import DemandConfig, WeeklyDemand, evaluation_table, training_data
from customer_intelligence.frames import to_pandas
from customer_intelligence.retraining import RetrainPolicy, previous_output, train_or_reuse


def model(dbt, session):
    dbt.config(materialized="table")
    config = DemandConfig.from_mapping(dbt.config.get("demand"))
    weekly = to_pandas(dbt.ref("int_product_weeks_aggregated"))
    as_of_date = to_pandas(dbt.ref("int_as_of_dates_resolved"))["as_of_date"].iloc[0]
    return train_or_reuse(
        previous_output(session, dbt.this),
        training_data(weekly, config, as_of_date),
        RetrainPolicy.from_mapping(dbt.config.get("retraining")),
        lambda: evaluation_table(WeeklyDemand.from_frame(weekly, as_of_date), config),
    )
