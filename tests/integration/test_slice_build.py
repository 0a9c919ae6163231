"""The whole build on a small slice of the shipped data, in a temporary directory.

The slice keeps every tenth customer over the whole year (plus a sample of guest lines), so every
model, Python ones included, sees the real shape of the data at a tenth of the size.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from customer_intelligence.publish import current_build, publish, table_checksum

from .dbt_runner import FAST_MODEL_SETTINGS, DbtRun, run_dbt
from .snapshot_reader import Reader

pytestmark = pytest.mark.integration
DATA = Path(__file__).resolve().parents[2] / "data" / "online_retail.csv.gz"


@pytest.fixture(scope="module")
def slice_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("slice") / "online_retail_slice.csv"
    duckdb.sql(
        f"""
        copy (
            select * from read_csv('{DATA}', header = true, all_varchar = true)
            where
                (CustomerID is null and hash(InvoiceNo) % 20 = 0)
                or (CustomerID is not null and cast(CustomerID as integer) % 10 = 0)
        ) to '{path}' (header true)
        """
    )
    return path


@pytest.fixture(scope="module")
def slice_build(slice_file: Path, tmp_path_factory: pytest.TempPathFactory):
    run = run_dbt(
        ["build"],
        tmp_path_factory.mktemp("build"),
        transactions=slice_file,
        variables=FAST_MODEL_SETTINGS,
    )
    assert run.returncode == 0, run.output[-4000:]
    return run


def _tables(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> list[str]:
    names = ", ".join(f"'{schema}'" for schema in schemas)
    rows = con.sql(
        f"""
        select table_schema || '.' || table_name from information_schema.tables
        where table_schema in ({names}) and table_type = 'BASE TABLE'
        order by 1
        """
    ).fetchall()
    return [row[0] for row in rows]


def test_whole_build_passes_and_fills_the_marts(slice_build, slice_file: Path) -> None:
    con = slice_build.connect()
    source_rows = duckdb.sql(f"select count(*) from read_csv('{slice_file}')").fetchall()[0][0]
    kept, rejected, customers = con.sql(
        """
        select
            (select count(*) from marts.fct_order_lines),
            (select count(*) from marts.fct_transaction_rejects),
            (select count(*) from marts.dim_customers)
        """
    ).fetchall()[0]
    assert kept + rejected == source_rows
    assert customers > 300
    for table in _tables(con, ("marts",)):
        assert con.sql(f"select count(*) from {table}").fetchall()[0][0] > 0, table


@dataclass
class Rebuild:
    first: Path  # a copy of the first build's warehouse
    again: DbtRun  # the same warehouse file, rebuilt
    published: Path
    snapshots: tuple[str, str]
    reader: dict


@pytest.fixture(scope="module")
def rebuild_under_a_reader(
    slice_build, slice_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Rebuild:
    """Publish the slice build, then, while another process holds the published database and
    a Parquet file open and keeps reading them, rebuild the same warehouse file and publish it
    again (what `make build` does the next day while a BI tool is open)."""
    workdir = tmp_path_factory.mktemp("rebuild")
    first = workdir / "first.duckdb"
    shutil.copy(slice_build.warehouse, first)
    published = workdir / "published"
    snapshot_a = publish(slice_build.warehouse, published).build_id
    reader = Reader(published / "current", workdir)
    try:
        # Seeds and models only: the first build ran every data test on these same tables.
        # Every model is trained again (retrain: always), so determinism covers training.
        again = run_dbt(
            ["build", "--resource-type", "seed", "--resource-type", "model"],
            workdir / "again",
            transactions=slice_file,
            variables={**FAST_MODEL_SETTINGS, "retrain": "always"},
            warehouse=slice_build.warehouse,
        )
        snapshot_b = (
            publish(slice_build.warehouse, published).build_id if again.returncode == 0 else ""
        )
    finally:
        seen = reader.stop()
    return Rebuild(first, again, published, (snapshot_a, snapshot_b), seen)


def test_a_reader_of_the_published_snapshot_never_blocks_a_rebuild_and_publish(
    rebuild_under_a_reader: Rebuild,
) -> None:
    rebuild = rebuild_under_a_reader
    assert rebuild.again.returncode == 0, rebuild.again.output[-4000:]
    assert rebuild.reader["errors"] == [] and rebuild.reader["reads"] > 0
    assert current_build(rebuild.published) == rebuild.snapshots[1]
    # Same data, so both snapshots hold the same order lines: one (rows, checksum) seen.
    assert len(rebuild.reader["seen"]) == 1


def test_two_builds_on_the_same_data_give_the_same_tables(
    rebuild_under_a_reader: Rebuild,
) -> None:
    again = rebuild_under_a_reader.again
    assert again.returncode == 0, again.output[-4000:]
    first = duckdb.connect(str(rebuild_under_a_reader.first), read_only=True)
    second = again.connect()
    # Both builds trained every model; only the reason they give differs.
    assert _differing_tables(first, second, ignore={"build_action_reason"}) == []


def _differing_tables(
    first: duckdb.DuckDBPyConnection, second: duckdb.DuckDBPyConnection, ignore=frozenset()
) -> list[str]:
    """The tables (or columns) of two warehouses that differ. Wall-clock fields differ by design
    and are left out: the registry's trained_at, the fit-time columns (`*seconds*`), the
    timing_seconds entry of a registry's metrics_json; so is the build log fct_model_builds, to
    which each build appends its own rows. `ignore` leaves out more columns."""
    tables = _tables(first, ("staging", "intermediate", "marts", "ml"))
    assert tables == _tables(second, ("staging", "intermediate", "marts", "ml"))
    tables.remove("marts.fct_model_builds")
    differing = []
    for table in tables:
        all_columns = [row[0] for row in first.sql(f"describe {table}").fetchall()]
        columns = [
            name
            for name in all_columns
            if name not in {"trained_at", "metrics_json", *ignore} and "seconds" not in name
        ]
        projection = f"(select {', '.join(columns)} from {table})"
        if table_checksum(first, projection) != table_checksum(second, projection):
            differing.append(table)
        if "metrics_json" in all_columns and _metrics_without_timing(
            first, table
        ) != _metrics_without_timing(second, table):
            differing.append(f"{table}.metrics_json")
    return differing


def test_a_rebuild_on_unchanged_data_reuses_the_models_and_gives_the_same_tables(
    rebuild_under_a_reader: Rebuild, slice_file: Path, tmp_path: Path
) -> None:
    """retrain: auto (the default) on the same data: no model is trained again (k selections,
    the recommender's tuning and evaluation, the lifecycle back-test are the first build's), and
    every table is the first build's too."""
    warehouse = tmp_path / "reused.duckdb"
    shutil.copy(rebuild_under_a_reader.first, warehouse)
    run = run_dbt(
        ["build", "--resource-type", "seed", "--resource-type", "model"],
        tmp_path,
        transactions=slice_file,
        variables=FAST_MODEL_SETTINGS,
        warehouse=warehouse,
    )
    assert run.returncode == 0, run.output[-4000:]
    first = duckdb.connect(str(rebuild_under_a_reader.first), read_only=True)
    second = run.connect()
    actions = second.sql(
        "select model_name, build_action, build_action_reason from marts.fct_model_builds "
        "where built_at = (select max(built_at) from marts.fct_model_builds) order by 1"
    ).fetchall()
    assert actions == [
        (name, "reused", "training data unchanged")
        for name in (
            "channel_classifier",
            "customer_lifecycle",
            "demand_forecast",
            "order_anomaly_flags",
            "price_elasticity",
            "product_recommender",
            "segmentation_retail_customers",
            "segmentation_wholesale_accounts",
        )
    ]
    builds = second.sql("select count(distinct invocation_id) from marts.fct_model_builds")
    assert builds.fetchall() == [(2,)]
    reasons = {"build_action", "build_action_reason"}
    assert _differing_tables(first, second, ignore=reasons) == []


