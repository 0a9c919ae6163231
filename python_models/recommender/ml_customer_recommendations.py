"""Two ranked lists per customer ("all", "new") from the registered recommender, with reasons.

The registered spec is refitted on the lines before this build's as_of_date; when the model was
reused because nothing changed, the last build's lists (of the same model version) are kept.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from customer_intelligence.frames import to_pandas
    from customer_intelligence.recommender import RecommenderConfig
    from customer_intelligence.recommender.data import read_lines
    from customer_intelligence.recommender.production import decode_spec
    from customer_intelligence.recommender.scoring import score_customers
    from customer_intelligence.retraining import previous_output, unchanged_since_last_build

    registry = to_pandas(dbt.ref("ml_recommender_model")).iloc[0]
    previous = previous_output(session, dbt.this)
    if unchanged_since_last_build(registry, previous):
        return previous
    settings = RecommenderConfig.from_mapping(dbt.config.get("recommender"))
    lines = read_lines(dbt.ref("fct_order_lines"))
    as_of_date = to_pandas(dbt.ref("int_as_of_dates_resolved"))["as_of_date"].iloc[0]
    # Every customer gets lists: those whose purchases were all cancelled have no net history
    # and get the cold-start list, flagged as such.
    customers = to_pandas(dbt.ref("int_customers_rfm_scored"), ["customer_id"])["customer_id"]
    frame = score_customers(
        lines,
        decode_spec(registry["artefact"]),
        n=settings.top_n,
        customer_ids=customers,
        as_of_date=as_of_date,
    )
    frame["model_version"] = registry["model_version"]
    return frame
