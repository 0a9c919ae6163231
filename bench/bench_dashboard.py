"""Benchmark BI delivery: publishing a built warehouse, then every dashboard page in Chromium.

Publishes WAREHOUSE into a scratch folder (seconds), serves the dashboard over that snapshot and
opens every page in headless Chromium (Debian's; tools/dashboard_browser.py). Each page is timed
from navigation to its first data (a KPI card, a table or a chart drawn) and to the whole page
(script finished, every chart drawn), three times: "first" right after the server started, in a
fresh browser profile (nothing cached anywhere); "again" in another fresh profile (the server's
cache of the snapshot's query results is warm: a second user); "in tab" in one profile kept
across the pages (the browser's cache holds the app's scripts, as for a user moving between
pages). The look-up page shows no data until an id is entered: it is timed entering the
biggest customer's id.

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
VIEWPORT = {"width": 1400, "height": 1800}
sys.path.insert(0, str(PROJECT))

from customer_intelligence.publish import SNAPSHOT_DATABASE, publish  # noqa: E402
from tools.dashboard_browser import (  # noqa: E402
    PAGES,
    TIMEOUT_MS,
    launch_chromium,
    look_up_customer,
    serve,
    wait_rendered,
)

# The first element that shows data: a KPI card, a table or a drawn chart.
DATA_SELECTOR = (
    '[data-testid="stMetric"], [data-testid="stDataFrame"], '
    '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'
)


def _timed_page(context, url: str, path: str, title: str, charts: int) -> tuple[float, float]:
    """Seconds to the first data on the page (nan for a page that shows none until asked) and
    to the whole page (script finished, every chart drawn)."""
    page = context.new_page()
    try:
        started = time.perf_counter()
        page.goto(f"{url}/{path}")
        first = float("nan")
        if path != "lookup":
            page.locator(DATA_SELECTOR).first.wait_for(timeout=TIMEOUT_MS)
            first = time.perf_counter() - started
        wait_rendered(page, title, charts)
        return first, time.perf_counter() - started
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
        print("seconds to the first data / to the whole page (every chart drawn)")
        print(f"{'page':<24} {'first':>11} {'again':>11} {'in tab':>11}")
        with serve(database) as url, launch_chromium() as browser:
            # A user's browser: one profile whose cache holds the app's scripts, warmed by
            # a page with a chart before the timings.
            tab = browser.new_context(viewport=VIEWPORT)
            _timed_page(tab, url, "quality", "Data quality", 1)
            for path, title, charts in PAGES:
                fresh = [browser.new_context(viewport=VIEWPORT) for _ in range(2)]
                runs = [_timed_page(context, url, path, title, charts) for context in (*fresh, tab)]
                cells = " ".join(f"{data:>5.2f}/{whole:<5.2f}" for data, whole in runs)
                print(f"{title:<24} {cells}", flush=True)
            page = tab.new_page()
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
