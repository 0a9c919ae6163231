"""Benchmark the SQL layer (`dbt build --selector sql_layer`): wall time and peak memory by size.

Runs the build on the shipped Online Retail file, then on deterministic synthetic logs of the
requested sizes (tools/synthetic.py), each into a fresh DuckDB file, and prints one
table row per size: rows, seconds, rows/s, peak MB. Peak MB is the peak resident set size of the
dbt process (DuckDB runs inside it), read with getrusage(RUSAGE_CHILDREN) in a fresh wrapper process
per run so that runs do not see each other's peaks.

    python bench/bench_sql.py --rows 1000000 10000000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
OUT = PROJECT / "bench" / "out"
# The synthetic generator is a dev tool (tools/, at the repository root), not part of the package.
sys.path.insert(0, str(PROJECT))


def _one_run(transactions: Path, warehouse: Path) -> dict[str, float]:
    """Run one dbt build in a child process; return seconds and the child's peak RSS in MB."""
    env = {
        **os.environ,
        "DBT_PROJECT_DIR": str(PROJECT),
        "DBT_PROFILES_DIR": str(PROJECT),
        "TRANSACTIONS_PATH": str(transactions),
        "WAREHOUSE_PATH": str(warehouse),
    }
    warehouse.unlink(missing_ok=True)
    command = [
        str(Path(sys.executable).with_name("dbt")),
        "build",
        "--selector",
        "sql_layer",
        # Only tests whose parents are all in the SQL layer (not ML tests that point at it).
        "--indirect-selection",
        "cautious",
        "--target-path",
        str(OUT / "target"),
        "--quiet",
    ]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"dbt build failed on {transactions}")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "peak_mb": peak_kb / 1024}


def _measure(transactions: Path, label: str) -> dict[str, float]:
    """Measure in a fresh interpreter so getrusage sees only this run's dbt process."""
    result = subprocess.run(
        [sys.executable, __file__, "--one", str(transactions), "--label", label],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(result.returncode)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _count_rows(path: Path) -> int:
    import duckdb

    reader = "read_parquet" if path.suffix == ".parquet" else "read_csv"
    return duckdb.sql(f"select count(*) from {reader}('{path}')").fetchall()[0][0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--format", choices=["parquet", "csv.gz"], default="parquet")
    parser.add_argument("--skip-shipped", action="store_true")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:
        figures = _one_run(args.one, OUT / f"bench_{args.label}.duckdb")
        print(json.dumps(figures))
        return 0

    from tools.synthetic import Shape, write

    OUT.mkdir(parents=True, exist_ok=True)
    cases: list[tuple[str, Path]] = []
    if not args.skip_shipped:
        cases.append(("shipped Online Retail (csv.gz)", PROJECT / "data" / "online_retail.csv.gz"))
    for rows in args.rows:
        path = OUT / f"synthetic_{rows}.{args.format}"
        if not path.exists():
            started = time.perf_counter()
            write(Shape.for_rows(rows), path)
            print(f"generated {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
        cases.append((f"synthetic ({args.format})", path))

    header = f"{'input':<32} {'rows':>12} {'seconds':>9} {'rows/s':>11} {'peak MB':>9}"
    lines = [header, "-" * len(header)]
    print(header, flush=True)
    for label, path in cases:
        rows = _count_rows(path)
        figures = _measure(path, str(rows))
        line = (
            f"{label:<32} {rows:>12,} {figures['seconds']:>9.1f} "
            f"{rows / figures['seconds']:>11,.0f} {figures['peak_mb']:>9.0f}"
        )
        lines.append(line)
        print(line, flush=True)
    (OUT / "bench_sql.txt").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
