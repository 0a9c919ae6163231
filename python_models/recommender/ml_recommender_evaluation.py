"""Temporal hold-out evaluation of every recommender method (thin shell over the package).

It belongs to the registered recommender: a build that reuses the model (ml_recommender_model,
`build_action` = reused) keeps the evaluation it was chosen with instead of back-testing again.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from customer_intelligence.frames import to_pandas
    from customer_intelligence.recommender import RecommenderConfig
    from customer_intelligence.recommender.data import read_lines
    from customer_intelligence.recommender.evaluation import evaluation_table
    from customer_intelligence.retraining import REUSED, previous_output

    registry = to_pandas(dbt.ref("ml_recommender_model"))
    previous = previous_output(session, dbt.this)
    if previous is not None and (registry["build_action"] == REUSED).all():
        return previous
    settings = RecommenderConfig.from_mapping(dbt.config.get("recommender"))
    lines = read_lines(dbt.ref("fct_order_lines"))
    as_of_date = to_pandas(dbt.ref("int_as_of_dates_resolved"))["as_of_date"].iloc[0]
    return evaluation_table(lines, as_of_date, settings)
