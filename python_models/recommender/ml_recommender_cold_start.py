"""The list shown to a customer with no purchase history (web shop visitor, new account).

Kept from the last build when the registered recommender was reused because nothing changed.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from customer_intelligence.frames import to_pandas
    from customer_intelligence.recommender import RecommenderConfig
    from customer_intelligence.recommender.cold_start import cold_start_list
    from customer_intelligence.recommender.data import build_interactions, read_lines
    from customer_intelligence.retraining import inputs_unchanged, previous_output

    registry = to_pandas(dbt.ref("ml_recommender_model")).iloc[0]
    previous = previous_output(session, dbt.this)
    if inputs_unchanged(registry, previous):
        return previous
    settings = RecommenderConfig.from_mapping(dbt.config.get("recommender"))
    lines = read_lines(dbt.ref("fct_order_lines"))
    as_of_date = to_pandas(dbt.ref("int_as_of_dates_resolved"))["as_of_date"].iloc[0]
    return cold_start_list(build_interactions(lines, as_of_date), n=settings.top_n)
