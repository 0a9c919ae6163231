"""Benchmark the channel classifier: training on the 440 shipped accounts (with the full repeated
CV, calibration inside CV and refit), and scoring 1,000,000 synthetic accounts.

Each step runs in a fresh child process that reports its own peak resident set size
(getrusage(RUSAGE_SELF).ru_maxrss: the whole process, interpreter and libraries included). The
scoring steps hold their input too; `score_1m_duckdb` also reads the accounts from a DuckDB
table and writes the scored frame back, as the dbt Python model does. Synthetic accounts resample
the shipped spends with log-normal noise (seeded), all unlabelled.

    python bench/bench_channel.py            # train, score_1m, score_1m_duckdb
    python bench/bench_channel.py --rows 200000
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data" / "wholesale_customers.csv"


def _accounts():
    import pandas as pd

    from customer_intelligence.channel import from_uci_frame

    return from_uci_frame(pd.read_csv(DATA))


def _synthetic(rows: int):
    import numpy as np

    from customer_intelligence.channel.features import SPEND_COLUMNS

    base = _accounts()
    rng = np.random.default_rng(0)
    picked = base.iloc[rng.integers(0, len(base), rows)].reset_index(drop=True)
    noise = np.exp(rng.normal(0.0, 0.3, (rows, len(SPEND_COLUMNS))))
    picked[list(SPEND_COLUMNS)] = np.round(picked[list(SPEND_COLUMNS)].to_numpy() * noise)
    picked["account_id"] = np.arange(1, rows + 1, dtype=np.int64)
    picked["channel"] = None
    return picked


def _step(name: str, rows: int, registry_path: Path) -> tuple[int, float]:
    """Run one step in this (child) process; return (rows, seconds of the timed part)."""
    import pandas as pd

    from customer_intelligence.channel import score_accounts, train_channel_model

    if name == "train_440_cv":
        accounts = _accounts()
        started = time.perf_counter()
        result = train_channel_model(accounts)
        seconds = time.perf_counter() - started
        result.registry.to_parquet(registry_path)
        return len(accounts), seconds
    registry = pd.read_parquet(registry_path)
    if name == "score_1m":
        accounts = _synthetic(rows)
        started = time.perf_counter()
        score_accounts(accounts, registry)
        return rows, time.perf_counter() - started
    if name == "score_1m_duckdb":
        import duckdb

        connection = duckdb.connect()
        frame = _synthetic(rows)
        connection.execute("create table accounts as select * from frame")
        del frame
        started = time.perf_counter()
        accounts = connection.sql("select * from accounts").df()
        scored = score_accounts(accounts, registry)
        connection.register("scored", scored)
        connection.execute("create table predictions as select * from scored")
        return rows, time.perf_counter() - started
    raise ValueError(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--registry", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        rows, seconds = _step(args.child, args.rows, Path(args.registry))
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        print(f"{rows} {seconds} {peak_kib}")
        return
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        registry = Path(tmp) / "registry.parquet"
        print(f"{'step':<18}{'rows':>12}{'seconds':>10}{'peak MB':>10}")
        for step in ("train_440_cv", "score_1m", "score_1m_duckdb"):
            command = [
                sys.executable,
                __file__,
                "--child",
                step,
                "--rows",
                str(args.rows),
                "--registry",
                str(registry),
            ]
            output = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
            rows, seconds, peak_kib = output.stdout.split()[-3:]
            print(f"{step:<18}{int(rows):>12,}{float(seconds):>10.1f}{int(peak_kib) / 1024:>10.0f}")


if __name__ == "__main__":
    main()
