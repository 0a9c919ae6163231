"""Demand & inventory: a product's recent weeks and its forecast with the interval, the
inventory policy of every product, and how the forecasts did on the back-test.

Reads fct_demand_forecasts, fct_inventory_policy, rpt_demand_evaluation, fct_order_lines and
dim_products.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

import dashboard_data as data

HISTORY_WEEKS = 26
TOP_PRODUCTS = 2000

st.title("Demand & inventory")
if not data.require_tables(
    "marts.fct_demand_forecasts", "marts.fct_inventory_policy", "marts.rpt_demand_evaluation"
):
    st.stop()

products = data.frame(
    "select policy.product_id, products.product_description, policy.lead_time_demand_units "
    "from marts.fct_inventory_policy as policy "
    "left join marts.dim_products as products on policy.product_id = products.product_id "
    "order by policy.lead_time_demand_units desc, policy.product_id limit ?",
    (TOP_PRODUCTS,),
)
labels = {
    row.product_id: f"{row.product_id}: {row.product_description}" for row in products.itertuples()
}
left, right = st.columns([3, 1])
chosen = left.selectbox(
    f"Product (the {len(labels):,} with the most demand forecast over the lead time)",
    list(labels),
    format_func=labels.get,
    key="demand_product_id",
)
typed = right.text_input("or any product id", key="demand_product_search").strip()
product_id = typed or chosen

forecast = data.frame(
    "select week_start, forecast_units, lower_units, upper_units, interval_level, demand_class, "
    "forecast_method from marts.fct_demand_forecasts where product_id = ? order by horizon_week",
    (product_id,),
)
if forecast.empty:
    st.info(f"No forecast for product id '{product_id}' in this snapshot.")
    st.stop()
first_week = forecast["week_start"].min()
history = data.frame(
    "select cast(date_trunc('week', invoice_date) as date) as week_start, "
    "sum(net_quantity) as units from marts.fct_order_lines "
    "where product_id = ? and invoice_date < ? and invoice_date >= ? group by 1 order by 1",
    (product_id, first_week, pd.Timestamp(first_week) - pd.Timedelta(weeks=HISTORY_WEEKS)),
)
weeks = pd.date_range(
    pd.Timestamp(first_week) - pd.Timedelta(weeks=HISTORY_WEEKS), periods=HISTORY_WEEKS, freq="7D"
)
history = (
    pd.DataFrame({"week_start": weeks})
    .merge(history.assign(week_start=pd.to_datetime(history["week_start"])), how="left")
    .fillna({"units": 0})
)
policy = data.frame(
    "select * from marts.fct_inventory_policy where product_id = ?", (product_id,)
).iloc[0]

level = int(round(forecast["interval_level"].iloc[0] * 100))
st.caption(
    f"Demand class **{forecast['demand_class'].iloc[0]}**, forecast by "
    f"**{forecast['forecast_method'].iloc[0]}** (the method the back-test chose for the "
    f"class). The band is the {level}% interval, from the errors of that method on past weeks."
)
cards = st.columns(4)
cards[0].metric(
    f"Demand over the {int(policy['lead_time_weeks'])}-week lead time",
    f"{policy['lead_time_demand_units']:,.0f}",
)
cards[1].metric(
    f"Safety stock ({policy['service_level']:.0%} service)", f"{policy['safety_stock_units']:,.0f}"
)
cards[2].metric("Reorder point", f"{policy['reorder_point_units']:,.0f}")
cards[3].metric("Order quantity (EOQ)", f"{policy['economic_order_quantity']:,.0f}")

forecast = forecast.assign(week_start=pd.to_datetime(forecast["week_start"]))
base = alt.Chart(forecast).encode(alt.X("week_start:T", title="Week"))
band = base.mark_area(opacity=0.25).encode(
    alt.Y("lower_units:Q", title="Net units"), alt.Y2("upper_units:Q")
)
line = base.mark_line(point=True, strokeDash=[4, 2]).encode(
    alt.Y("forecast_units:Q"),
    tooltip=["week_start:T", "forecast_units:Q", "lower_units:Q", "upper_units:Q"],
)
past = (
    alt.Chart(history)
    .mark_line(point=True)
    .encode(alt.X("week_start:T"), alt.Y("units:Q"), tooltip=["week_start:T", "units:Q"])
)
st.altair_chart((past + band + line).properties(height=320), width="stretch")

st.subheader("Inventory policy")
st.caption(
    "Reorder point = forecast demand over the lead time + safety stock; EOQ from the order and "
    "holding costs (vars inventory_*). Sorted by reorder point."
)
st.dataframe(
    data.frame(
        "select product_id, demand_class, forecast_method, lead_time_demand_units, "
        "safety_stock_units, reorder_point_units, economic_order_quantity, list_price "
        "from marts.fct_inventory_policy order by reorder_point_units desc, product_id limit 500"
    ),
    hide_index=True,
    width="stretch",
)

st.subheader("How the forecasts did on past weeks")
evaluation = data.frame(
    "select method, is_baseline, metric, metric_value from marts.rpt_demand_evaluation "
    "where split = 'test' and demand_class = 'all' and horizon_week = 0 "
    "and metric in ('wrmsse', 'rmsse', 'bias', 'interval_coverage')"
)
table = (
    evaluation.pivot_table(index=["method", "is_baseline"], columns="metric", values="metric_value")
    .reset_index()
    .sort_values("wrmsse")
)
st.caption(
    "Test origins of the rolling back-test: forecasts from weeks the methods never saw. WRMSSE: "
    "error relative to a naive forecast's, weighted by revenue (lower is better); selected = "
    "each product's class method, chosen on earlier origins."
)
st.dataframe(table, hide_index=True, width="stretch")
