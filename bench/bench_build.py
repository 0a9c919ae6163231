"""Benchmark the whole `dbt build`: from an empty warehouse, a rebuild, and a daily append.

For each log (the shipped Online Retail file, or a file given with --log), runs in a fresh
warehouse:
  full     the whole build from an empty warehouse (every model trained);
  rebuild  the same build again on the same data (models reused: retrain auto);
  daily    the build on the log without its last day, then on the whole log written to the
           same path (as a daily file refresh does): the second is timed, a daily append with
           model reuse. Both logs are rewritten by DuckDB in the input's format, and no var
           changes between the two builds, so dbt's partial parsing works as in daily use.
and prints per run: wall seconds, peak resident MB of the dbt process (DuckDB and the Python
models run inside it), the work (every node's execution seconds from dbt's run_results.json,
summed: divided by dbt's threads, the floor of the run's time), and seconds per stage: SQL
models, each Python model, data tests. --project runs the same scenarios on another checkout
too (e.g. the previous main in a git worktree), side by side.

    python bench/bench_build.py [--log FILE] [--runs full rebuild daily] [--project DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
OUT = PROJECT / "bench" / "out" / "build"
SHIPPED = PROJECT / "data" / "online_retail.csv.gz"


def _dbt(project: Path, warehouse: Path, log: Path, target: Path, variables: dict) -> dict:
    """One `dbt build` in a child process: seconds, peak RSS, the run results by stage."""
    env = {
        **os.environ,
        "DBT_PROJECT_DIR": str(project),
        "DBT_PROFILES_DIR": str(project),
        "PYTHONPATH": str(project / "src"),
        "TRANSACTIONS_PATH": str(log),
        "WAREHOUSE_PATH": str(warehouse),
        "OPENBLAS_NUM_THREADS": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    }
    command = [
        str(Path(sys.executable).with_name("dbt")),
        "build",
        "--target-path",
        str(target),
        "--log-path",
        str(target / "logs"),
        "--quiet",
    ]
    if variables:
        command += ["--vars", json.dumps(variables)]
    # A fresh wrapper process per run, so RUSAGE_CHILDREN is this build's peak alone.
    wrapper = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "r = subprocess.run(sys.argv[1:]).returncode; "
        "print(r, time.perf_counter() - t, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    result = subprocess.run(
        [sys.executable, "-c", wrapper, *command],
        env=env,
        cwd=project,
        capture_output=True,
        text=True,
    )
    code, seconds, peak_kb = result.stdout.strip().splitlines()[-1].split()
    if int(code) != 0:
        raise RuntimeError(f"dbt build failed in {project}:\n{result.stdout[-3000:]}")
    return {"seconds": float(seconds), "peak_mb": int(peak_kb) / 1024, **_stages(target)}


def _stages(target: Path) -> dict:
    results = json.loads((target / "run_results.json").read_text())["results"]
    manifest = json.loads((target / "manifest.json").read_text())["nodes"]
    stages: dict[str, float] = {"sql models": 0.0, "tests": 0.0}
    for result in results:
        node = manifest.get(result["unique_id"], {})
        seconds = result["execution_time"]
        if node.get("resource_type") == "model" and node.get("language") == "python":
            stages[node["name"]] = stages.get(node["name"], 0.0) + seconds
        elif node.get("resource_type") in ("model", "seed"):
            stages["sql models"] += seconds
        else:
            stages["tests"] += seconds
    return {"stages": stages}


def _write_log(log: Path, target: Path, before_day: str | None) -> None:
    """`log` rewritten to `target` in the same format, without the lines from `before_day` on
    (None: every line)."""
    import duckdb

    parquet = log.suffix == ".parquet"
    reader = f"read_parquet('{log}')" if parquet else f"read_csv('{log}', all_varchar = true)"
    where = (
        ""
        if before_day is None
        else (
            f"where try_cast(InvoiceDate as date) is null "
            f"or try_cast(InvoiceDate as date) < date '{before_day}'"
        )
    )
    options = "format parquet" if parquet else "header true, compression gzip"
    duckdb.sql(f"copy (select * from {reader} {where}) to '{target}' ({options})")


def _last_day(log: Path) -> str:
    import duckdb

    reader = (
        f"read_parquet('{log}')"
        if log.suffix == ".parquet"
        else f"read_csv('{log}', all_varchar = true)"
    )
    (day,) = duckdb.sql(f"select max(try_cast(InvoiceDate as date)) from {reader}").fetchall()[0]
    return str(day)


def scenarios(project: Path, log: Path, runs: list[str], label: str) -> dict[str, dict]:
    folder = OUT / label
    folder.mkdir(parents=True, exist_ok=True)
    measured = {}
    if "full" in runs or "rebuild" in runs:
        warehouse = folder / "full.duckdb"
        warehouse.unlink(missing_ok=True)
        # One target folder per warehouse, as a user's daily `dbt build` keeps its target/ (dbt
        # then parses only what changed).
        measured["full"] = _dbt(project, warehouse, log, folder / "target_full", {})
        if "rebuild" in runs:
            measured["rebuild"] = _dbt(project, warehouse, log, folder / "target_full", {})
    if "daily" in runs:
        warehouse = folder / "daily.duckdb"
        warehouse.unlink(missing_ok=True)
        daily_log = folder / (
            "daily_log.parquet" if log.suffix == ".parquet" else "daily_log.csv.gz"
        )
        _write_log(log, daily_log, _last_day(log))
        measured["day before"] = _dbt(project, warehouse, daily_log, folder / "target_daily", {})
        _write_log(log, daily_log, None)
        measured["daily"] = _dbt(project, warehouse, daily_log, folder / "target_daily", {})
    return measured


def _print(label: str, measured: dict[str, dict]) -> None:
    print(f"\n{label}")
    print(f"{'run':<12} {'seconds':>8} {'peak MB':>8} {'work s':>8}   slowest stages (s)")
    for run, figures in measured.items():
        # Work: every node's execution seconds summed; over dbt's threads, the run's floor.
        work = sum(figures["stages"].values())
        stages = sorted(figures["stages"].items(), key=lambda item: -item[1])[:6]
        detail = ", ".join(f"{name} {seconds:.0f}" for name, seconds in stages)
        print(
            f"{run:<12} {figures['seconds']:>8.1f} {figures['peak_mb']:>8.0f} {work:>8.1f}"
            f"   {detail}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", type=Path, default=SHIPPED)
    parser.add_argument(
        "--runs",
        nargs="+",
        default=["full", "rebuild", "daily"],
        choices=["full", "rebuild", "daily"],
    )
    parser.add_argument("--project", type=Path, help="another checkout to bench the same way")
    args = parser.parse_args(argv)
    log = args.log.resolve()
    checkouts = [("this checkout", PROJECT)]
    if args.project:
        checkouts.append((str(args.project), args.project.resolve()))
    print(f"log: {log}")
    for index, (label, project) in enumerate(checkouts):
        started = time.perf_counter()
        measured = scenarios(project, log, args.runs, f"{log.stem}-{index}")
        _print(f"{label} ({time.perf_counter() - started:.0f} s in all)", measured)
    return 0


if __name__ == "__main__":
    sys.exit(main())
