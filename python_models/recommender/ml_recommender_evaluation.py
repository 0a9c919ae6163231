"""Temporal hold-out evaluation of every recommender method (thin shell over the package)."""

LINE_COLUMNS = (
    "customer_id, product_id, invoice_id, invoice_date, quantity, product_description, unit_price"
)


def model(dbt, session):
    dbt.config(materialized="table")
    from customer_intelligence.recommender.evaluation import evaluation_table

    lines = dbt.ref("fct_order_lines").project(LINE_COLUMNS).df()
    as_of_date = dbt.ref("int_as_of_dates_resolved").df()["as_of_date"].iloc[0]
    frame = evaluation_table(
        lines,
        as_of_date,
        cutoff_days_before=str(dbt.config.get("cutoff_days_before") or "91"),
        window_days=int(dbt.config.get("window_days") or 91),
        validation_days=int(dbt.config.get("validation_days") or 91),
        k=int(dbt.config.get("k") or 10),
        max_users=int(dbt.config.get("max_evaluation_users") or 0) or None,  # 0: every customer
    )
    return frame
