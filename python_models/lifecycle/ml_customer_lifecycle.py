"""Lifecycle scores of every customer with a purchase before as_of_date, from the registered
model (no refit)."""

from customer_intelligence.frames import to_pandas
from customer_intelligence.lifecycle import read_purchase_days, score_lifecycle


def model(dbt, session):
    dbt.config(materialized="table")
    days = read_purchase_days(to_pandas(dbt.ref("int_customer_purchase_days")))
    product_firsts = to_pandas(dbt.ref("int_customer_products_aggregated"))
    registry = to_pandas(dbt.ref("ml_lifecycle_model"))
    as_of_date = to_pandas(dbt.ref("int_as_of_dates_resolved"))["as_of_date"].iloc[0]
    return score_lifecycle(days, product_firsts, registry, as_of_date)
