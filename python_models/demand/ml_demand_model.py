"""Registry row of the demand forecasts for as_of_date: the method per demand class and the
error quantiles from the back-test, and the global model fitted on every complete week; reused
with the back-test when ml_demand_evaluation was reused (`retraining`)."""

from customer_intelligence.demand import DemandConfig, train_demand, training_data
from customer_intelligence.frames import to_pandas
from customer_intelligence.retraining import follow, previous_output


def model(dbt, session):
    dbt.config(materialized="table")
    config = DemandConfig.from_mapping(dbt.config.get("demand"))
    weekly = to_pandas(dbt.ref("int_product_weeks_aggregated"))
    evaluation = to_pandas(dbt.ref("ml_demand_evaluation"))
    as_of_date = to_pandas(dbt.ref("int_as_of_dates_resolved"))["as_of_date"].iloc[0]
    return follow(
        evaluation,
        previous_output(session, dbt.this),
        training_data(weekly, config, as_of_date),
        lambda: train_demand(weekly, evaluation, as_of_date, config),
    )
