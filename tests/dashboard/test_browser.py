"""The dashboard in a real browser (tools/dashboard_browser.py): `streamlit run` on a free
loopback port, Debian's chromium driven by Playwright, every page opened until its data has
rendered, a screenshot per page saved under target/screenshots/
(`DASHBOARD_SCREENSHOTS=docs/screenshots` refreshes the README's pictures), and no error text
anywhere.

Needs /usr/bin/chromium (`.ci/run` installs it with apt): missing, the test fails in CI and is
skipped elsewhere. Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.dashboard_browser import (
    CHROMIUM,
    PAGES,
    TIMEOUT_MS,
    launch_chromium,
    look_up_customer,
    serve,
    wait_rendered,
)

from .conftest import ROOT

pytestmark = pytest.mark.integration

SCREENSHOTS = ROOT / os.environ.get("DASHBOARD_SCREENSHOTS", "target/screenshots")
ERROR_SELECTORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


@pytest.fixture(scope="module")
def server(published_dir: Path) -> Iterator[str]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with serve(published_dir / "current" / "customer_intelligence.duckdb") as url:
        yield url


@pytest.fixture(scope="module")
def browser(server: str):
    with launch_chromium() as chromium:
        yield chromium


def _assert_no_error(page) -> None:
    errors = page.locator(ERROR_SELECTORS)
    assert errors.count() == 0, errors.all_inner_texts()
    text = page.locator("body").inner_text()
    for marker in ("Traceback", "Error:", "Exception", "Page not found"):
        assert marker not in text, text[:2000]


@pytest.mark.parametrize(
    ("path", "title", "charts"), PAGES, ids=[p[0] or "overview" for p in PAGES]
)
def test_page_renders_in_chromium(
    browser, server: str, path: str, title: str, charts: int, snapshot_con
) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    try:
        started = time.perf_counter()
        page.goto(f"{server}/{path}", timeout=TIMEOUT_MS)
        wait_rendered(page, title, charts)
        if path == "lookup":
            (customer_id,) = snapshot_con.execute(
                "select customer_id from marts.dim_customers order by monetary desc limit 1"
            ).fetchall()[0]
            look_up_customer(page, customer_id)
        seconds = time.perf_counter() - started
        _assert_no_error(page)
        page.wait_for_timeout(1500)  # data grids paint their canvas after the script finishes
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = path or "overview"
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        print(f"{name}: rendered in {seconds:.1f} s")
    finally:
        page.close()
