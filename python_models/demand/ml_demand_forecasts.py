"""Forecasts of every product's next weeks from the registered demand model; the statistical
methods run on the series up to as_of_date, the global model is the registered one."""

from customer_intelligence.demand import forecast_demand


def model(dbt, session):
    dbt.config(materialized="table")
    weekly = dbt.ref("int_product_weeks_aggregated").df()
    registry = dbt.ref("ml_demand_model").df()
    as_of_date = dbt.ref("int_as_of_dates_resolved").df()["as_of_date"].iloc[0]
    return forecast_demand(weekly, registry, as_of_date)
