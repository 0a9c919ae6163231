"""Pricing: how each product's weekly units respond to its list price, the suggested price moves,
and the checks that say how far to trust them.

Reads fct_price_elasticities, fct_product_week_prices and rpt_price_elasticity_evaluation.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import streamlit as st

import dashboard_data as data

st.title("Pricing")
if not data.require_tables(
    "marts.fct_price_elasticities",
    "marts.fct_product_week_prices",
    "marts.rpt_price_elasticity_evaluation",
):
    st.stop()

estimated = data.frame(
    "select product_id, product_description, elasticity, ci_low, ci_high, is_significant, "
    "sale_weeks, price_levels, current_list_price, line_level_elasticity, suggestion, "
    "suggested_price_change, expected_revenue_change, expected_revenue_change_low, "
    "expected_revenue_change_high, product_group, group_elasticity "
    "from marts.fct_price_elasticities "
    "where status = 'estimated' "
    "order by suggested_price_change is null, is_significant desc, std_error, product_id"
)
statuses = data.frame(
    "select status, status_reason, count(*) as products from marts.fct_price_elasticities "
    "group by 1, 2 order by products desc"
)
if estimated.empty:
    st.info(
        "No product has enough weeks and price changes for an elasticity in this snapshot "
        "(see the counts below)."
    )
    st.dataframe(statuses, hide_index=True, width="stretch")
    st.stop()

moves = estimated["suggested_price_change"].notna()
cards = st.columns(4)
cards[0].metric("Products with an estimate", f"{len(estimated):,}")
cards[1].metric("Significant", f"{int(estimated['is_significant'].sum()):,}")
cards[2].metric("Price moves suggested", f"{int(moves.sum()):,}")
negative = estimated.loc[estimated["ci_high"] < 0, "elasticity"]
cards[3].metric(
    "Median significant elasticity", f"{negative.median():.2f}" if len(negative) else "n/a"
)

labels = {
    row.product_id: f"{row.product_id}: {row.product_description}" for row in estimated.itertuples()
}
chosen = st.selectbox(
    "Product (suggested moves first, then the most precise estimates)",
    list(labels),
    format_func=labels.get,
    key="pricing_product_id",
)
product = estimated.set_index("product_id").loc[chosen]
weeks = data.frame(
    "select week_start, units, list_price from marts.fct_product_week_prices "
    "where product_id = ? order by week_start",
    (chosen,),
)
weeks["list_price"] = weeks["list_price"].ffill().bfill()
weeks = weeks[weeks["units"] > 0]
move = product["suggested_price_change"]
verdict = (
    f"**{product['suggestion']}** by {abs(move):.0%}: expected revenue "
    f"{product['expected_revenue_change']:+.1%} (interval "
    f"{product['expected_revenue_change_low']:+.1%} to "
    f"{product['expected_revenue_change_high']:+.1%})"
    if not np.isnan(move)
    else f"**{product['suggestion']}**"
)
st.caption(
    f"Elasticity **{product['elasticity']:.2f}** (interval {product['ci_low']:.2f} to "
    f"{product['ci_high']:.2f}) over {int(product['sale_weeks'])} weeks at "
    f"{int(product['price_levels'])} list prices (a line-level regression, which mostly "
    f"measures the quantity-tier schedule, gives {product['line_level_elasticity']:.2f}). "
    f"{verdict}."
)
scatter = (
    alt.Chart(weeks)
    .mark_circle(size=60)
    .encode(
        alt.X("list_price:Q", title="List price (GBP, log scale)", scale=alt.Scale(type="log")),
        alt.Y("units:Q", title="Net units in the week (log scale)", scale=alt.Scale(type="log")),
        alt.Color("week_start:T", title="Week", scale=alt.Scale(scheme="viridis")),
        tooltip=["week_start:T", "list_price:Q", "units:Q"],
    )
)
st.altair_chart(scatter.properties(height=320), width="stretch")

st.subheader("Every estimate")
st.caption(
    "Elasticity: % change in weekly units for a 1% higher list price, with the shop's weekly "
    "seasonality held fixed. A move is suggested only when the whole interval is below -1 "
    "(lower the price) or between -1 and 0 (raise it). Revenue only: the log has no costs."
)
st.dataframe(estimated, hide_index=True, width="stretch")
st.dataframe(statuses, hide_index=True, width="stretch")

st.subheader("Product groups")
st.caption(
    "One elasticity per group (the item word of the description), from the price changes of "
    "its products, each at its own level. Products without an estimate of their own take "
    "their group's (estimate_level in fct_price_elasticities); no move is suggested from it."
)
st.dataframe(
    data.frame(
        "select product_group, group_elasticity, group_ci_low, group_ci_high, "
        "group_products_with_price_changes, count(*) as products, "
        "count(*) filter (where estimate_level = 'product_group') as products_taking_it "
        "from marts.fct_price_elasticities where group_status = 'estimated' "
        "group by all order by group_ci_high, product_group"
    ),
    hide_index=True,
    width="stretch",
)

st.subheader("How far to trust them")
evaluation = data.frame(
    "select check_name, metric, metric_value from marts.rpt_price_elasticity_evaluation "
    "where check_name in ('holdout', 'synthetic', 'placebo', 'line_level', 'groups') "
    "order by check_name, metric"
)
st.caption(
    "holdout: weeks held out in blocks, log units predicted after real price changes with and "
    "without the price term (mean absolute error; lower is better). synthetic: known "
    "elasticities simulated on the real prices, the share of intervals holding them. placebo: "
    "prices shuffled within each product; about 5% of products (and of groups) should look "
    "significant. line_level: the tier-confounded slopes a line-level regression gives."
)
st.dataframe(evaluation, hide_index=True, width="stretch")
