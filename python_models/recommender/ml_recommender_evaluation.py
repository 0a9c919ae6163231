"""Temporal hold-out evaluation of every recommender method (thin shell over the package)."""


def model(dbt, session):
    dbt.config(materialized="table")
    from customer_intelligence.recommender.data import read_lines
    from customer_intelligence.recommender.evaluation import evaluation_table

    cutoff_days_before = dbt.config.get("cutoff_days_before")
    window_days = dbt.config.get("window_days")
    validation_days = dbt.config.get("validation_days")
    k = dbt.config.get("k")
    max_evaluation_users = dbt.config.get("max_evaluation_users")
    lines = read_lines(dbt.ref("fct_order_lines"))
    as_of_date = dbt.ref("int_as_of_dates_resolved").df()["as_of_date"].iloc[0]
    frame = evaluation_table(
        lines,
        as_of_date,
        cutoff_days_before=str(cutoff_days_before or "91"),
        window_days=int(window_days or 91),
        validation_days=int(validation_days or 91),
        k=int(k or 10),
        max_users=int(max_evaluation_users or 0) or None,  # 0: every customer
    )
    return frame
