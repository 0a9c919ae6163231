"""The dashboard in a real browser, for the browser test and the render benchmark.

`serve` runs `streamlit run dashboard/app.py` on a free loopback port over a published snapshot;
`launch_chromium` drives Debian's chromium through Playwright (Playwright's own browser downloads
are never used); `wait_rendered` returns once a page's script has finished and its charts are
drawn: a bare `chromium --screenshot` of a Streamlit page captures it before it renders.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"
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
# url path (Streamlit derives it from the page file name; the default page is the root), title,
# charts the page must draw
PAGES = [
    ("", "Executive overview", 5),
    ("customers", "Customers & segments", 3),
    ("lookup", "Customer look-up", 0),
    ("products", "Product associations", 0),
    ("demand", "Demand & inventory", 1),
    ("pricing", "Pricing", 1),
    ("review", "Order review", 0),
    ("channel", "Wholesale channel", 3),
    ("models", "Model health", 2),
    ("quality", "Data quality", 1),
]
TIMEOUT_MS = 60_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(published_database: Path, startup_seconds: float = 60) -> Iterator[str]:
    """Serve the dashboard over `published_database`; yield its base url."""
    port = free_port()
    env = {**os.environ, "PUBLISHED_DATABASE": str(published_database)}
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
        deadline = time.monotonic() + startup_seconds
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                pass
            if process.poll() is not None:
                raise RuntimeError("streamlit exited before serving")
            if time.monotonic() > deadline:
                raise TimeoutError(f"streamlit did not come up within {startup_seconds:.0f} s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def launch_chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_rendered(page, title: str, charts: int) -> None:
    """Wait until the page shows `title`, its script has finished and `charts` charts are drawn."""
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


def look_up_customer(page, customer_id: str) -> None:
    """Enter a customer id on the look-up page and wait for the profile and both lists."""
    box = page.get_by_label("Customer id")
    box.fill(customer_id)
    box.press("Enter")
    page.get_by_text(f"Customer {customer_id}").first.wait_for(timeout=TIMEOUT_MS)
    wait_rendered(page, "Customer look-up", 0)
    page.locator('[data-testid="stDataFrame"]').nth(3).wait_for(timeout=TIMEOUT_MS)
