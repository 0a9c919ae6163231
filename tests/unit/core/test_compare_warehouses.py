"""The warehouse comparison finds identical tables, renames, new columns and differing values."""

from pathlib import Path

import duckdb

from tools.compare_warehouses import compare


def _warehouse(path: Path, statements: list[str]) -> str:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        for statement in statements:
            con.execute(statement)
    return str(path)


def test_compare_reports_each_kind_of_change(tmp_path: Path) -> None:
    old = _warehouse(
        tmp_path / "old.duckdb",
        [
            "create table marts.same as select range as id, range * 1.5 as x from range(5)",
            "create table marts.fct_report as select 1 as id",
            "create table marts.changed as select range as id, "
            "cast(range as double) as x from range(3)",
            "create table marts.gone as select 1 as id",
        ],
    )
    new = _warehouse(
        tmp_path / "new.duckdb",
        [
            "create table marts.same as select range as id, range * 1.5 as x from range(5)",
            "create table marts.rpt_report as select 1 as id, true as extra",
            "create table marts.changed as select range as id, "
            "case when range = 2 then 2.0 + 1e-13 else cast(range as double) end as x "
            "from range(3)",
            "create table marts.added as select 1 as id",
        ],
    )
    lines = compare(old, new, ("marts",), {"fct_report": "rpt_report"})
    assert "marts.same: identical (5 rows, 2 common columns)" in lines
    assert (
        "marts.fct_report -> rpt_report: identical (1 rows, 1 common columns) added ['extra']"
        in lines
    )
    assert "marts.changed: DIFFERS (3 rows, 2 common columns)" in lines
    assert "    x: 1 values differ (0 beyond about 1e-9 relative)" in lines
    assert "marts.gone: MISSING in the new warehouse" in lines
    assert "marts.added: new table" in lines
