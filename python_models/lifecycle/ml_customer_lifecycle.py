"""Lifecycle scores of every customer with a purchase before as_of_date, from the registered
model (no refit)."""

from customer_intelligence.lifecycle import purchase_days, score_lifecycle


def model(dbt, session):
    dbt.config(materialized="table")
    days = purchase_days(dbt.ref("fct_orders").df())
    product_firsts = dbt.ref("int_customer_products_aggregated").df()
    registry = dbt.ref("ml_lifecycle_model").df()
    as_of_date = dbt.ref("int_as_of_dates_resolved").df()["as_of_date"].iloc[0]
    return score_lifecycle(days, product_firsts, registry, as_of_date)
