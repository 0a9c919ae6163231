"""Run dbt for real, in a temporary directory, against a DuckDB file of the test's own.

dbt runs in this process through its programmatic runner (`dbtRunner`), so the cases share one
Python start and one set of imports. Each run gets its own warehouse file, target and log paths,
and its inputs through the environment variables and vars a user would set: dbt reads both when
it parses, and a run never reuses another's parse (each has its own target path).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner
from dbt_common.events.base_types import EventMsg

PROJECT = Path(__file__).resolve().parents[2]
INPUT_VARIABLES = ("TRANSACTIONS_PATH", "TRANSACTIONS_TABLE", "WHOLESALE_ACCOUNTS_PATH")

# Settings that make a build of a data slice quick without skipping a code path: every channel
# candidate, k and recommender method still runs, on fewer repeats, trees and grid points. The
# models' quality is measured on the shipped data with the defaults, not here.
FAST_MODEL_SETTINGS: dict[str, object] = {
    "channel_cv_repeats": 1,
    "channel_rf_trees": 20,
    "channel_xgb_trees": 40,
    "channel_calibration_folds": 2,
    "channel_permutation_repeats": 1,
    "segmentation_n_bootstrap": 3,
    "segmentation_n_init": 3,
    "recommender_recent_popularity_days_grid": [30],
    "recommender_item_knn_neighbours_grid": [100],
    "recommender_user_knn_neighbours_grid": [50],
    "recommender_ease_l2_grid": [300.0],
    "recommender_als_factors_grid": [32],
    "recommender_als_alpha_grid": [5.0],
    "recommender_content_neighbours_grid": [20],
    "recommender_hybrid_l2_c_grid": [1.0],
    "lifecycle_training_windows": 3,
    "demand_max_training_rows": 20000,
    "anomaly_evaluation_repeats": 1,
}


@dataclass
class DbtRun:
    returncode: int
    output: str
    warehouse: Path

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.warehouse), read_only=True)


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    for name in INPUT_VARIABLES:
        os.environ.pop(name, None)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _close_warehouse() -> None:
    """dbt-duckdb keeps its database open for the next run in the process; close it, so the
    test (or the next run) can open the file."""
    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()


def run_dbt(
    args: list[str],
    workdir: Path,
    *,
    transactions: Path | None = None,
    wholesale: Path | None = None,
    variables: dict | None = None,
    warehouse: Path | None = None,
) -> DbtRun:
    """Run `dbt <args>` on the project with its warehouse, target and logs under `workdir`.

    The output is the messages dbt logs at info level and above (what a user sees on the
    console), plus the text of an exception dbt raised.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    warehouse = warehouse or workdir / "warehouse.duckdb"
    env = {
        "DBT_PROJECT_DIR": str(PROJECT),
        "DBT_PROFILES_DIR": str(PROJECT),
        "WAREHOUSE_PATH": str(warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "OPENBLAS_NUM_THREADS": "1",
    }
    if transactions is not None:
        env["TRANSACTIONS_PATH"] = str(transactions)
    if wholesale is not None:
        env["WHOLESALE_ACCOUNTS_PATH"] = str(wholesale)
    command = [
        *args,
        "--project-dir",
        str(PROJECT),
        "--profiles-dir",
        str(PROJECT),
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
    ]
    if variables:
        command += ["--vars", json.dumps(variables)]
    messages: list[str] = []

    def collect(event: EventMsg) -> None:
        # What the console shows: debug events carry compiled SQL and file paths, which would let
        # a check that a message names a file pass when the message itself does not.
        if event.info.level in ("info", "warn", "error"):
            messages.append(event.info.msg)

    with _environment(env):
        try:
            result = dbtRunner(callbacks=[collect]).invoke(command)
        finally:
            _close_warehouse()
    if result.exception is not None:
        messages.append(str(result.exception))
    returncode = 0 if result.success else (2 if result.exception is not None else 1)
    return DbtRun(returncode, "\n".join(messages), warehouse)
