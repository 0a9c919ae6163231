"""Executive overview: last complete month against the one before; trends by month or week;
revenue by country and by segment; cohorts."""

from __future__ import annotations

import altair as alt
import streamlit as st

import dashboard_data as data

st.title("Executive overview")
if not data.require_tables(
    "marts.fct_kpi_months",
    "marts.fct_kpi_weeks",
    "marts.rpt_revenue_by_country_months",
    "marts.rpt_revenue_by_segment_months",
    "marts.rpt_cohort_retention",
):
    st.stop()

# The last two complete months, newest first (a partial month would look like a collapse).
latest = data.frame(
    "select month_start_date, net_revenue, order_count, avg_order_value, active_customers, "
    "new_customers, churned_customers, cancellation_share from marts.fct_kpi_months "
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
    ("Churned customers", "churned_customers", ",.0f", "inverse"),
    ("Cancellation share", "cancellation_share", ".2%", "inverse"),
]
for column, (label, field, fmt, colour) in zip(st.columns(len(CARDS)), CARDS, strict=True):
    delta = None
    if previous is not None:
        delta = format(current[field] - previous[field], "+" + fmt)
    column.metric(label, format(current[field], fmt), delta=delta, delta_color=colour)

# Period grain -> (KPI mart, period column, completeness column, how to truncate a date to it).
GRAINS = {
    "Months": ("marts.fct_kpi_months", "month_start_date", "is_complete_month", "month"),
    "Weeks": ("marts.fct_kpi_weeks", "week_start_date", "is_complete_week", "week"),
}
# Segmentation shown -> rpt_revenue_by_segment_months.segment_type.
SEGMENTATIONS = {"RFM segments": "rfm", "Behavioural segments": "behavioural"}

bounds = data.frame(
    "select min(month_start_date) as first_day, "
    "max(month_start_date) + interval 1 month - interval 1 day as last_day "
    "from marts.fct_kpi_months"
).iloc[0]
first, last = bounds["first_day"].date(), bounds["last_day"].date()
countries = data.frame(
    "select distinct country from marts.rpt_revenue_by_country_months order by country"
)["country"].tolist()
segment_names = data.frame(
    "select distinct segment_type, segment_name from marts.rpt_revenue_by_segment_months "
    "order by 1, 2"
)

with st.sidebar:
    st.header("Filters")
    grain = st.radio("Trends by", list(GRAINS), horizontal=True, key="grain")
    date_range = st.date_input(
        "Dates from / to", value=(first, last), min_value=first, max_value=last, key="dates"
    )
    chosen = st.multiselect("Countries", countries, key="countries", placeholder="All countries")
    segmentation = st.selectbox("Segmentation", list(SEGMENTATIONS), key="segmentation")
    segment_type = SEGMENTATIONS[segmentation]
    chosen_segments = st.multiselect(
        "Segments",
        segment_names[segment_names["segment_type"] == segment_type]["segment_name"].tolist(),
        key="segments",
        placeholder="All segments",
    )
# While the second date is being picked the input holds one date: treat it as both ends.
start, end = (date_range[0], date_range[-1]) if date_range else (first, last)

kpi_table, period_column, complete_column, truncation = GRAINS[grain]
# A period is shown when it overlaps the chosen dates.
in_range = data.frame(
    f"select {period_column} as period_start_date, {complete_column} as is_complete, "
    "net_revenue, active_customers, new_customers, returning_customers, "
    f"reactivated_customers, churned_customers from {kpi_table} "
    f"where {period_column} between date_trunc('{truncation}', ?::date) and ? "
    "order by period_start_date",
    (start, end),
)
month_axis = alt.X("month_start_date:T", title="Month")
period_axis = alt.X("period_start_date:T", title=grain[:-1])
left, right = st.columns(2)
with left:
    st.markdown(f"**Net revenue per {grain[:-1].lower()}** (light bar: not complete)")
    chart = (
        alt.Chart(in_range)
        .mark_bar()
        .encode(
            period_axis,
            alt.Y("net_revenue:Q", title="Net revenue"),
            opacity=alt.condition("datum.is_complete", alt.value(1.0), alt.value(0.4)),
            tooltip=["period_start_date:T", alt.Tooltip("net_revenue:Q", format=",.0f")],
        )
    )
    st.altair_chart(chart, width="stretch")
