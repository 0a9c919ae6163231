"""Customers & segments: the RFM grid, the behavioural segments, churn risk against lifetime
value, and what to do with each."""

from __future__ import annotations

import altair as alt
import streamlit as st

import dashboard_data as data

SAMPLE_ROWS = 2000
SAMPLE_SEED = 42

st.title("Customers & segments")
if not data.require_tables(
    "marts.rpt_rfm_grid",
    "marts.fct_customer_segments",
    "marts.dim_segment_profiles",
    "marts.fct_customer_lifecycle",
):
    st.stop()

st.subheader("RFM: recency x frequency")
st.caption("Customers per cell (5 = most recent / most frequent); colour is the RFM segment.")
grid = data.frame(
    "select recency_score, frequency_score, rfm_segment, customer_count, customer_share, "
    "net_revenue, net_revenue_share from marts.rpt_rfm_grid"
)
base = alt.Chart(grid).encode(
    alt.X("frequency_score:O", title="Frequency score"),
    alt.Y("recency_score:O", title="Recency score", sort="descending"),
)
cells = base.mark_rect().encode(
    alt.Color("rfm_segment:N", title="RFM segment"),
    tooltip=[
        "rfm_segment:N",
        "customer_count:Q",
        alt.Tooltip("customer_share:Q", format=".1%"),
        alt.Tooltip("net_revenue:Q", format=",.0f"),
        alt.Tooltip("net_revenue_share:Q", format=".1%"),
    ],
)
labels = base.mark_text(color="black").encode(text="customer_count:Q")
st.altair_chart((cells + labels).properties(height=360), width="stretch")

st.subheader("Behavioural segments")
points = data.frame(
    "select customer_id, segment_name, pca_x, pca_y, is_segment_outlier "
    "from marts.fct_customer_segments "
    f"using sample reservoir({SAMPLE_ROWS} rows) repeatable ({SAMPLE_SEED})"
)
st.caption(
    f"KMeans segments on the first two principal components; {len(points):,} customers shown "
    f"(a fixed sample of at most {SAMPLE_ROWS:,})."
)
chart = (
    alt.Chart(points)
    .mark_circle(size=18, opacity=0.6)
    .encode(
        alt.X("pca_x:Q", title="Component 1"),
        alt.Y("pca_y:Q", title="Component 2"),
        alt.Color("segment_name:N", title="Segment"),
        tooltip=["customer_id:N", "segment_name:N", "is_segment_outlier:N"],
    )
    .properties(height=420)
)
st.altair_chart(chart, width="stretch")

st.subheader("Segment profiles and playbook")
profiles = data.frame(
    "select population, segment_name, segment_archetype, members, member_share, revenue, "
    "revenue_share, mean_value, median_value, outlier_share, action_priority, marketing_action "
    "from marts.dim_segment_profiles order by population, revenue desc"
)
st.dataframe(
    profiles,
    hide_index=True,
    width="stretch",
    column_config={
        "member_share": st.column_config.NumberColumn(format="percent"),
        "revenue_share": st.column_config.NumberColumn(format="percent"),
        "outlier_share": st.column_config.NumberColumn(format="percent"),
        "revenue": st.column_config.NumberColumn(format="localized"),
        "mean_value": st.column_config.NumberColumn(format="%.2f"),
        "median_value": st.column_config.NumberColumn(format="%.2f"),
        "marketing_action": st.column_config.TextColumn(width="large"),
    },
)

st.subheader("Retention: churn risk x lifetime value")
retention = data.frame(
    "select churn_risk_band, value_band, count(*) as customers, "
    "sum(value_at_stake) as value_at_stake, avg(churn_probability) as mean_churn_probability, "
    "sum(clv) as clv, any_value(retention_action) as retention_action, "
    "any_value(action_priority) as action_priority "
    "from marts.fct_customer_lifecycle group by 1, 2"
)
horizon = data.frame("select max(horizon_days) as days from marts.fct_customer_lifecycle")
st.caption(
    f"Customers by the probability of no purchase in the next {int(horizon['days'].iloc[0])} "
    "days and by CLV band; colour is the value at stake (CLV x churn probability). The back-test "
    "behind these scores is on the Model health page (rpt_lifecycle_evaluation)."
)
bands = ["high", "medium", "low"]
base = alt.Chart(retention).encode(
    alt.X("value_band:O", title="Value band (CLV)", sort=bands),
    alt.Y("churn_risk_band:O", title="Churn risk", sort=bands),
)
cells = base.mark_rect().encode(
    alt.Color("value_at_stake:Q", title="Value at stake", scale=alt.Scale(scheme="oranges")),
    tooltip=[
        "churn_risk_band:N",
        "value_band:N",
        "customers:Q",
        alt.Tooltip("mean_churn_probability:Q", format=".0%"),
        alt.Tooltip("value_at_stake:Q", format=",.0f"),
        "retention_action:N",
    ],
)
labels = base.mark_text(color="black").encode(text="customers:Q")
st.altair_chart((cells + labels).properties(height=300), width="stretch")
order = {band: rank for rank, band in enumerate(bands)}
playbook = retention.sort_values(
    ["churn_risk_band", "value_band"], key=lambda column: column.map(order)
)
st.dataframe(
    playbook[
        [
            "churn_risk_band",
            "value_band",
            "customers",
            "value_at_stake",
            "action_priority",
            "retention_action",
        ]
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "value_at_stake": st.column_config.NumberColumn(format="localized"),
        "retention_action": st.column_config.TextColumn(width="large"),
    },
)
