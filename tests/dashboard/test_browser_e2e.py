"""End-to-end test: the real Streamlit server driven by headless Chromium (kind: end-to-end).

What it proves: ``streamlit run dashboard/app.py`` serves the app on a free localhost port; in a
real browser the default scenario's numbers appear, a click switches to the comparison view,
which shows the three setups' numbers, and no traceback or error is shown. Screenshots are saved
to ``test-artifacts/`` (gitignored) for CI to keep.

Needs Debian's ``chromium`` (``/usr/bin/chromium``; ``CCPLAN_CHROMIUM`` overrides the path) and
the Python ``playwright`` package, used with that executable (``playwright install`` is never
needed). If either is missing the test FAILS with a message saying what to install: it is never
skipped silently.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import APP_FILE

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
"""Where screenshots go (the repository's ``test-artifacts/``, gitignored)."""

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STARTUP_SECONDS = 90
PAGE_TIMEOUT_MS = 90_000

pytestmark = [pytest.mark.slow, pytest.mark.e2e]



def _chromium() -> str:
    path = os.environ.get("CCPLAN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        pytest.fail(f"headless Chromium not found at {path}: install Debian's chromium and chromium-driver "
                    "(apt-get install chromium chromium-driver; .ci/run does) or set CCPLAN_CHROMIUM", pytrace=False)
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server():
    """``streamlit run dashboard/app.py`` on a free port; terminated in the finalizer."""
    port = _free_port()
    log = tempfile.TemporaryFile()
    command = [sys.executable, "-m", "streamlit", "run", str(APP_FILE), "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
               "--client.showErrorDetails", "none", "--server.fileWatcherType", "none"]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=APP_FILE.parents[1])
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"streamlit exited with {process.returncode}:\n{log.read().decode(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer on {url} within {STARTUP_SECONDS} s")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_dashboard_in_headless_chromium(server):
    chromium = _chromium()
    try:
        from playwright.sync_api import expect, sync_playwright

        expect.set_options(timeout=PAGE_TIMEOUT_MS)
    except ImportError:
        pytest.fail("the Python package playwright is missing: pip install playwright (used with the system "
                    "chromium; no `playwright install` needed)", pytrace=False)
    ARTIFACTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ccplan-chromium-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=chromium, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000})
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(PAGE_TIMEOUT_MS)
            page.goto(server, wait_until="domcontentloaded")
            # the default scenario's numbers: the Scenario view's volume metrics
            volume = page.get_by_test_id("stMetric").filter(has_text="voice: contacts in the horizon")
            expect(volume).to_be_visible()
            expect(volume).to_contain_text("2,")
            page.screenshot(path=str(ARTIFACTS / "dashboard-scenario.png"), full_page=False)

            page.get_by_text("Compare setups", exact=True).click()
            page.get_by_role("button", name="Compare setups").click()
            for setup in ("in-house", "virtual", "cloud"):
                expect(page.get_by_test_id("stMetric").filter(has_text=f"{setup}: cost per contact")).to_be_visible()
            expect(page.get_by_test_id("stImage").first).to_be_visible()
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / "dashboard-compare.png"), full_page=True)
            assert page.get_by_test_id("stException").count() == 0
            assert page.get_by_test_id("stAlertContentError").count() == 0
        finally:
            context.close()
    assert (ARTIFACTS / "dashboard-compare.png").stat().st_size > 10_000
