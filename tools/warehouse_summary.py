"""Print where the warehouse is and what it holds: one line per table a user would query.

Usage: python tools/warehouse_summary.py [PATH]  (default: warehouse/customer_intelligence.duckdb)
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb


def main(argv: list[str]) -> int:
    path = Path(argv[1] if len(argv) > 1 else "warehouse/customer_intelligence.duckdb").resolve()
    if not path.exists():
        print(f"No warehouse at {path}: run `make build` first.", file=sys.stderr)
        return 1
    con = duckdb.connect(str(path), read_only=True)
    tables = con.sql(
        """
        select table_schema, table_name
        from information_schema.tables
        where table_schema in ('marts', 'ml', 'reference')
        order by table_schema, table_name
        """
    ).fetchall()
    print(f"\nWarehouse: {path}")
    print(
        "BI tools and notebooks read the published snapshot, which no build locks: "
        f"{path.parent / 'published' / 'current'} (customer_intelligence.duckdb or parquet/).\n"
    )
    print(f"{'table':<48} {'rows':>12}")
    for schema, name in tables:
        rows = con.sql(f'select count(*) from "{schema}"."{name}"').fetchall()[0][0]
        print(f"{schema + '.' + name:<48} {rows:>12,}")
    as_of = con.sql("select as_of_date from intermediate.int_as_of_dates_resolved").fetchall()
    if as_of:
        print(f"\nas_of_date: {as_of[0][0]} (set the var as_of_date to replay an earlier day)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
