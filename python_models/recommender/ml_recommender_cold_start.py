"""The list shown to a customer with no purchase history (web shop visitor, new account)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from customer_intelligence.recommender.data import build_interactions, read_lines
    from customer_intelligence.recommender.production import cold_start_list

    top_n = dbt.config.get("top_n")
    lines = read_lines(dbt.ref("fct_order_lines"))
    as_of_date = dbt.ref("int_as_of_dates_resolved").df()["as_of_date"].iloc[0]
    return cold_start_list(build_interactions(lines, as_of_date), n=int(top_n or 10))
