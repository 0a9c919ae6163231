"""Compare every table of two warehouse files, table by table and column by column.

For a refactor that must not change outputs: each table of the old warehouse is matched with the
new one (under a new name when renamed), and the tool prints whether rows are identical (as a
multiset, `except all` both ways over the common columns), which columns were added, dropped or
retyped, and for a table that differs, how many values differ per column (floats also beyond
1e-9 relative). Read-only on both files.

    python -m tools.compare_warehouses OLD.duckdb NEW.duckdb \
        [--schemas marts,intermediate] [--rename old_table=new_table ...]
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Mapping

import duckdb

DEFAULT_SCHEMAS = ("staging", "intermediate", "marts", "reference")
FLOAT_TYPES = ("DOUBLE", "FLOAT")


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchall()[0][0]


def _tables(con: duckdb.DuckDBPyConnection, database: str) -> set[tuple[str, str]]:
    rows = con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = ?", [database]
    ).fetchall()
    return {(schema, table) for schema, table in rows}


def _columns(con: duckdb.DuckDBPyConnection, database: str, schema: str, table: str) -> dict:
    rows = con.execute(
        "select column_name, data_type from duckdb_columns() where database_name = ? "
        "and schema_name = ? and table_name = ? order by column_index",
        [database, schema, table],
    ).fetchall()
    return dict(rows)


def _differing(con, old: str, new: str, columns: list[str]) -> int:
    """Rows of `old` with no match in `new` over `columns`, compared as multisets (with equal row
    counts, as many as the other way round)."""
    select = ", ".join(columns)
    return _scalar(
        con,
        f"select count(*) from (select {select} from {old} except all select {select} from {new})",
    )


def compare_table(con, schema: str, table: str, new_table: str) -> Iterator[str]:
    """Lines describing how old.schema.table and new.schema.new_table differ."""
    old_columns = _columns(con, "old", schema, table)
    new_columns = _columns(con, "new", schema, new_table)
    old, new = f'old."{schema}"."{table}"', f'new."{schema}"."{new_table}"'
    common = [c for c in old_columns if c in new_columns]
    quoted = [f'"{c}"' for c in common]
    rows_old, rows_new = (
        _scalar(con, f"select count(*) from {old}"),
        _scalar(con, f"select count(*) from {new}"),
    )
    label = f"{schema}.{table}" + (f" -> {new_table}" if new_table != table else "")
    notes = []
    if dropped := sorted(set(old_columns) - set(new_columns)):
        notes.append(f"dropped {dropped}")
    if added := sorted(set(new_columns) - set(old_columns)):
        notes.append(f"added {added}")
    if retyped := [c for c in common if old_columns[c] != new_columns[c]]:
        notes.append(f"retyped {[(c, old_columns[c], new_columns[c]) for c in retyped]}")
    if rows_old != rows_new:
        notes.append(f"rows {rows_old} -> {rows_new}")
    differing = _differing(con, old, new, quoted) + _differing(con, new, old, quoted)
    state = "identical" if differing == 0 and rows_old == rows_new else "DIFFERS"
    yield " ".join([f"{label}: {state} ({rows_old} rows, {len(common)} common columns)", *notes])
    if state == "identical":
        return
    for column, quoted_column in zip(common, quoted, strict=True):
        count = _differing(con, old, new, [quoted_column])
        if not count:
            continue
        line = f"    {column}: {count} values differ"
        if old_columns[column] in FLOAT_TYPES:
            scale = f"floor(log10(nullif(abs({quoted_column}), 0)))"
            relative = f"round({quoted_column} / pow(10, {scale}), 9) as mantissa, {scale} as scale"
            beyond = _scalar(
                con,
                f"select count(*) from (select {relative} from {old} "
                f"except all select {relative} from {new})",
            )
            line += f" ({beyond} beyond about 1e-9 relative)"
        yield line


def compare(
    old_path: str,
    new_path: str,
    schemas: tuple[str, ...] = DEFAULT_SCHEMAS,
    renames: Mapping[str, str] | None = None,
) -> list[str]:
    """The comparison report of two warehouse files, one line per table (and per differing
    column). Tables only in the new file are listed as new."""
    renames = dict(renames or {})
    con = duckdb.connect()
    con.execute(f"attach '{old_path}' as old (read_only)")
    con.execute(f"attach '{new_path}' as new (read_only)")
    old_tables, new_tables = _tables(con, "old"), _tables(con, "new")
    lines: list[str] = []
    matched = set()
    for schema, table in sorted(old_tables):
        if schema not in schemas:
            continue
        new_table = renames.get(table, table)
        if (schema, new_table) not in new_tables:
            lines.append(f"{schema}.{table}: MISSING in the new warehouse")
            continue
        matched.add((schema, new_table))
        lines.extend(compare_table(con, schema, table, new_table))
    for schema, table in sorted(new_tables - matched):
        if schema in schemas:
            lines.append(f"{schema}.{table}: new table")
    con.close()
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--schemas", default=",".join(DEFAULT_SCHEMAS))
    parser.add_argument("--rename", action="append", default=[], metavar="OLD=NEW")
    args = parser.parse_args(argv)
    renames = dict(item.split("=", 1) for item in args.rename)
    for line in compare(args.old, args.new, tuple(args.schemas.split(",")), renames):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
