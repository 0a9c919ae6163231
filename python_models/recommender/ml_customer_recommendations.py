"""Two ranked lists per customer ("all", "new") from the registered recommender, with reasons."""


def model(dbt, session):
    dbt.config(materialized="table")
    from customer_intelligence.recommender import RecommenderConfig
    from customer_intelligence.recommender.data import read_lines
    from customer_intelligence.recommender.production import decode_spec
    from customer_intelligence.recommender.scoring import score_customers

    settings = RecommenderConfig.from_mapping(dbt.config.get("recommender"))
    lines = read_lines(dbt.ref("fct_order_lines"))
    # Every customer gets lists: those whose purchases were all cancelled have no net history
    # and get the cold-start list, flagged as such.
    customers = dbt.ref("int_customers_rfm_scored").project("customer_id").df()["customer_id"]
    registry = dbt.ref("ml_recommender_model").df().iloc[0]
    frame = score_customers(
        lines,
        decode_spec(registry["artefact"]),
        n=settings.top_n,
        customer_ids=customers,
    )
    frame["model_version"] = registry["model_version"]
    return frame
