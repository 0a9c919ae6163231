"""Forecasts of every product's next weeks from the registered demand model; the statistical
methods run on the series up to as_of_date, the global model is the registered one. When that
model was reused because nothing changed (`retraining`), the last build's forecasts are kept."""

from customer_intelligence.demand import forecast_demand
from customer_intelligence.frames import to_pandas
from customer_intelligence.retraining import inputs_unchanged, previous_output


def model(dbt, session):
    dbt.config(materialized="table")
    registry = to_pandas(dbt.ref("ml_demand_model"))
    previous = previous_output(session, dbt.this)
    version = registry["model_version"].iloc[0]
    if (
        inputs_unchanged(registry.iloc[0], previous)
        and (previous["demand_model_version"] == version).all()
    ):
        return previous
    weekly = to_pandas(dbt.ref("int_product_weeks_aggregated"))
    as_of_date = to_pandas(dbt.ref("int_as_of_dates_resolved"))["as_of_date"].iloc[0]
    return forecast_demand(weekly, registry, as_of_date)
