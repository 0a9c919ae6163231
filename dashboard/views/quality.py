"""Data quality: every input row is kept or rejected with a reason; nothing is lost."""

from __future__ import annotations

import altair as alt
import streamlit as st

import dashboard_data as data

st.title("Data quality")
if not data.require_tables("marts.fct_transaction_rejects", "marts.fct_order_lines"):
    st.stop()

totals = data.frame(
    "with kept as (select count(*) as kept_rows from marts.fct_order_lines), "
    "rejected as (select count(*) as rejected_rows from marts.fct_transaction_rejects) "
    "select kept_rows + rejected_rows as input_rows, kept_rows, rejected_rows, "
    "rejected_rows / (kept_rows + rejected_rows) as reject_share from kept cross join rejected"
).iloc[0]
st.subheader("Reconciliation: input = kept + rejected")
cards = st.columns(4)
cards[0].metric("Input rows", f"{int(totals['input_rows']):,}")
cards[1].metric("Kept (sale lines)", f"{int(totals['kept_rows']):,}")
cards[2].metric("Rejected", f"{int(totals['rejected_rows']):,}")
cards[3].metric("Reject share", f"{totals['reject_share']:.2%}")
st.caption(
    "The build's test assert_transactions_reconcile proves the source row count equals kept + "
    "rejected, per reason; a build that fails it is never published."
)

st.subheader("Rejects by reason")
reasons = data.frame(
    "select rejection_rule_order, rejection_reason, rejection_description, "
    "count(*) as rejected_rows, count(distinct invoice_id) as invoices "
    "from marts.fct_transaction_rejects group by all order by rejection_rule_order, 2"
)
chart = (
    alt.Chart(reasons)
    .mark_bar()
    .encode(
        alt.X("rejected_rows:Q", title="Rejected rows"),
        alt.Y("rejection_reason:N", sort=None, title=None),
        tooltip=["rejection_reason:N", "rejection_description:N", "rejected_rows:Q"],
    )
)
st.altair_chart(chart, width="stretch")
st.dataframe(reasons, hide_index=True, width="stretch")

reason = st.selectbox("Show sample rejects for", reasons["rejection_reason"], key="reason")
sample = data.frame(
    "select transaction_line_id, rejection_detail, invoice_id, product_id, customer_id, "
    "invoiced_at, quantity, unit_price, raw_invoice_no, raw_stock_code, raw_description, "
    "raw_quantity, raw_unit_price, raw_customer_id, raw_country "
    "from marts.fct_transaction_rejects where rejection_reason = ? "
    "order by transaction_line_id limit 50",
    (reason,),
)
st.dataframe(sample, hide_index=True, width="stretch")
