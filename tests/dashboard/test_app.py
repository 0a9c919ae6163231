"""The dashboard opens every page against a published snapshot of the test warehouse, shows the
numbers the marts hold, and says clearly when a customer or the snapshot itself is missing."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from customer_intelligence.publish import publish

from .conftest import APP

pytestmark = pytest.mark.integration

PAGES = {
    "views/overview.py": "Executive overview",
    "views/customers.py": "Customers & segments",
    "views/lookup.py": "Customer look-up",
    "views/products.py": "Product associations",
    "views/demand.py": "Demand & inventory",
    "views/pricing.py": "Pricing",
    "views/review.py": "Order review",
    "views/channel.py": "Wholesale channel",
    "views/models.py": "Model health",
    "views/quality.py": "Data quality",
}
TIMEOUT = 120


def _open(page: str | None = None) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    if page is not None:
        app.switch_page(page).run()
    return app


def _metrics(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    return con.execute(sql, params or []).fetchall()[0]


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_without_error(page: str, snapshot_database: Path) -> None:
    started = time.perf_counter()
    app = _open(page)
    seconds = time.perf_counter() - started
    assert not app.exception, [e.message for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    assert [title.value for title in app.title] == [PAGES[page]]
    print(f"{page}: {seconds:.2f} s")  # shown with -s / -rA: the render time per page


def test_overview_cards_show_the_last_complete_month(snapshot_con) -> None:
    app = _open()
    month, revenue, orders, aov, active, new, previous_revenue = _one(
        snapshot_con,
        "select month_start_date, net_revenue, order_count, avg_order_value, active_customers, "
        "new_customers, lag(net_revenue) over (order by month_start_date) "
        "from marts.fct_kpi_months where is_complete_month "
        "order by month_start_date desc limit 1",
    )
    metrics = _metrics(app)
    assert metrics["Net revenue"] == f"{revenue:,.0f}"
    assert metrics["Orders"] == f"{orders:,.0f}"
    assert metrics["Average order value"] == f"{aov:,.2f}"
    assert metrics["Active customers"] == f"{active:,.0f}"
    assert metrics["New customers"] == f"{new:,.0f}"
    assert f"{month:%B %Y}" in app.subheader[0].value
    revenue_card = next(m for m in app.metric if m.label == "Net revenue")
    assert revenue_card.delta == f"{revenue - previous_revenue:+,.0f}"


def _chart_frames(app: AppTest) -> list[pd.DataFrame]:
    """The data of every Vega-Lite (Altair) chart on the page, in page order."""
    return [
        pa.ipc.open_stream(dataset.data.data).read_pandas()
        for chart in app.get("vega_lite_chart")
        for dataset in chart.proto.datasets
    ]


def test_overview_country_filter_narrows_the_country_chart(snapshot_con) -> None:
    app = _open()
    (country,) = _one(
        snapshot_con,
        "select country from marts.rpt_revenue_by_country_months "
        "group by 1 order by sum(net_revenue) desc limit 1",
    )
    country_chart = [f for f in _chart_frames(app) if "country" in f.columns]
    assert len(country_chart) == 1 and 1 < country_chart[0]["country"].nunique() <= 9
    # The largest countries and the rest summed: nothing is lost.
    (total,) = _one(
        snapshot_con, "select sum(net_revenue) from marts.rpt_revenue_by_country_months"
    )
    assert country_chart[0]["net_revenue"].sum() == pytest.approx(total)
    app.multiselect(key="countries").set_value([country]).run()
    assert not app.exception, [e.message for e in app.exception]
    (rows,) = _one(
        snapshot_con,
        "select count(*) from marts.rpt_revenue_by_country_months where country = ?",
        [country],
    )
    country_chart = [f for f in _chart_frames(app) if "country" in f.columns]
    assert country_chart[0]["country"].unique().tolist() == [country]
    assert len(country_chart[0]) == rows


def test_overview_trends_switch_to_weeks(snapshot_con) -> None:
    app = _open()
    trend = [f for f in _chart_frames(app) if "churned_customers" in f.columns]
    (months,) = _one(snapshot_con, "select count(*) from marts.fct_kpi_months")
    assert len(trend) == 1 and len(trend[0]) == months
    app.radio(key="grain").set_value("Weeks").run()
    assert not app.exception, [e.message for e in app.exception]
    weeks = snapshot_con.execute(
        "select week_start_date, net_revenue, churned_customers from marts.fct_kpi_weeks "
        "where week_start_date >= (select date_trunc('week', min(month_start_date)) "
        "from marts.fct_kpi_months) order by 1"
    ).df()
    trend = [f for f in _chart_frames(app) if "churned_customers" in f.columns][0]
    assert len(trend) == len(weeks) > months
    assert trend["net_revenue"].tolist() == pytest.approx(weeks["net_revenue"].tolist())
    assert trend["churned_customers"].tolist() == weeks["churned_customers"].tolist()


def test_overview_segment_filter_narrows_the_segment_chart(snapshot_con) -> None:
    app = _open()
    segment_chart = [f for f in _chart_frames(app) if "segment_name" in f.columns]
    (rfm_segments,) = _one(
        snapshot_con,
        "select count(distinct segment_name) from marts.rpt_revenue_by_segment_months "
        "where segment_type = 'rfm'",
    )
    assert len(segment_chart) == 1
    assert segment_chart[0]["segment_name"].nunique() == rfm_segments > 1
    app.selectbox(key="segmentation").set_value("Behavioural segments").run()
    segment, revenue = _one(
        snapshot_con,
        "select segment_name, sum(net_revenue) from marts.rpt_revenue_by_segment_months "
        "where segment_type = 'behavioural' group by 1 order by 2 desc limit 1",
    )
    app.multiselect(key="segments").set_value([segment]).run()
    assert not app.exception, [e.message for e in app.exception]
    segment_chart = [f for f in _chart_frames(app) if "segment_name" in f.columns][0]
    assert segment_chart["segment_name"].unique().tolist() == [segment]
    assert segment_chart["net_revenue"].sum() == pytest.approx(revenue)


def test_data_quality_reconciles_input_with_kept_and_rejected(snapshot_con) -> None:
    app = _open("views/quality.py")
    kept, rejected = _one(
        snapshot_con,
        "select (select count(*) from marts.fct_order_lines), "
        "(select count(*) from marts.fct_transaction_rejects)",
    )
    metrics = _metrics(app)
    assert metrics["Kept (sale lines)"] == f"{kept:,}"
    assert metrics["Rejected"] == f"{rejected:,}"
    assert metrics["Input rows"] == f"{kept + rejected:,}"


def test_customer_lookup_shows_profile_and_both_recommendation_lists(snapshot_con) -> None:
    customer_id, frequency, segment, churn, action = _one(
        snapshot_con,
        "select customer_id, frequency, rfm_segment, churn_probability, retention_action "
        "from marts.dim_customers "
        "where customer_id in (select customer_id from marts.fct_customer_recommendations "
        "where list_name = 'new') order by monetary desc limit 1",
    )
    counts = dict(
        snapshot_con.execute(
            "select list_name, count(*) from marts.fct_customer_recommendations "
            "where customer_id = ? group by 1",
            [customer_id],
        ).fetchall()
    )
    app = _open("views/lookup.py")
    assert app.info, "an empty id should say what to enter"
    app.text_input(key="customer_id").set_value(customer_id).run()
    assert not app.exception, [e.message for e in app.exception]
    assert not app.warning, [w.value for w in app.warning]
    metrics = _metrics(app)
    assert metrics["Orders"] == f"{frequency:,}"
    assert metrics["RFM segment"] == segment
    assert metrics["Churn probability"] == f"{churn:.0%}"
    assert f"**Retention action:** {action}" in [m.value for m in app.markdown]
    tables = [frame.value for frame in app.dataframe]
    recommendation_tables = [t for t in tables if "recommendation_rank" in t.columns]
    assert [len(t) for t in recommendation_tables] == [counts["all"], counts["new"]]
    assert all(t["reason"].notna().all() for t in recommendation_tables)


def test_retention_grid_counts_every_scored_customer_once(snapshot_con) -> None:
    scored, at_stake = _one(
        snapshot_con,
        "select count(*), sum(value_at_stake) from marts.fct_customer_lifecycle",
    )
    app = _open("views/customers.py")
    assert not app.exception, [e.message for e in app.exception]
    playbook = next(f.value for f in app.dataframe if "retention_action" in f.value.columns)
    assert playbook["customers"].sum() == scored
    assert playbook["value_at_stake"].sum() == pytest.approx(at_stake)
    assert playbook["retention_action"].notna().all()
    assert not playbook.duplicated(["churn_risk_band", "value_band"]).any()


def test_model_health_shows_the_churn_back_test(snapshot_con) -> None:
    expected = snapshot_con.execute(
        "select cutoff_date, method, metric_value from marts.rpt_lifecycle_evaluation "
        "where target = 'churn' and metric = 'roc_auc'"
    ).df()
    app = _open("views/models.py")
    assert not app.exception, [e.message for e in app.exception]
    table = next(f.value for f in app.dataframe if "calibration_error" in f.value.columns)
    assert len(table) == len(expected)
    assert table.groupby("cutoff_date")["role"].apply(lambda r: (r == "selected").sum()).eq(1).all()
    merged = table.merge(expected, on=["cutoff_date", "method"])
    assert merged["roc_auc"].tolist() == pytest.approx(merged["metric_value"].tolist())


def test_product_associations_list_the_chosen_products_related_products(snapshot_con) -> None:
    product_id, related = _one(
        snapshot_con,
        "select product_id, count(*) from marts.fct_product_associations "
        "where product_id = (select product_id from marts.dim_products where product_id in "
        "(select product_id from marts.fct_product_associations) "
        "order by popularity_rank, product_id limit 1) group by 1",
    )
    app = _open("views/products.py")
    assert not app.exception, [e.message for e in app.exception]
    assert app.selectbox(key="product_id").value == product_id
    table = app.dataframe[0].value
    assert len(table) == related
    assert table["related_rank"].tolist() == list(range(1, related + 1))
    expected = snapshot_con.execute(
        "select related_product_id from marts.fct_product_associations where product_id = ? "
        "order by related_rank",
        [product_id],
    ).fetchall()
    assert table["related_product_id"].tolist() == [row[0] for row in expected]


def test_unknown_customer_id_shows_a_clear_message(snapshot_database: Path) -> None:
    app = _open("views/lookup.py")
    app.text_input(key="customer_id").set_value("no-such-customer").run()
    assert not app.exception
    assert [w.value for w in app.warning] == [
        "No customer with id 'no-such-customer' in this snapshot."
    ]
    assert not app.dataframe


def test_missing_snapshot_says_run_make_build(tmp_path: Path, snapshot_database: Path) -> None:
    os.environ["PUBLISHED_DATABASE"] = str(tmp_path / "nowhere" / "customer_intelligence.duckdb")
    app = _open()
    assert not app.exception
    assert len(app.error) == 1
    assert "make build" in app.error[0].value
    assert not app.metric


def test_a_new_publish_shows_up_without_restarting(
    full_warehouse: Path,
    tmp_path: Path,
    snapshot_database: Path,
) -> None:
    """The cache is keyed on the snapshot's build id: a changed build is read, not the cache."""
    warehouse = tmp_path / "changed.duckdb"
    shutil.copy(full_warehouse, warehouse)
    published = tmp_path / "published"
    publish(warehouse, published)
    os.environ["PUBLISHED_DATABASE"] = str(published / "current" / "customer_intelligence.duckdb")
    app = _open()
    before = _metrics(app)["Net revenue"]
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update marts.fct_kpi_months set net_revenue = net_revenue + 1000000 "
            "where month_start_date = (select max(month_start_date) "
            "from marts.fct_kpi_months where is_complete_month)"
        )
    publish(warehouse, published)
    app.run()
    after = _metrics(app)["Net revenue"]
    as_number = [float(value.replace(",", "")) for value in (before, after)]
    assert as_number[1] - as_number[0] == pytest.approx(1_000_000, abs=1)


