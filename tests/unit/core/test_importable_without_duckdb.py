"""The package's algorithms import without DuckDB, so a Spark (or any Python) job can call them.

Only the publish step, which writes DuckDB snapshot files, needs DuckDB.
"""

from __future__ import annotations

import subprocess
import sys

NEEDS_DUCKDB = {"customer_intelligence.publish"}

PROBE = """
import importlib, pkgutil, sys
sys.modules["duckdb"] = None  # any `import duckdb` now fails
import customer_intelligence
failed = []
for module in pkgutil.walk_packages(customer_intelligence.__path__, "customer_intelligence."):
    try:
        importlib.import_module(module.name)
    except ImportError:
        failed.append(module.name)
print(",".join(sorted(failed)))
"""


def test_every_module_but_publish_imports_without_duckdb() -> None:
    run = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=300
    )
    failed = set(filter(None, run.stdout.strip().split(",")))
    assert failed == NEEDS_DUCKDB
