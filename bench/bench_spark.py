"""The SQL layer on local Spark against DuckDB: seconds, peak memory and Spark's task metrics.

For each input (the shipped file by default; `--log FILE` adds others, e.g. the 10M-line
synthetic Parquet), builds `dbt build --selector sql_layer` (tests whose parents are all in the
SQL layer) once on DuckDB (`.venv`) and once on Spark (`.venv-spark`, as `make test-spark` sets
it up: dbt-spark's session method, `local[2]` unless SPARK_MASTER says otherwise), each from
empty. Prints one row per engine and input:

- seconds: wall time of the dbt process, start to exit (Spark's start included);
- peak MB: the highest resident memory of the dbt process and its children together (Spark's
  JVM is a child of the dbt process), sampled every 0.2 s;
- on Spark, from its event log: task seconds (the running time of every task, summed), input
  lines per task-second, bytes read from the input files, and bytes shuffled (written by map
  tasks).

    .venv/bin/python bench/bench_spark.py [--log FILE ...] [--skip-shipped] [--engine spark]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
OUT = PROJECT / "bench" / "out" / "spark"
DBT = {
    "duckdb": PROJECT / ".venv" / "bin" / "dbt",
    "spark": PROJECT / ".venv-spark" / "bin" / "dbt",
}


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants, in kB (0 once it has exited)."""
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            for task in Path(f"/proc/{pid}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def _run(engine: str, transactions: Path, work: Path) -> dict[str, float]:
    """One `dbt build` of the SQL layer from empty; seconds, peak MB and (Spark) event log."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = {
        **os.environ,
        "DBT_PROJECT_DIR": str(PROJECT),
        "DBT_PROFILES_DIR": str(PROJECT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "TRANSACTIONS_PATH": str(transactions),
        "WAREHOUSE_PATH": str(work / "warehouse.duckdb"),
        "SPARK_HOME_DIR": str(work / "spark"),
        "SPARK_EVENT_LOG_DIR": str(work / "events"),
    }
    (work / "events").mkdir()
    command = [
        str(DBT[engine]),
        "build",
        "--selector",
        "sql_layer",
        "--indirect-selection",
        "cautious",
        "--target",
        "dev" if engine == "duckdb" else "spark",
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
        "--quiet",
    ]
    started = time.perf_counter()
    with open(work / "dbt.out", "w") as out:
        process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=out, stderr=out)
        peak_kb = 0
        while process.poll() is None:
            peak_kb = max(peak_kb, _tree_rss_kb(process.pid))
            time.sleep(0.2)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        sys.stderr.write((work / "dbt.out").read_text()[-4000:])
        raise SystemExit(f"dbt build on {engine} failed on {transactions}")
    figures = {"seconds": seconds, "peak_mb": peak_kb / 1024}
    if engine == "spark":
        figures.update(_event_log_totals(work / "events"))
    return figures


def _event_log_totals(folder: Path) -> dict[str, float]:
    """Task time, input bytes and shuffle bytes written, summed over every task of the run."""
    task_ms = input_bytes = shuffle_bytes = 0
    # Spark 4 writes a folder per application (eventlog_v2_*) of event files.
    for log in sorted(path for path in folder.rglob("*") if path.is_file()):
        with open(log, errors="replace") as events:
            for line in events:
                if '"SparkListenerTaskEnd"' not in line:
                    continue
                metrics = json.loads(line).get("Task Metrics") or {}
                task_ms += metrics.get("Executor Run Time", 0)
                input_bytes += metrics.get("Input Metrics", {}).get("Bytes Read", 0)
                shuffle_bytes += metrics.get("Shuffle Write Metrics", {}).get(
                    "Shuffle Bytes Written", 0
                )
    return {
        "task_seconds": task_ms / 1000,
        "input_mb": input_bytes / 2**20,
        "shuffle_mb": shuffle_bytes / 2**20,
    }


def _count_rows(path: Path) -> int:
    import duckdb

    if path.suffix == ".parquet":
        reader = f"read_parquet('{path}')"
    else:
        reader = f"read_csv('{path}', all_varchar = true, strict_mode = false, parallel = false)"
    return duckdb.sql(f"select count(*) from {reader}").fetchall()[0][0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", type=Path, action="append", default=[], help="another input")
    parser.add_argument("--skip-shipped", action="store_true")
    parser.add_argument("--engine", choices=["duckdb", "spark"], action="append")
    args = parser.parse_args()
    engines = args.engine or ["duckdb", "spark"]
    for engine in engines:
        if not DBT[engine].exists():
            raise SystemExit(f"{DBT[engine]} is missing: run `make venv` / `make test-spark` first")
    logs = ([] if args.skip_shipped else [PROJECT / "data" / "online_retail.csv.gz"]) + [
        log.resolve() for log in args.log
    ]
    header = (
        f"{'input':<28} {'engine':<7} {'rows':>11} {'seconds':>8} {'peak MB':>8}"
        f" {'task s':>7} {'rows/task s':>11} {'input MB':>9} {'shuffle MB':>10}"
    )
    settings = (
        f"DuckDB: {os.environ.get('DUCKDB_THREADS', '2')} threads,"
        f" memory limit {os.environ.get('DUCKDB_MEMORY_LIMIT', '3GB')};"
        f" Spark: {os.environ.get('SPARK_MASTER', 'local[2]')},"
        f" driver memory {os.environ.get('SPARK_DRIVER_MEMORY', '2g')}"
    )
    lines = [settings, header, "-" * len(header)]
    print(settings, header, sep="\n", flush=True)
    for log in logs:
        rows = _count_rows(log)
        for engine in engines:
            figures = _run(engine, log, OUT / f"{log.name}-{engine}")
            line = (
                f"{log.name[:28]:<28} {engine:<7} {rows:>11,} {figures['seconds']:>8.1f}"
                f" {figures['peak_mb']:>8,.0f}"
            )
            if engine == "spark":
                line += (
                    f" {figures['task_seconds']:>7.0f}"
                    f" {rows / max(figures['task_seconds'], 1e-9):>11,.0f}"
                    f" {figures['input_mb']:>9,.0f} {figures['shuffle_mb']:>10,.0f}"
                )
            lines.append(line)
            print(line, flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench_spark.txt").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
