"""Temporal hold-out evaluation of every recommender method (thin shell over the package)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from customer_intelligence.recommender import RecommenderConfig
    from customer_intelligence.recommender.data import read_lines
    from customer_intelligence.recommender.evaluation import evaluation_table

    settings = RecommenderConfig.from_mapping(dbt.config.get("recommender"))
    lines = read_lines(dbt.ref("fct_order_lines"))
    as_of_date = dbt.ref("int_as_of_dates_resolved").df()["as_of_date"].iloc[0]
    return evaluation_table(lines, as_of_date, settings)