def _metrics_without_timing(con: duckdb.DuckDBPyConnection, table: str) -> list[dict]:
    rows = con.sql(f"select model_version, metrics_json from {table} order by 1").fetchall()
    parsed = []
    for _, payload in rows:
        metrics = json.loads(payload)
        metrics.pop("timing_seconds", None)
        parsed.append(metrics)
    return parsed


def test_as_of_date_replays_history(slice_file: Path, tmp_path: Path) -> None:
    """Set to a past date, the whole build, Python models included, stands on that day."""
    run = run_dbt(
        ["build"],
        tmp_path,
        transactions=slice_file,
        variables={**FAST_MODEL_SETTINGS, "as_of_date": "2011-06-01"},
    )
    assert run.returncode == 0, run.output[-4000:]
    con = run.connect()
    latest, customer_as_of, recommendation_as_of, late = con.sql(
        """
        select
            (select max(invoice_date) from marts.fct_order_lines),
            (select max(as_of_date) from marts.dim_customers),
            (select max(as_of_date) from marts.fct_customer_recommendations),
            (select count(*) from marts.fct_transaction_rejects
                where rejection_reason = 'on_or_after_as_of_date')
        """
    ).fetchall()[0]
    expected_late = duckdb.sql(
        f"""
        select count(*) from read_csv('{slice_file}', all_varchar = true)
        where try_cast(InvoiceDate as date) >= date '2011-06-01'
        """
    ).fetchall()[0][0]
    assert str(latest) < "2011-06-01"
    assert str(customer_as_of) == str(recommendation_as_of) == "2011-06-01"
    assert late == expected_late
    registry_dates = con.sql(
        """
        select distinct as_of_date from marts.fct_model_registry where as_of_date is not null
        """
    ).fetchall()
    assert [str(row[0]) for row in registry_dates] == ["2011-06-01"]
    # Demand: the first forecast week is the one after the last complete week before that day.
    first_week, last_history = con.sql(
        """
        select
            (select min(week_start) from marts.fct_demand_forecasts),
            (select max(week_start) from intermediate.int_product_weeks_aggregated)
        """
    ).fetchall()[0]
    assert (str(first_week), str(last_history)) == ("2011-05-30", "2011-05-23")
    # Prices and anomaly flags: the weeks and orders before that day only.
    last_priced, last_scored = con.sql(
        """
        select
            (select max(week_start) from marts.fct_product_week_prices),
            (select max(invoiced_at) from marts.fct_order_anomalies)
        """
    ).fetchall()[0]
    assert str(last_priced) == "2011-05-23"
    assert str(last_scored) < "2011-06-01"


def test_bad_as_of_date_is_a_clear_error(slice_file: Path, tmp_path: Path) -> None:
    run = run_dbt(
        ["run", "--select", "int_as_of_dates_resolved"],
        tmp_path,
        transactions=slice_file,
        variables={"as_of_date": "01/06/2011"},
    )
    assert run.returncode != 0
    assert "as_of_date must be a date as YYYY-MM-DD" in run.output
