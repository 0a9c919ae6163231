"""A BI reader in another process: holds a published DuckDB file and a Parquet file open.

    python snapshot_reader.py SNAPSHOT_DIR STOP_FILE REPORT_FILE

Tests start it with `Reader(snapshot_dir, workdir)` and stop it with `Reader.stop()`.

Opens the snapshot's database read-only once (as a BI tool's driver does) and keeps reading
marts.fct_order_lines from it and from its Parquet file (the snapshot `current` points at,
resolved per query) until STOP_FILE exists, then writes a JSON report: the distinct (rows,
checksum) pairs it saw and any errors.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from customer_intelligence.publish import table_checksum


def main(snapshot: Path, stop: Path, report: Path) -> None:
    seen: set[tuple[int, str]] = set()
    errors: list[str] = []
    reads = 0
    con = duckdb.connect(str(snapshot / "customer_intelligence.duckdb"), read_only=True)
    parquet = duckdb.connect()
    report.with_suffix(".ready").write_text("open\n")
    while not stop.exists():
        try:
            seen.add(table_checksum(con, "marts.fct_order_lines"))
            # Resolved once per query, as the README tells query tools to: DuckDB opens a
            # Parquet file more than once in a query, and `current` may move in between.
            folder = snapshot.resolve()
            relation = f"read_parquet('{folder / 'parquet' / 'fct_order_lines.parquet'}')"
            seen.add(table_checksum(parquet, relation))
            reads += 1
        except Exception as error:  # report every failure; the test asserts there is none
            errors.append(repr(error))
        time.sleep(0.05)
    con.close()
    report.write_text(json.dumps({"seen": sorted(seen), "errors": errors, "reads": reads}))


class Reader:
    """The reader process, started on `snapshot` (e.g. <published>/current); ready on return."""

    def __init__(self, snapshot: Path, workdir: Path) -> None:
        self.stop_file, self.report = workdir / "reader.stop", workdir / "reader.json"
        self.process = subprocess.Popen(
            [sys.executable, __file__, str(snapshot), str(self.stop_file), str(self.report)]
        )
        for _ in range(400):
            if self.report.with_suffix(".ready").exists() or self.process.poll() is not None:
                break
            time.sleep(0.05)

    def stop(self) -> dict:
        """Stop reading; the report: distinct (rows, checksum) pairs seen, errors, reads."""
        self.stop_file.write_text("stop\n")
        self.process.wait(timeout=60)
        return json.loads(self.report.read_text())


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
