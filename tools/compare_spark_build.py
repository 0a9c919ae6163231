"""Compare the SQL layer built on Spark with DuckDB's build of the same input.

Spark (the `spark` target, dbt-spark's session method) writes each table as Parquet files under
its warehouse directory, <dir>/<schema>.db/<table>/. Every table of the given schemas (marts
unless told) in the DuckDB warehouse must be there with the same columns, the same types and
the same rows (as multisets). A double may differ from DuckDB's by about 1e-9 relative (log and
exp are not the same function on both engines), nothing else may. Exit status 1 when a table
differs.

    python -m tools.compare_spark_build SPARK_TABLES_DIR DUCKDB_FILE [--schemas marts,...]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import duckdb

from tools.compare_warehouses import FLOAT_TYPES

DEFAULT_SCHEMAS = ("marts",)


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchall()[0][0]


def _unmatched(con, left: str, right: str, expressions: list[str]) -> int:
    select = ", ".join(expressions)
    return _scalar(
        con,
        f"select count(*) from (select {select} from {left} "
        f"except all select {select} from {right})",
    )


def _decimal_scale(data_type: str) -> int | None:
    match = re.fullmatch(r"DECIMAL\(\d+,(\d+)\)", data_type)
    return int(match.group(1)) if match else None


def _approximate(column: str, data_type: str) -> str:
    """The column as compared: doubles to 9 significant digits, the rest as they are."""
    quoted = f'"{column}"'
    if data_type not in FLOAT_TYPES:
        return quoted
    scale = f"floor(log10(nullif(abs({quoted}), 0)))"
    return (
        f"case when isfinite({quoted}) and {quoted} <> 0 "
        f"then round({quoted} / pow(10, {scale}), 9) else {quoted} end"
    )


def compare_table(con, tables_dir: Path, schema: str, table: str) -> tuple[bool, str]:
    """(matches, report line) for one table of the DuckDB warehouse against Spark's copy."""
    label = f"{schema}.{table}"
    duck = f'duck."{schema}"."{table}"'
    duck_columns = con.execute(
        "select column_name, data_type from duckdb_columns() where database_name = 'duck' "
        "and schema_name = ? and table_name = ? order by column_index",
        [schema, table],
    ).fetchall()
    rows = _scalar(con, f"select count(*) from {duck}")
    files = sorted((tables_dir / f"{schema}.db" / table).glob("*.parquet"))
    if not files:
        # Spark writes no file for a table without rows.
        matches = rows == 0 and (tables_dir / f"{schema}.db" / table).is_dir()
        return matches, f"{label}: {'empty on both' if matches else 'MISSING on Spark'}"
    spark = "read_parquet([" + ", ".join(f"'{f}'" for f in files) + "])"
    described = con.execute(f"describe select * from {spark}").fetchall()
    spark_columns = [(c[0], c[1]) for c in described]
    if [c.lower() for c, _ in spark_columns] != [c.lower() for c, _ in duck_columns]:
        return False, f"{label}: COLUMNS DIFFER spark {spark_columns} duckdb {duck_columns}"
    notes, remarks = [], []
    retyped = [
        (d[0], d[1], s[1]) for d, s in zip(duck_columns, spark_columns, strict=True) if d[1] != s[1]
    ]
    # A sum of decimals is sized by each engine's own rule: another precision, same scale, is
    # the same value.
    widened = [r for r in retyped if _decimal_scale(r[1]) == _decimal_scale(r[2]) is not None]
    if widened:
        remarks.append(f"decimal precision (column, duckdb, spark) {widened}")
    if retyped := [r for r in retyped if r not in widened]:
        notes.append(f"retyped (column, duckdb, spark) {retyped}")
    spark_rows = _scalar(con, f"select count(*) from {spark}")
    if spark_rows != rows:
        notes.append(f"rows {rows} on DuckDB, {spark_rows} on Spark")
    exact = [f'"{c}"' for c, _ in duck_columns]
    close = [_approximate(c, t) for c, t in duck_columns]

    def same(expressions: list[str]) -> bool:
        return not (
            _unmatched(con, duck, spark, expressions) + _unmatched(con, spark, duck, expressions)
        )

    if not notes and same(exact):
        return True, f"{label}: identical ({rows} rows)" + "".join(f"; {r}" for r in remarks)
    if not notes and same(close):
        return True, (
            f"{label}: equal, doubles within about 1e-9 relative ({rows} rows)"
            + "".join(f"; {r}" for r in remarks)
        )
    for (column, data_type), expression in zip(duck_columns, close, strict=True):
        count = _unmatched(con, duck, spark, [expression])
        if count:
            kind = " beyond about 1e-9 relative" if data_type in FLOAT_TYPES else ""
            notes.append(f"{column}: {count} values differ{kind}")
    return False, f"{label}: DIFFERS ({rows} rows) " + "; ".join(notes)


def compare(tables_dir: Path, duckdb_path: str, schemas: tuple[str, ...]) -> list[tuple[bool, str]]:
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"attach '{duckdb_path}' as duck (read_only)")
    tables = con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = 'duck' "
        "order by 1, 2"
    ).fetchall()
    results = [
        compare_table(con, tables_dir, schema, table)
        for schema, table in tables
        if schema in schemas
    ]
    con.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spark_tables_dir", type=Path)
    parser.add_argument("duckdb_file")
    parser.add_argument("--schemas", default=",".join(DEFAULT_SCHEMAS))
    args = parser.parse_args(argv)
    results = compare(args.spark_tables_dir, args.duckdb_file, tuple(args.schemas.split(",")))
    for _, line in results:
        print(line)
    failed = sum(1 for matches, _ in results if not matches)
    print(f"{len(results)} tables compared, {failed} differ")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
