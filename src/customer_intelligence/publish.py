"""Publish the built warehouse as a snapshot BI tools read without ever blocking a build.

`dbt build` writes one DuckDB file, which DuckDB locks: a reader holding it open stops the build,
and a build stops every reader. After a successful build, `publish` copies the contracted marts
and the reference seeds into a separate, versioned snapshot folder:

    <published>/snapshots/<id>/customer_intelligence.duckdb   schemas marts, reference, meta
    <published>/snapshots/<id>/parquet/<table>.parquet         one file per mart
    <published>/snapshots/<id>/parquet/reference/<table>.parquet
    <published>/snapshots/<id>/manifest.json                   also the table meta.publish_manifest
    <published>/current  -> snapshots/<id>                     the pointer readers follow
    <published>/CURRENT                                        the build id, as text

The DuckDB file is written in storage version v1.4.0, which DuckDB 1.x engines (the ODBC and JDBC
drivers BI tools embed) open; every column has a type BI tools load (lists become '|'-delimited
text, time zones are dropped to UTC, wide integers become decimals). A snapshot is written under
a temporary name and renamed into place, then `current` and `CURRENT` are swapped by rename: a
reader sees the whole previous snapshot or the whole new one. Old snapshots stay (the newest
`keep`), so a reader holding files open, as Windows tools do, is never written over. A build that
failed (its run_results hold an error or a failing test) is not published.

Input grain: the warehouse file dbt built. Output grain: one snapshot folder per publish.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

PUBLISHED_SCHEMAS: tuple[str, ...] = ("marts", "reference")
SNAPSHOT_DATABASE = "customer_intelligence.duckdb"
STORAGE_VERSION = "v1.4.0"
DEFAULT_KEEP = 3
# Column types every BI connector loads as a plain column (Power BI: whole and decimal numbers,
# text, true/false, date, date/time).
BI_TYPES: tuple[str, ...] = (
    "BOOLEAN",
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "FLOAT",
    "DOUBLE",
    "VARCHAR",
    "DATE",
    "TIMESTAMP",
)
LIST_SEPARATOR = "|"


class PublishError(RuntimeError):
    """The snapshot was not published; the previous one (if any) is still current."""


@dataclass(frozen=True)
class Published:
    build_id: str
    path: Path
    tables: int
    rows: int
    seconds: float


def bi_safe_expression(column: str, data_type: str) -> str:
    """A select expression giving `column` a type of BI_TYPES (or DECIMAL), same name."""
    quoted = f'"{column}"'
    if data_type.endswith("[]") or data_type.startswith(("LIST", "ARRAY")):
        return f"array_to_string({quoted}, '{LIST_SEPARATOR}') as {quoted}"
    if data_type.startswith(("STRUCT", "MAP", "UNION", "JSON")):
        return f"cast(to_json({quoted}) as varchar) as {quoted}"
    if data_type in ("TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ"):
        return f"cast(timezone('UTC', {quoted}) as timestamp) as {quoted}"
    if data_type.startswith("TIMESTAMP_"):  # _S, _MS, _NS precisions
        return f"cast({quoted} as timestamp) as {quoted}"
    if data_type in ("HUGEINT", "UHUGEINT", "UBIGINT"):
        return f"cast({quoted} as decimal(38, 0)) as {quoted}"
    if data_type in ("UTINYINT", "USMALLINT"):
        return f"cast({quoted} as integer) as {quoted}"
    if data_type == "UINTEGER":
        return f"cast({quoted} as bigint) as {quoted}"
    if data_type in ("UUID", "BLOB", "BIT", "INTERVAL", "TIME", "TIME WITH TIME ZONE"):
        return f"cast({quoted} as varchar) as {quoted}"
    return quoted


def is_bi_type(data_type: str) -> bool:
    return data_type in BI_TYPES or data_type.startswith("DECIMAL")


def table_checksum(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[int, str]:
    """Row count and an order-independent content hash (DuckDB's row hash, summed)."""
    count, checksum = con.execute(
        f"select count(*), cast(coalesce(sum(hash(t)), 0) as varchar) from {relation} as t"
    ).fetchall()[0]
    return int(count), str(checksum)


def failed_nodes(run_results: Path) -> list[str]:
    """Nodes of a dbt run that errored or failed (warnings do not count)."""
    results = json.loads(run_results.read_text())["results"]
    return [r["unique_id"] for r in results if r["status"] in ("error", "fail", "runtime error")]


def _build_metadata(run_results: Path | None) -> dict:
    if run_results is None or not run_results.exists():
        return {"invocation_id": None, "generated_at": None}
    metadata = json.loads(run_results.read_text())["metadata"]
    return {
        "invocation_id": metadata.get("invocation_id"),
        "generated_at": metadata.get("generated_at"),
    }


def _source_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    schemas = ", ".join(f"'{schema}'" for schema in PUBLISHED_SCHEMAS)
    return con.execute(
        "select schema_name, table_name from duckdb_tables() "
        f"where database_name = 'source' and schema_name in ({schemas}) order by 1, 2"
    ).fetchall()


def _columns(con: duckdb.DuckDBPyConnection, database: str, schema: str, table: str) -> list:
    return con.execute(
        "select column_name, data_type from duckdb_columns() where database_name = ? "
        "and schema_name = ? and table_name = ? order by column_index",
        [database, schema, table],
    ).fetchall()


def _model_versions(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """model_name -> model_version of the models this build trained (the ml.*_model tables)."""
    tables = con.execute(
        "select table_name from duckdb_columns() where database_name = 'source' "
        "and schema_name = 'ml' and column_name in ('model_name', 'model_version', 'artefact') "
        "group by 1 having count(*) = 3 order by 1"
    ).fetchall()
    versions = {}
    for (table,) in tables:
        for name, version in con.execute(
            f'select model_name, model_version from source.ml."{table}"'
        ).fetchall():
            versions[name] = version
    return dict(sorted(versions.items()))


def _as_of_date(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        rows = con.execute(
            "select cast(max(as_of_date) as varchar) "
            "from source.intermediate.int_as_of_dates_resolved"
        ).fetchall()
    except duckdb.CatalogException:
        return None
    return rows[0][0]


def _write_snapshot(source: Path, folder: Path, build: dict) -> dict:
    """Write the snapshot's database, Parquet files and manifest into `folder`."""
    (folder / "parquet" / "reference").mkdir(parents=True)
    database = folder / SNAPSHOT_DATABASE
    con = duckdb.connect()
    try:
        con.execute(f"attach '{source}' as source (read_only)")
        con.execute(f"attach '{database}' as snapshot (storage_version '{STORAGE_VERSION}')")
        build = {**build, "as_of_date": _as_of_date(con), "model_versions": _model_versions(con)}
        tables = []
        for schema, table in _source_tables(con):
            con.execute(f'create schema if not exists snapshot."{schema}"')
            columns = _columns(con, "source", schema, table)
            select = ", ".join(bi_safe_expression(name, kind) for name, kind in columns)
            target = f'snapshot."{schema}"."{table}"'
            con.execute(
                f'create table {target} as select {select} from source."{schema}"."{table}"'
            )
            parquet = Path("parquet", *([] if schema == "marts" else [schema]), f"{table}.parquet")
            con.execute(f"copy {target} to '{folder / parquet}' (format parquet)")
            rows, checksum = table_checksum(con, target)
            published_types = _columns(con, "snapshot", schema, table)
            unsafe = [f"{n} {t}" for n, t in published_types if not is_bi_type(t)]
            if unsafe:
                raise PublishError(f"{schema}.{table}: columns without a BI type: {unsafe}")
            tables.append(
                {
                    "schema": schema,
                    "table": table,
                    "rows": rows,
                    "checksum": checksum,
                    "parquet": parquet.as_posix(),
                    "columns": [{"name": n, "type": t} for n, t in published_types],
                }
            )
        manifest = {**build, "tables": tables}
        _write_manifest_tables(con, manifest)
        con.execute("detach snapshot")
    finally:
        con.close()
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _write_manifest_tables(con: duckdb.DuckDBPyConnection, manifest: dict) -> None:
    con.execute("create schema snapshot.meta")
    con.execute(
        "create table snapshot.meta.publish_manifest (build_id varchar, published_at timestamp, "
        "as_of_date date, dbt_invocation_id varchar, model_versions_json varchar, "
        "table_schema varchar, table_name varchar, row_count bigint, content_checksum varchar, "
        "parquet_file varchar)"
    )
    for table in manifest["tables"]:
        con.execute(
            "insert into snapshot.meta.publish_manifest values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                manifest["build_id"],
                manifest["published_at"],
                manifest["as_of_date"],
                manifest["invocation_id"],
                json.dumps(manifest["model_versions"], sort_keys=True),
                table["schema"],
                table["table"],
                table["rows"],
                table["checksum"],
                table["parquet"],
            ],
        )


def _swap_pointer(published: Path, build_id: str) -> None:
    """Point `current` and `CURRENT` at the snapshot, each by one atomic rename."""
    link = published / f".current-{build_id}"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(Path("snapshots") / build_id, target_is_directory=True)
    os.replace(link, published / "current")
    text = published / f".CURRENT-{build_id}"
    text.write_text(build_id + "\n")
    os.replace(text, published / "CURRENT")


def current_build(published: Path) -> str | None:
    """The build id `current` points at, or None before the first publish."""
    pointer = published / "CURRENT"
    return pointer.read_text().strip() if pointer.exists() else None


def _prune(published: Path, keep: int) -> None:
    """Keep the newest `keep` snapshots (the current one always); remove interrupted writes.

    A snapshot a reader still holds open on Windows cannot be removed: it is left for next time.
    """
    snapshots = published / "snapshots"
    current = current_build(published)
    for leftover in snapshots.glob(".tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    builds = sorted((p for p in snapshots.iterdir() if not p.name.startswith(".")), reverse=True)
    for old in builds[keep:]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)


def new_build_id(invocation_id: str | None) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{(invocation_id or 'manual')[:8]}"


def publish(
    warehouse: Path,
    published: Path,
    run_results: Path | None = None,
    keep: int = DEFAULT_KEEP,
) -> Published:
    """Publish `warehouse` as a new snapshot under `published` and make it current.

    Raises PublishError (the previous snapshot stays current) when the warehouse is missing,
    the build's run_results report an error or a failing test, or writing fails.
    """
    started = time.perf_counter()
    if not warehouse.exists():
        raise PublishError(f"no warehouse at {warehouse}: run `dbt build` first")
    if run_results is not None and run_results.exists():
        failed = failed_nodes(run_results)
        if failed:
            raise PublishError(
                f"the build failed ({len(failed)} node(s), e.g. {failed[0]}): not published"
            )
    if keep < 1:
        raise PublishError(f"keep must be at least 1, got {keep}")
    metadata = _build_metadata(run_results)
    build_id = new_build_id(metadata["invocation_id"])
    snapshots = published / "snapshots"
    snapshots.mkdir(parents=True, exist_ok=True)
    staging = snapshots / f".tmp-{build_id}"
    build = {
        "build_id": build_id,
        "published_at": datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds"),
        **metadata,
    }
    try:
        manifest = _write_snapshot(warehouse.resolve(), staging, build)
        os.rename(staging, snapshots / build_id)
        _swap_pointer(published, build_id)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, PublishError):
            raise
        if isinstance(error, Exception):
            raise PublishError(f"publishing failed: {error}") from error
        raise
    _prune(published, keep)
    return Published(
        build_id=build_id,
        path=snapshots / build_id,
        tables=len(manifest["tables"]),
        rows=sum(table["rows"] for table in manifest["tables"]),
        seconds=time.perf_counter() - started,
    )


def default_published_dir(warehouse: Path) -> Path:
    return warehouse.parent / "published"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path, help="the DuckDB file dbt built")
    parser.add_argument(
        "--to", type=Path, help="published folder (default: <warehouse dir>/published)"
    )
    parser.add_argument("--run-results", type=Path, help="dbt's run_results.json of the build")
    parser.add_argument("--keep", type=int, default=DEFAULT_KEEP, help="snapshots to keep")
    parser.add_argument("--status", action="store_true", help="only say which snapshot is current")
    args = parser.parse_args(argv)
    published = args.to or default_published_dir(args.warehouse)
    current = current_build(published)
    if args.status:
        print(f"Published snapshot: {current or 'none yet'} ({published / 'current'})")
        return 0
    try:
        result = publish(args.warehouse, published, args.run_results, args.keep)
    except PublishError as error:
        still = f"Snapshot {current} stays current" if current else "Nothing is published yet"
        print(f"Not published: {error}. {still} ({published / 'current'}).", file=sys.stderr)
        return 1
    print(
        f"Published snapshot {result.build_id}: {result.tables} tables, {result.rows:,} rows in "
        f"{result.seconds:.1f} s. BI tools read {published / 'current'} "
        f"({SNAPSHOT_DATABASE} or parquet/)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
