"""The dashboard in a real browser: `streamlit run` on a free loopback port, Debian's chromium
driven by Playwright, every page opened until its data has rendered, a screenshot per page
saved under target/screenshots/ (`DASHBOARD_SCREENSHOTS=docs/screenshots` refreshes the README's
pictures), and no error text anywhere.

Needs /usr/bin/chromium (`.ci/run` installs it with apt): missing, the test fails in CI and is
skipped elsewhere. Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from .conftest import APP, ROOT

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / os.environ.get("DASHBOARD_SCREENSHOTS", "target/screenshots")
# url path (Streamlit derives it from the page file name; the default page is the root), title,
# charts the page must draw
PAGES = [
    ("", "Executive overview", 5),
    ("customers", "Customers & segments", 2),
    ("lookup", "Customer look-up", 0),
    ("products", "Product associations", 0),
    ("channel", "Wholesale channel", 3),
    ("models", "Model health", 2),
    ("quality", "Data quality", 1),
]
ERROR_SELECTORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
TIMEOUT_MS = 60_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(published_dir: Path) -> Iterator[str]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    port = _free_port()
    env = {
        **os.environ,
        "PUBLISHED_DATABASE": str(published_dir / "current" / "customer_intelligence.duckdb"),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP),
            "--server.address=127.0.0.1",
            f"--server.port={port}",
            "--server.headless=true",
            "--browser.gatherUsageStats=false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                pass
            assert process.poll() is None, "streamlit exited before serving"
            assert time.monotonic() < deadline, "streamlit did not come up within 60 s"
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(server: str):
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _wait_rendered(page, title: str, charts: int) -> None:
    page.get_by_role("heading", name=title).first.wait_for(timeout=TIMEOUT_MS)
    # The script has finished when the "running" status widget is gone.
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS
    )
    if charts:
        page.wait_for_function(
            "n => document.querySelectorAll("
            '\'[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg\''
            ").length >= n",
            arg=charts,
            timeout=TIMEOUT_MS,
        )


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
        _wait_rendered(page, title, charts)
        if path == "lookup":
            (customer_id,) = snapshot_con.execute(
                "select customer_id from marts.dim_customers order by monetary desc limit 1"
            ).fetchall()[0]
            box = page.get_by_label("Customer id")
            box.fill(customer_id)
            box.press("Enter")
            page.get_by_text(f"Customer {customer_id}").first.wait_for(timeout=TIMEOUT_MS)
            _wait_rendered(page, title, 0)
            page.locator('[data-testid="stDataFrame"]').nth(3).wait_for(timeout=TIMEOUT_MS)
        seconds = time.perf_counter() - started
        _assert_no_error(page)
        page.wait_for_timeout(1500)  # data grids paint their canvas after the script finishes
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = path or "overview"
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        print(f"{name}: rendered in {seconds:.1f} s")
    finally:
        page.close()