def test_any_product_can_be_looked_up_by_id(snapshot_con) -> None:
    (product_id,) = _one(
        snapshot_con,
        "select product_id from marts.fct_product_associations group by 1 "
        "order by count(*), product_id limit 1",
    )
    app = _open("views/products.py")
    app.text_input(key="product_search").set_value(product_id).run()
    assert not app.exception, [e.message for e in app.exception]
    (related,) = _one(
        snapshot_con,
        "select count(*) from marts.fct_product_associations where product_id = ?",
        [product_id],
    )
    assert len(app.dataframe[0].value) == related
    app.text_input(key="product_search").set_value("no-such-product").run()
    assert [i.value for i in app.info] == [
        "No related products for product id 'no-such-product' in this snapshot."
    ]


def test_pricing_page_shows_the_estimates_and_the_chosen_products_elasticity(
    snapshot_con,
) -> None:
    estimated, moves, first, elasticity = _one(
        snapshot_con,
        "select count(*), count(suggested_price_change), "
        "first(product_id order by suggested_price_change is null, is_significant desc, "
        "std_error, product_id), "
        "first(elasticity order by suggested_price_change is null, is_significant desc, "
        "std_error, product_id) "
        "from marts.fct_price_elasticities where status = 'estimated'",
    )
    app = _open("views/pricing.py")
    assert not app.exception, [e.message for e in app.exception]
    metrics = _metrics(app)
    assert metrics["Products with an estimate"] == f"{estimated:,}"
    assert metrics["Price moves suggested"] == f"{moves:,}"
    assert app.selectbox(key="pricing_product_id").value == first
    assert f"Elasticity **{elasticity:.2f}**" in app.caption[0].value
    table = next(f.value for f in app.dataframe if "suggestion" in f.value.columns)
    assert len(table) == estimated
    checks = next(f.value for f in app.dataframe if "check_name" in f.value.columns)
    assert set(checks["check_name"]) == {"holdout", "synthetic", "placebo", "line_level", "groups"}
    groups = next(f.value for f in app.dataframe if "products_taking_it" in f.value.columns)
    assert (
        len(groups)
        == _one(
            snapshot_con,
            "select count(distinct product_group) from marts.fct_price_elasticities "
            "where group_status = 'estimated'",
        )[0]
    )


