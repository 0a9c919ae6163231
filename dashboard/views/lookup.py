"""Customer look-up: one customer's profile, churn risk and value, and both recommendation
lists, with reasons."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import dashboard_data as data

st.title("Customer look-up")
if not data.require_tables("marts.dim_customers", "marts.fct_customer_recommendations"):
    st.stop()

customer_id = st.text_input("Customer id", key="customer_id", placeholder="e.g. 12347").strip()
if not customer_id:
    st.info("Enter a customer id to see the customer's segment, RFM scores and recommendations.")
    st.stop()

customer = data.frame("select * from marts.dim_customers where customer_id = ?", (customer_id,))
if customer.empty:
    st.warning(f"No customer with id {customer_id!r} in this snapshot.")
    st.stop()
row = customer.iloc[0]

st.subheader(f"Customer {row['customer_id']} ({row['country']})")
cards = st.columns(4)
cards[0].metric("RFM segment", row["rfm_segment"], help=f"RFM cell {row['rfm_cell']}")
cards[1].metric("Behaviour segment", row["behaviour_segment_name"])
cards[2].metric("Net revenue", f"{row['monetary']:,.2f}")
cards[3].metric("Orders", f"{row['frequency']:,}")
if pd.notna(row["churn_probability"]):  # null: every order of the customer was cancelled
    lifecycle = st.columns(4)
    lifecycle[0].metric(
        "Churn probability",
        f"{row['churn_probability']:.0%}",
        help="Probability of no purchase in the lifecycle horizon (fct_customer_lifecycle).",
    )
    lifecycle[1].metric("Churn risk", row["churn_risk_band"])
    lifecycle[2].metric(
        "Lifetime value",
        f"{row['clv']:,.0f}",
        help="Discounted expected spend over var lifecycle_clv_horizon_months (12 by default).",
    )
    lifecycle[3].metric("Value band", row["value_band"])
    st.markdown(f"**Retention action:** {row['retention_action']}")
st.markdown(f"**RFM action:** {row['rfm_recommended_action']}")
st.markdown(f"**Segment action:** {row['behaviour_segment_action']}")

left, right = st.columns(2)
with left:
    st.markdown("**RFM**")
    rfm = customer[
        [
            "recency_days",
            "frequency",
            "monetary",
            "recency_score",
            "frequency_score",
            "monetary_score",
            "rfm_cell",
            "first_order_at",
            "last_order_at",
        ]
    ]
    st.dataframe(rfm.T.rename(columns={0: "value"}).astype(str), width="stretch")
with right:
    st.markdown("**Behaviour**")
    behaviour = customer[
        [
            "avg_order_value",
            "avg_basket_size",
            "distinct_products",
            "tenure_days",
            "mean_days_between_orders",
            "weekend_order_share",
            "return_rate",
            "is_behaviour_segment_outlier",
        ]
    ]
    st.dataframe(behaviour.T.rename(columns={0: "value"}).astype(str), width="stretch")

recommendations = data.frame(
    "select list_name, recommendation_rank, product_id, product_description, score, reason, "
    "recommendation_method, is_cold_start from marts.fct_customer_recommendations "
    "where customer_id = ? order by list_name, recommendation_rank",
    (customer_id,),
)
LISTS = {
    "all": "Recommended products (any product)",
    "new": "Recommended new products (not bought before)",
}
for list_name, title in LISTS.items():
    st.markdown(f"**{title}**")
    rows = recommendations[recommendations["list_name"] == list_name].drop(columns="list_name")
    if rows.empty:
        st.info(f"No '{list_name}' recommendations for this customer.")
    else:
        st.dataframe(rows, hide_index=True, width="stretch")
