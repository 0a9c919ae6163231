"""The semantic layer, queried with MetricFlow (`mf`) over a published snapshot of the shipped-data
build, gives the KPI marts' figures, and a metric split by a customer attribute agrees with SQL."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from customer_intelligence.publish import publish
from tools.metrics_query import run_query

from .dbt_runner import run_dbt

pytestmark = pytest.mark.integration

MONTHLY = (
    "revenue",
    "orders",
    "average_order_value",
    "active_customers",
    "new_customers",
    "churned_customers",
)
# Metric -> the KPI mart's column.
KPI_COLUMNS = {
    "revenue": "net_revenue",
    "orders": "order_count",
    "average_order_value": "avg_order_value",
    "active_customers": "active_customers",
    "new_customers": "new_customers",
    "churned_customers": "churned_customers",
}


@pytest.fixture(scope="module")
def metricflow(full_warehouse: Path, tmp_path_factory: pytest.TempPathFactory):
    """Query the metrics: the semantic manifest parsed for the test warehouse, its snapshot."""
    workdir = tmp_path_factory.mktemp("metricflow")
    parse = run_dbt(["parse"], workdir, warehouse=full_warehouse)
    assert parse.returncode == 0, parse.output[-3000:]
    publish(full_warehouse, workdir / "published")
    published = workdir / "published" / "current" / "customer_intelligence.duckdb"

    def query(*mf_args: str) -> list[dict[str, str]]:
        output = workdir / "result.csv"
        result = run_query(
            [*mf_args, "--csv", str(output)],
            published,
            workdir / "target" / "semantic_manifest.json",
            workdir / "mf",
        )
        assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
        with output.open(newline="") as handle:
            return list(csv.DictReader(handle))

    query.published = published
    return query


def _by_period(rows: list[dict[str, str]], column: str) -> dict[str, dict[str, str]]:
    return {row[column][:10]: row for row in rows}


def _number(value: str) -> float:
    return float(value) if value else 0.0


def _assert_equal_to_kpis(
    rows: list[dict[str, str]], period_column: str, kpis: dict, metrics: tuple[str, ...]
) -> None:
    by_period = _by_period(rows, period_column)
    assert set(by_period) == set(kpis), "metric periods differ from the KPI mart's"
    for period, kpi in kpis.items():
        for metric in metrics:
            expected = kpi[KPI_COLUMNS[metric]] or 0.0
            actual = _number(by_period[period][metric])
            # Revenue: fct_orders rounds each order to the cent; AOV: the mart rounds to the cent.
            assert actual == pytest.approx(expected, abs=0.01, rel=1e-9), (period, metric)


def test_monthly_metrics_equal_the_kpi_mart(metricflow, full_con) -> None:
    rows = metricflow("--metrics", ",".join(MONTHLY), "--group-by", "metric_time__month")
    columns = ", ".join(["month_start_date", *KPI_COLUMNS.values()])
    kpis = {
        str(row[0]): dict(zip(KPI_COLUMNS.values(), row[1:], strict=True))
        for row in full_con.execute(
            f"select {columns} from marts.fct_kpi_months where order_count > 0"
        ).fetchall()
    }
    assert sum(kpi["churned_customers"] for kpi in kpis.values()) > 1000
    _assert_equal_to_kpis(rows, "metric_time__month", kpis, MONTHLY)


def test_weekly_metrics_equal_the_kpi_mart(metricflow, full_con) -> None:
    weekly = ("revenue", "orders", "active_customers", "new_customers")
    rows = metricflow("--metrics", ",".join(weekly), "--group-by", "metric_time__week")
    kpis = {
        str(row[0]): dict(zip(["net_revenue", "order_count", *weekly[2:]], row[1:], strict=True))
        for row in full_con.execute(
            "select week_start_date, net_revenue, order_count, active_customers, new_customers "
            "from marts.fct_kpi_weeks where order_count > 0"
        ).fetchall()
    }
    _assert_equal_to_kpis(rows, "metric_time__week", kpis, weekly)


def test_metrics_split_by_a_customer_attribute_agree_with_sql(metricflow, full_con) -> None:
    rows = metricflow(
        "--metrics",
        "revenue,recommendation_coverage",
        "--group-by",
        "customer__rfm_segment",
    )
    expected_revenue = dict(
        full_con.execute(
            "select customers.rfm_segment, sum(orders.net_amount) from marts.fct_orders as orders "
            "inner join marts.dim_customers as customers using (customer_id) group by 1"
        ).fetchall()
    )
    expected_coverage = dict(
        full_con.execute(
            "select rfm_segment, avg(case when recommended_product_1_id is not null "
            "then 1.0 else 0 end) from marts.dim_customers group by 1"
        ).fetchall()
    )
    by_segment = {row["customer__rfm_segment"]: row for row in rows}
    assert set(by_segment) == set(expected_revenue) == set(expected_coverage)
    for segment, row in by_segment.items():
        assert _number(row["revenue"]) == pytest.approx(expected_revenue[segment], abs=0.01)
        coverage = _number(row["recommendation_coverage"])
        assert coverage == pytest.approx(expected_coverage[segment], abs=1e-9)
    # A share, whatever the segment.
    assert all(0 <= _number(row["recommendation_coverage"]) <= 1 for row in rows)


def test_lifecycle_metrics_by_risk_band_agree_with_sql(metricflow, full_con) -> None:
    metrics = ("customer_lifetime_value", "value_at_stake", "expected_churned_customers")
    rows = metricflow("--metrics", ",".join(metrics), "--group-by", "customer__churn_risk_band")
    expected = {
        row[0]: row[1:]
        for row in full_con.execute(
            "select churn_risk_band, sum(clv), sum(value_at_stake), sum(churn_probability) "
            "from marts.fct_customer_lifecycle group by 1"
        ).fetchall()
    }
    by_band = {
        row["customer__churn_risk_band"]: row for row in rows if row["customer__churn_risk_band"]
    }
    assert set(by_band) == set(expected) == {"high", "medium", "low"}
    for band, row in by_band.items():
        for metric, value in zip(metrics, expected[band], strict=True):
            assert _number(row[metric]) == pytest.approx(value, rel=1e-9), (band, metric)


def test_a_reader_of_the_snapshot_does_not_block_a_query(metricflow) -> None:
    """`mf` opens its database read-write; it works on a copy, so a BI reader holding the
    published file (here, from this process) neither blocks it nor is blocked."""
    reader = duckdb.connect(str(metricflow.published), read_only=True)
    try:
        rows = metricflow("--metrics", "orders")
        expected = reader.execute("select count(*) from marts.fct_orders").fetchall()[0][0]
    finally:
        reader.close()
    assert [_number(row["orders"]) for row in rows] == [expected]