def test_review_page_lists_the_flagged_orders_with_reasons_and_the_recall(snapshot_con) -> None:
    flagged, kinds, first = _one(
        snapshot_con,
        "select count(*) filter (where is_flagged), "
        "(select count(distinct anomaly_kind) from marts.rpt_anomaly_evaluation), "
        "min(invoice_id) filter (where anomaly_rank = 1) from marts.fct_order_anomalies",
    )
    app = _open("views/review.py")
    assert not app.exception, [e.message for e in app.exception]
    assert _metrics(app)["To review"] == f"{flagged:,}"
    review = next(f.value for f in app.dataframe if "anomaly_rank" in f.value.columns)
    assert len(review) == flagged
    assert review["invoice_id"].iloc[0] == first
    assert review["top_reasons"].notna().all()
    recall = next(f.value for f in app.dataframe if "worst_seed_recall" in f.value.columns)
    assert len(recall) == kinds
    assert recall["recall"].between(0, 1).all()


def test_demand_page_shows_the_chosen_products_policy_and_the_back_test(snapshot_con) -> None:
    product_id, reorder_point, methods = _one(
        snapshot_con,
        "select product_id, reorder_point_units, "
        "(select count(distinct method) from marts.rpt_demand_evaluation where split = 'test') "
        "from marts.fct_inventory_policy "
        "order by lead_time_demand_units desc, product_id limit 1",
    )
    app = _open("views/demand.py")
    assert not app.exception, [e.message for e in app.exception]
    assert app.selectbox(key="demand_product_id").value == product_id
    assert _metrics(app)["Reorder point"] == f"{reorder_point:,.0f}"
    evaluation = next(f.value for f in app.dataframe if "wrmsse" in f.value.columns)
    assert len(evaluation) == methods
    assert evaluation["interval_coverage"].between(0, 1).all()
