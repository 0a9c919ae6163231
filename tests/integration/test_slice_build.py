"""The whole build on a small slice of the shipped data, in a temporary directory.

The slice keeps every tenth customer over the whole year (plus a sample of guest lines), so every
model, Python ones included, sees the real shape of the data at a tenth of the size.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from .dbt_runner import run_dbt, table_fingerprint

pytestmark = pytest.mark.integration
DATA = Path(__file__).resolve().parents[2] / "data" / "online_retail.csv.gz"
SQL_LAYER = ["build", "--selector", "sql_layer", "--indirect-selection", "cautious"]


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
    run = run_dbt(["build"], tmp_path_factory.mktemp("build"), transactions=slice_file)
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


def test_two_builds_on_the_same_data_give_the_same_tables(
    slice_build, slice_file: Path, tmp_path: Path
) -> None:
    again = run_dbt(["build"], tmp_path / "again", transactions=slice_file)
    assert again.returncode == 0, again.output[-4000:]
    first, second = slice_build.connect(), again.connect()
    tables = _tables(first, ("staging", "intermediate", "marts", "ml"))
    assert tables == _tables(second, ("staging", "intermediate", "marts", "ml"))
    # The registry's trained_at is the wall clock by design; every other column must agree.
    differing = []
    for table in tables:
        columns = [
            row[0]
            for row in first.sql(f"describe {table}").fetchall()
            if row[0] not in {"trained_at"} and not row[0].endswith("_seconds")
        ]
        projection = f"(select {', '.join(columns)} from {table})"
        if table_fingerprint(first, projection) != table_fingerprint(second, projection):
            differing.append(table)
    assert differing == []


def test_as_of_date_replays_history(slice_file: Path, tmp_path: Path) -> None:
    run = run_dbt(
        SQL_LAYER, tmp_path, transactions=slice_file, variables={"as_of_date": "2011-06-01"}
    )
    assert run.returncode == 0, run.output[-4000:]
    con = run.connect()
    latest, as_of, late = con.sql(
        """
        select
            (select max(invoice_date) from marts.fct_order_lines),
            (select max(as_of_date) from marts.dim_customers),
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
    assert str(as_of) == "2011-06-01"
    assert late == expected_late


def test_bad_as_of_date_is_a_clear_error(slice_file: Path, tmp_path: Path) -> None:
    run = run_dbt(
        ["run", "--select", "int_as_of_dates_resolved"],
        tmp_path,
        transactions=slice_file,
        variables={"as_of_date": "01/06/2011"},
    )
    assert run.returncode != 0
    assert "as_of_date must be a date as YYYY-MM-DD" in run.output
