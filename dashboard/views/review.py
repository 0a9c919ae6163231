"""Order review: the orders the anomaly flags put on the review list, with their reasons and
review status, the customers behind them, and how well the list catches injected anomalies.

Reads fct_order_anomalies, fct_customer_anomalies and rpt_anomaly_evaluation.
"""

from __future__ import annotations

import streamlit as st

import dashboard_data as data

st.title("Order review")
if not data.require_tables(
    "marts.fct_order_anomalies", "marts.fct_customer_anomalies", "marts.rpt_anomaly_evaluation"
):
    st.stop()

status = data.frame(
    "select review_status, count(*) as orders from marts.fct_order_anomalies group by 1"
)
counts = dict(zip(status["review_status"], status["orders"], strict=True))
flagged = sum(counts.get(s, 0) for s in ("to_review", "confirmed", "dismissed", "in_review"))
cards = st.columns(4)
cards[0].metric("Orders scored", f"{int(status['orders'].sum()):,}")
cards[1].metric("To review", f"{counts.get('to_review', 0):,}")
cards[2].metric("Confirmed", f"{counts.get('confirmed', 0):,}")
cards[3].metric("Dismissed", f"{counts.get('dismissed', 0):,}")

st.subheader("Review list")
st.caption(
    "The most anomalous orders first: each order is measured against its products' usual price "
    "and quantity and its customer's usual order, and the reasons say what stood out. Record a "
    "review by adding the order to the seed anomaly_reviews (confirmed, dismissed, in_review) "
    "and building again."
)
st.dataframe(
    data.frame(
        "select anomaly_rank, invoice_id, customer_id, invoiced_at, lines, amount, "
        "top_reasons, review_status, reviewer, review_note from marts.fct_order_anomalies "
        "where is_flagged or review_status in ('confirmed', 'dismissed', 'in_review') "
        "order by anomaly_rank"
    ),
    hide_index=True,
    width="stretch",
)

st.subheader("Customers with flagged orders")
st.dataframe(
    data.frame(
        "select customer_rank, customer_id, orders, flagged_orders, worst_invoice_id, "
        "top_reasons from marts.fct_customer_anomalies where is_flagged "
        "order by customer_rank limit 500"
    ),
    hide_index=True,
    width="stretch",
)

st.subheader("Does the list catch real problems?")
evaluation = data.frame(
    "select anomaly_kind, count(*) as seeds, sum(injected) as injected, sum(caught) as caught, "
    "sum(caught) / sum(injected) as recall, min(recall) as worst_seed_recall, "
    "sum(caught) / sum(budget_orders) as precision "
    "from marts.rpt_anomaly_evaluation group by 1 order by 1"
)
st.caption(
    f"Anomalies of each kind injected into copies of the log ({flagged:,} orders fit on the "
    "list here): recall = the share of them the list holds. Precision is capped by how few "
    "are injected; the rest of the list is the log's own unusual orders."
)
st.dataframe(evaluation, hide_index=True, width="stretch")
