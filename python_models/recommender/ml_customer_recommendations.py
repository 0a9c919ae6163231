"""Two ranked lists per customer ("all", "new") from the registered recommender, with reasons."""


def model(dbt, session):
    dbt.config(materialized="table")
    from customer_intelligence.recommender.data import read_lines
    from customer_intelligence.recommender.production import decode_spec, score_customers

    top_n = dbt.config.get("top_n")
    lines = read_lines(dbt.ref("fct_order_lines"))
    # Every customer gets lists: those whose purchases were all cancelled have no net history
    # and get the cold-start list, flagged as such.
    customers = dbt.ref("int_customers_rfm_scored").project("customer_id").df()["customer_id"]
    registry = dbt.ref("ml_recommender_model_registry_current").df().iloc[0]
    frame = score_customers(
        lines,
        decode_spec(registry["artefact"]),
        n=int(top_n or 10),
        customer_ids=customers,
    )
    frame["model_version"] = registry["model_version"]
    return frame
