"""Run dbt for real, in a temporary directory, against a DuckDB file of the test's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

PROJECT = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))


@dataclass
class DbtRun:
    returncode: int
    output: str
    warehouse: Path

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.warehouse), read_only=True)


def run_dbt(
    args: list[str],
    workdir: Path,
    *,
    transactions: Path | None = None,
    wholesale: Path | None = None,
    variables: dict | None = None,
    warehouse: Path | None = None,
) -> DbtRun:
    """Run `dbt <args>` on the project with its warehouse, target and logs under `workdir`."""
    workdir.mkdir(parents=True, exist_ok=True)
    warehouse = warehouse or workdir / "warehouse.duckdb"
    env = {
        **os.environ,
        "DBT_PROJECT_DIR": str(PROJECT),
        "DBT_PROFILES_DIR": str(PROJECT),
        "WAREHOUSE_PATH": str(warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "OPENBLAS_NUM_THREADS": "1",
    }
    for name in ("TRANSACTIONS_PATH", "TRANSACTIONS_TABLE", "WHOLESALE_ACCOUNTS_PATH"):
        env.pop(name, None)
    if transactions is not None:
        env["TRANSACTIONS_PATH"] = str(transactions)
    if wholesale is not None:
        env["WHOLESALE_ACCOUNTS_PATH"] = str(wholesale)
    command = [
        DBT,
        *args,
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
    ]
    if variables:
        command += ["--vars", json.dumps(variables)]
    result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True)
    return DbtRun(result.returncode, result.stdout + result.stderr, warehouse)


def table_fingerprint(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[int, str]:
    """Row count and an order-independent hash of a table's full content."""
    row = con.sql(
        f"select count(*), coalesce(sum(hash(t)), 0)::varchar from {relation} as t"
    ).fetchall()[0]
    return int(row[0]), str(row[1])
