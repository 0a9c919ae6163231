"""Read-only access to the published snapshot for the dashboard pages.

Every query opens its own read-only connection to the snapshot `current` points at (resolved
once per query, so a query never mixes two snapshots), and results are cached per snapshot
build id (meta.publish_manifest): a new publish shows up on the next rerun, an old one is never
served from the cache. Statistics are not computed here; pages read the marts as they are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

DEFAULT_PUBLISHED_DATABASE = "warehouse/published/current/customer_intelligence.duckdb"


class NoSnapshotError(RuntimeError):
    """No published snapshot where the dashboard looks for one."""


@dataclass(frozen=True)
class Snapshot:
    path: str
    build_id: str
    as_of_date: str | None
    published_at: str | None


def published_database() -> Path:
    return Path(os.environ.get("PUBLISHED_DATABASE", DEFAULT_PUBLISHED_DATABASE))


def _connect(path: str) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(path, read_only=True)


def current_snapshot() -> Snapshot:
    """The snapshot `current` points at now, with its build id; NoSnapshotError if none."""
    configured = published_database()
    if not configured.exists():
        raise NoSnapshotError(
            f"No published snapshot at {configured}. Run `make build` (or `make publish` after "
            "a successful build), or point PUBLISHED_DATABASE at a published "
            "customer_intelligence.duckdb."
        )
    path = str(configured.resolve())
    con = _connect(path)
    try:
        rows = con.execute(
            "select build_id, cast(max(as_of_date) as varchar), "
            "cast(max(published_at) as varchar) from meta.publish_manifest group by 1"
        ).fetchall()
    except duckdb.CatalogException as error:
        raise NoSnapshotError(f"{configured} is not a published snapshot: {error}") from error
    finally:
        con.close()
    if not rows:
        raise NoSnapshotError(f"{configured} has an empty meta.publish_manifest: run make build")
    build_id, as_of_date, published_at = rows[0]
    return Snapshot(path=path, build_id=build_id, as_of_date=as_of_date, published_at=published_at)


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_frame(path: str, build_id: str, sql: str, params: tuple) -> pd.DataFrame:
    # build_id is part of the cache key only: a new publish is a new key.
    del build_id
    con = _connect(path)
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


def frame(sql: str, params: tuple | list = ()) -> pd.DataFrame:
    """The result of `sql` (with `?` parameters) over the current snapshot, cached per build."""
    snapshot = current_snapshot()
    return _cached_frame(snapshot.path, snapshot.build_id, sql, tuple(params))


def in_list(column: str, values: list) -> str:
    """`column in (?, ?, ...)` with one placeholder per value, for `frame`'s parameters."""
    return f"{column} in ({', '.join('?' for _ in values)})"


def has_table(schema: str, table: str) -> bool:
    rows = frame(
        "select count(*) as n from duckdb_tables() where schema_name = ? and table_name = ?",
        (schema, table),
    )
    return bool(rows["n"].iloc[0])


def require_tables(*relations: str) -> bool:
    """Say which marts this snapshot lacks (an older publish); False if any is missing."""
    missing = [r for r in relations if not has_table(*r.split("."))]
    if missing:
        st.warning(
            "This snapshot predates " + ", ".join(missing) + ": run `make build` to publish a "
            "snapshot that has them."
        )
    return not missing