with right:
    st.markdown(
        f"**Customers per {grain[:-1].lower()}** (churned: a quarter without an order ends "
        "in the period)"
    )
    customers = in_range.melt(
        id_vars=["period_start_date"],
        value_vars=[
            "active_customers",
            "new_customers",
            "returning_customers",
            "reactivated_customers",
            "churned_customers",
        ],
        var_name="measure",
        value_name="customers",
    )
    chart = (
        alt.Chart(customers)
        .mark_line(point=True)
        .encode(period_axis, alt.Y("customers:Q", title="Customers"), color="measure:N")
    )
    st.altair_chart(chart, width="stretch")

st.markdown(f"**Net revenue by {segmentation[:-1].lower()}** (segments as of the snapshot's date)")
segment_sql = (
    "select month_start_date, segment_name, net_revenue, customer_count "
    "from marts.rpt_revenue_by_segment_months where segment_type = ? "
    "and month_start_date between date_trunc('month', ?::date) and ?"
)
segment_params: list = [segment_type, start, end]
if chosen_segments:
    segment_sql += " and " + data.in_list("segment_name", chosen_segments)
    segment_params += chosen_segments
by_segment = data.frame(segment_sql + " order by month_start_date, segment_name", segment_params)
if by_segment.empty:
    st.info("No revenue for these segments and months.")
else:
    chart = (
        alt.Chart(by_segment)
        .mark_bar()
        .encode(
            month_axis,
            alt.Y("net_revenue:Q", title="Net revenue", stack=True),
            alt.Color("segment_name:N", title="Segment"),
            tooltip=[
                "segment_name:N",
                "month_start_date:T",
                alt.Tooltip("net_revenue:Q", format=",.0f"),
                "customer_count:Q",
            ],
        )
    )
    st.altair_chart(chart, width="stretch")

# Without a country filter the chart stacks the countries with most revenue in the chosen
# months and sums the rest: dozens of thin bands are neither readable nor quick to draw.
TOP_COUNTRIES = 8
params: list = [start, end]
if chosen:
    country_filter = "and " + data.in_list("country", chosen)
    params += chosen
    st.markdown("**Net revenue by country**")
else:
    country_filter = ""
    st.markdown(f"**Net revenue by country** (the {TOP_COUNTRIES} largest; the rest summed)")
by_country = data.frame(
    f"""
    with in_range as (
        select month_start_date, country, net_revenue
        from marts.rpt_revenue_by_country_months
        where month_start_date between date_trunc('month', ?::date) and ? {country_filter}
    ),
    ranked as (
        select country, row_number() over (order by sum(net_revenue) desc, country) as rank
        from in_range group by country
    )
    select
        in_range.month_start_date,
        case when ranked.rank <= {len(chosen) or TOP_COUNTRIES}
            then in_range.country else 'Other countries' end as country,
        min(ranked.rank) as country_rank,
        sum(in_range.net_revenue) as net_revenue
    from in_range inner join ranked using (country)
    group by 1, 2
    order by 1, 3
    """,
    params,
)
if by_country.empty:
    st.info("No revenue for these countries and months.")
else:
    # Bands from largest to smallest, in a fixed order (no sort transform in the browser).
    order = by_country.groupby("country")["country_rank"].min().sort_values().index.tolist()
    chart = (
        alt.Chart(by_country)
        .mark_bar()
        .encode(
            month_axis,
            alt.Y("net_revenue:Q", title="Net revenue", stack=True),
            alt.Color("country:N", sort=order, legend=alt.Legend(columns=2)),
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
    "where cohort_month_start_date between date_trunc('month', ?::date) and ? order by 1, 2",
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
