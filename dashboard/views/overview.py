"""Executive overview: last complete month against the one before, trends, countries, cohorts."""

from __future__ import annotations

import altair as alt
import streamlit as st

import dashboard_data as data

st.title("Executive overview")
if not data.require_tables(
    "marts.fct_kpi_months", "marts.rpt_revenue_by_country_months", "marts.rpt_cohort_retention"
):
    st.stop()

# The last two complete months, newest first (a partial month would look like a collapse).
latest = data.frame(
    "select month_start_date, net_revenue, order_count, avg_order_value, active_customers, "
    "new_customers, cancellation_share from marts.fct_kpi_months "
    "where is_complete_month order by month_start_date desc limit 2"
)
if latest.empty:
    st.info("The snapshot holds no complete month yet.")
    st.stop()
current = latest.iloc[0]
previous = latest.iloc[1] if len(latest) > 1 else None
st.subheader(f"Last complete month: {current['month_start_date']:%B %Y}")
if previous is not None:
    st.caption(f"Changes against {previous['month_start_date']:%B %Y}.")

# label, column, value format, delta colour (a rising cancellation share is bad news)
CARDS = [
    ("Net revenue", "net_revenue", ",.0f", "normal"),
    ("Orders", "order_count", ",.0f", "normal"),
    ("Average order value", "avg_order_value", ",.2f", "normal"),
    ("Active customers", "active_customers", ",.0f", "normal"),
    ("New customers", "new_customers", ",.0f", "normal"),
    ("Cancellation share", "cancellation_share", ".2%", "inverse"),
]
for column, (label, field, fmt, colour) in zip(st.columns(len(CARDS)), CARDS, strict=True):
    delta = None
    if previous is not None:
        delta = format(current[field] - previous[field], "+" + fmt)
    column.metric(label, format(current[field], fmt), delta=delta, delta_color=colour)

bounds = data.frame(
    "select min(month_start_date) as first_month, max(month_start_date) as last_month "
    "from marts.fct_kpi_months"
).iloc[0]
first, last = bounds["first_month"].date(), bounds["last_month"].date()
countries = data.frame(
    "select distinct country from marts.rpt_revenue_by_country_months order by country"
)["country"].tolist()

with st.sidebar:
    st.header("Filters")
    date_range = st.date_input(
        "Months from / to", value=(first, last), min_value=first, max_value=last, key="months"
    )
    chosen = st.multiselect("Countries", countries, key="countries", placeholder="All countries")
# While the second date is being picked the input holds one date: treat it as both ends.
start, end = (date_range[0], date_range[-1]) if date_range else (first, last)

in_range = data.frame(
    "select month_start_date, is_complete_month, net_revenue, active_customers, new_customers, "
    "returning_customers from marts.fct_kpi_months where month_start_date between ? and ? "
    "order by month_start_date",
    (start, end),
)
month_axis = alt.X("month_start_date:T", title="Month")
left, right = st.columns(2)
with left:
    st.markdown("**Net revenue per month** (light bar: month not complete)")
    chart = (
        alt.Chart(in_range)
        .mark_bar()
        .encode(
            month_axis,
            alt.Y("net_revenue:Q", title="Net revenue"),
            opacity=alt.condition("datum.is_complete_month", alt.value(1.0), alt.value(0.4)),
            tooltip=["month_start_date:T", alt.Tooltip("net_revenue:Q", format=",.0f")],
        )
    )
    st.altair_chart(chart, width="stretch")
with right:
    st.markdown("**Customers per month**")
    customers = in_range.melt(
        id_vars=["month_start_date"],
        value_vars=["active_customers", "new_customers", "returning_customers"],
        var_name="measure",
        value_name="customers",
    )
    chart = (
        alt.Chart(customers)
        .mark_line(point=True)
        .encode(month_axis, alt.Y("customers:Q", title="Customers"), color="measure:N")
    )
    st.altair_chart(chart, width="stretch")

st.markdown("**Net revenue by country**")
country_sql = (
    "select month_start_date, country, net_revenue, order_count, customer_count "
    "from marts.rpt_revenue_by_country_months where month_start_date between ? and ?"
)
params: list = [start, end]
if chosen:
    country_sql += " and country in (" + ", ".join("?" for _ in chosen) + ")"
    params += chosen
by_country = data.frame(country_sql + " order by month_start_date, country", params)
if by_country.empty:
    st.info("No revenue for these countries and months.")
else:
    chart = (
        alt.Chart(by_country)
        .mark_bar()
        .encode(
            month_axis,
            alt.Y("net_revenue:Q", title="Net revenue", stack=True),
            alt.Color("country:N", sort="-y", legend=alt.Legend(columns=2)),
            tooltip=[
                "country:N",
                "month_start_date:T",
                alt.Tooltip("net_revenue:Q", format=",.0f"),
            ],
        )
    )
    st.altair_chart(chart, width="stretch")

st.markdown("**Cohort retention** (share of each first-order month's customers active later)")
cohorts = data.frame(
    "select cohort_month_start_date, months_since_first_order, cohort_size, active_customers, "
    "retention_share from marts.rpt_cohort_retention "
    "where cohort_month_start_date between ? and ? order by 1, 2",
    (start, end),
)
chart = (
    alt.Chart(cohorts)
    .mark_rect()
    .encode(
        alt.X("months_since_first_order:O", title="Months since first order"),
        alt.Y("yearmonth(cohort_month_start_date):O", title="Cohort (first-order month)"),
        alt.Color("retention_share:Q", title="Retention", scale=alt.Scale(scheme="blues")),
        tooltip=[
            alt.Tooltip("yearmonth(cohort_month_start_date):O", title="Cohort"),
            "months_since_first_order:O",
            "cohort_size:Q",
            "active_customers:Q",
            alt.Tooltip("retention_share:Q", format=".1%"),
        ],
    )
)
st.altair_chart(chart, width="stretch")
