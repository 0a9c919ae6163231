"""Item-to-item table: products bought together (lift, confidence), content fallback.

It reads the same lines and settings as the registered recommender: when that was reused because
nothing changed (`retraining`), the last build's table is kept.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from customer_intelligence.frames import to_pandas
    from customer_intelligence.recommender import RecommenderConfig
    from customer_intelligence.recommender.associations import product_associations
    from customer_intelligence.recommender.data import read_lines
    from customer_intelligence.retraining import inputs_unchanged, previous_output

    registry = to_pandas(dbt.ref("ml_recommender_model")).iloc[0]
    previous = previous_output(session, dbt.this)
    if inputs_unchanged(registry, previous):
        return previous
    settings = RecommenderConfig.from_mapping(dbt.config.get("recommender"))
    lines = read_lines(dbt.ref("fct_order_lines"))
    as_of_date = to_pandas(dbt.ref("int_as_of_dates_resolved"))["as_of_date"].iloc[0]
    return product_associations(
        lines,
        as_of_date,
        top_n=settings.related_top_n,
        min_co_invoices=settings.min_co_invoices,
    )
