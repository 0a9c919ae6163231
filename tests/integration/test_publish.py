"""Publishing: a snapshot BI tools read (DuckDB 1.x included) that builds and readers never share.

Publishes the warehouse `make test` built from the shipped data (and a changed copy of it) into
temporary folders.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from customer_intelligence import publish as publishing
from customer_intelligence.publish import PublishError, current_build, is_bi_type, publish

from .snapshot_reader import Reader

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
DUCKDB1_PYTHON = ROOT / ".venv-duckdb1" / "bin" / "python"
ORDER_LINES = "marts.fct_order_lines"


def _checksum(con: duckdb.DuckDBPyConnection, relation: str) -> list:
    return list(publishing.table_checksum(con, relation))


@pytest.fixture(scope="module")
def snapshot(full_warehouse: Path, tmp_path_factory: pytest.TempPathFactory):
    published = tmp_path_factory.mktemp("published")
    result = publish(full_warehouse, published)
    return result, published


def test_snapshot_holds_every_mart_with_bi_types_and_checksums_that_match(
    snapshot, full_warehouse: Path
) -> None:
    result, published = snapshot
    folder = published / "current"
    assert folder.resolve() == result.path.resolve()
    assert current_build(published) == result.build_id
    manifest = json.loads((folder / "manifest.json").read_text())
    with duckdb.connect(str(full_warehouse), read_only=True) as source:
        expected = source.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name in ('marts', 'reference') order by 1, 2"
        ).fetchall()
        source_rows = {
            f"{s}.{t}": source.execute(f"select count(*) from {s}.{t}").fetchall()[0][0]
            for s, t in expected
        }
    assert [(t["schema"], t["table"]) for t in manifest["tables"]] == [tuple(r) for r in expected]
    assert manifest["as_of_date"] == "2011-12-10"
    assert set(manifest["model_versions"]) == {
        "channel_classifier",
        "customer_lifecycle",
        "demand_forecast",
        "order_anomaly_flags",
        "price_elasticity",
        "product_recommender",
        "segmentation_retail_customers",
        "segmentation_wholesale_accounts",
    }
    with duckdb.connect(str(folder / "customer_intelligence.duckdb"), read_only=True) as con:
        recorded = con.execute(
            "select table_schema, table_name, row_count, content_checksum, parquet_file, "
            "build_id from meta.publish_manifest order by 1, 2"
        ).fetchall()
        types = con.execute(
            "select table_name, column_name, data_type from duckdb_columns() "
            "where schema_name in ('marts', 'reference')"
        ).fetchall()
        for table in manifest["tables"]:
            relation = f"{table['schema']}.{table['table']}"
            parquet = f"read_parquet('{folder / table['parquet']}')"
            assert table["rows"] == source_rows[relation]
            assert _checksum(con, relation) == [table["rows"], table["checksum"]], relation
            assert _checksum(con, parquet) == [table["rows"], table["checksum"]], parquet
        lists = con.execute(
            "select all_recommended_product_ids from marts.fct_customer_top_recommendations "
            "where all_list_length = 10 limit 1"
        ).fetchall()[0][0]
    assert recorded == [
        (t["schema"], t["table"], t["rows"], t["checksum"], t["parquet"], result.build_id)
        for t in manifest["tables"]
    ]
    assert [f"{t}.{c} {d}" for t, c, d in types if not is_bi_type(d)] == []
    assert len(lists.split("|")) == 10


def test_a_duckdb_1x_engine_opens_the_snapshot(snapshot) -> None:
    if not DUCKDB1_PYTHON.exists():
        pytest.fail(f"{DUCKDB1_PYTHON} is missing: `make test` creates it (make .venv-duckdb1)")
    result, published = snapshot
    script = (
        "import duckdb, json, sys\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "rows = con.execute('select table_schema, table_name, row_count "
        "from meta.publish_manifest').fetchall()\n"
        "counts = {f'{s}.{t}': con.execute(f'select count(*) from {s}.{t}').fetchall()[0][0] "
        "for s, t, _ in rows}\n"
        "print(json.dumps({'version': duckdb.__version__, 'rows': rows, 'counts': counts}))\n"
    )
    database = published / "current" / "customer_intelligence.duckdb"
    run = subprocess.run(
        [str(DUCKDB1_PYTHON), "-c", script, str(database)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["version"].startswith("1.")
    assert len(seen["rows"]) == result.tables
    assert all(seen["counts"][f"{s}.{t}"] == n for s, t, n in seen["rows"])


def _changed_copy(full_warehouse: Path, folder: Path) -> Path:
    """The warehouse with a day of order lines removed: another build's content."""
    copy = folder / "changed.duckdb"
    shutil.copy(full_warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(f"delete from {ORDER_LINES} where invoice_date = date '2011-12-09'")
    return copy


def test_a_reader_holding_the_snapshot_never_blocks_a_publish_nor_sees_a_mix(
    full_warehouse: Path, tmp_path: Path
) -> None:
    published = tmp_path / "published"
    first = publish(full_warehouse, published)
    changed = _changed_copy(full_warehouse, tmp_path)
    reader = Reader(published / "current", tmp_path)
    try:
        second = publish(changed, published)
        time.sleep(0.5)  # the reader keeps reading after the swap
    finally:
        seen = reader.stop()
    with duckdb.connect(str(first.path / "customer_intelligence.duckdb"), read_only=True) as con:
        old = _checksum(con, ORDER_LINES)
    with duckdb.connect(str(second.path / "customer_intelligence.duckdb"), read_only=True) as con:
        new = _checksum(con, ORDER_LINES)
    assert seen["errors"] == [] and seen["reads"] > 0
    assert old != new and old in seen["seen"]
    assert all(pair in (old, new) for pair in seen["seen"])
    assert current_build(published) == second.build_id
    assert (published / "current").resolve() == second.path.resolve()


@pytest.fixture
def small_warehouse(tmp_path: Path) -> Path:
    """A warehouse of a few rows with the published schemas, for the snapshot mechanics."""
    path = tmp_path / "small.duckdb"
    with duckdb.connect(str(path)) as con:
        for schema in ("marts", "reference", "intermediate", "ml"):
            con.execute(f"create schema {schema}")
        con.execute("create table marts.fct_things as select range as thing_id from range(3)")
        con.execute("create table reference.kinds as select 'a' as kind")
        con.execute(
            "create table intermediate.int_as_of_dates_resolved "
            "as select date '2011-12-10' as as_of_date"
        )
    return path


def test_a_failed_build_is_not_published(small_warehouse: Path, tmp_path: Path) -> None:
    published = tmp_path / "published"
    first = publish(small_warehouse, published)
    results = tmp_path / "run_results.json"
    results.write_text(
        json.dumps(
            {
                "metadata": {"invocation_id": "abc"},
                "results": [
                    {"unique_id": "model.x.ok", "status": "success"},
                    {"unique_id": "test.x.broken", "status": "fail"},
                ],
            }
        )
    )
    with pytest.raises(PublishError, match=r"the build failed \(1 node\(s\), e.g. test.x.broken"):
        publish(small_warehouse, published, run_results=results)
    assert current_build(published) == first.build_id
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "customer_intelligence.publish",
            str(small_warehouse),
            "--to",
            str(published),
            "--run-results",
            str(results),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert f"Snapshot {first.build_id} stays current" in run.stderr


def test_an_interrupted_publish_leaves_the_last_snapshot_and_no_trace(
    small_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = tmp_path / "published"
    first = publish(small_warehouse, published)
    real = publishing._write_manifest_tables

    def crash(con, manifest):
        real(con, manifest)
        raise OSError("disk full")

    monkeypatch.setattr(publishing, "_write_manifest_tables", crash)
    with pytest.raises(PublishError, match="publishing failed: disk full"):
        publish(small_warehouse, published)
    assert current_build(published) == first.build_id
    assert [p.name for p in (published / "snapshots").iterdir()] == [first.build_id]


def test_old_snapshots_are_kept_up_to_the_limit(small_warehouse: Path, tmp_path: Path) -> None:
    published = tmp_path / "published"
    builds = [publish(small_warehouse, published, keep=2).build_id for _ in range(3)]
    remaining = sorted(p.name for p in (published / "snapshots").iterdir())
    assert remaining == builds[1:]
    assert current_build(published) == builds[-1]
