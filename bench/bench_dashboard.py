"""Benchmark BI delivery: publishing a built warehouse, then every dashboard page in Chromium.

Publishes WAREHOUSE into a scratch folder (seconds), serves the dashboard over that snapshot and
opens every page in headless Chromium (Debian's), timing from navigation to the first paint of
its data: the script has finished and the page's charts are drawn (tools/dashboard_browser.py).
Each page is opened twice: "first" right after the server started (nothing cached), "again" in
a new tab (Streamlit's cache of the snapshot's query results, as a second user sees it). The
look-up page is also timed entering the biggest customer's id.

    python bench/bench_dashboard.py [WAREHOUSE]   (default: the build, warehouse/...)
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from customer_intelligence.publish import SNAPSHOT_DATABASE, publish  # noqa: E402
from tools.dashboard_browser import (  # noqa: E402
    PAGES,
    launch_chromium,
    look_up_customer,
    serve,
    wait_rendered,
)


def _timed_page(browser, url: str, title: str, charts: int) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    try:
        started = time.perf_counter()
        page.goto(url)
        wait_rendered(page, title, charts)
        return time.perf_counter() - started
    finally:
        page.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "warehouse",
        type=Path,
        nargs="?",
        default=PROJECT / "warehouse" / "customer_intelligence.duckdb",
    )
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="bench_dashboard_"))
    try:
        started = time.perf_counter()
        result = publish(args.warehouse, scratch / "published")
        publish_seconds = time.perf_counter() - started
        database = scratch / "published" / "current" / SNAPSHOT_DATABASE
        con = duckdb.connect(str(database), read_only=True)
        customers, lines = con.execute(
            "select (select count(*) from marts.dim_customers), "
            "(select count(*) from marts.fct_order_lines)"
        ).fetchall()[0]
        (customer_id,) = con.execute(
            "select customer_id from marts.dim_customers order by monetary desc limit 1"
        ).fetchall()[0]
        con.close()
        print(f"warehouse: {args.warehouse} ({lines:,} order lines, {customers:,} customers)")
        print(f"publish: {publish_seconds:.1f} s ({result.build_id})\n")
        print(f"{'page':<24} {'first s':>8} {'again s':>8}")
        with serve(database) as url, launch_chromium() as browser:
            for path, title, charts in PAGES:
                first = _timed_page(browser, f"{url}/{path}", title, charts)
                again = _timed_page(browser, f"{url}/{path}", title, charts)
                print(f"{title:<24} {first:>8.2f} {again:>8.2f}", flush=True)
            page = browser.new_page(viewport={"width": 1400, "height": 1800})
            page.goto(f"{url}/lookup")
            wait_rendered(page, "Customer look-up", 0)
            started = time.perf_counter()
            look_up_customer(page, customer_id)
            print(f"{'look-up of a customer':<24} {time.perf_counter() - started:>8.2f}")
            page.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
