"""The demo's page in headless Chromium: every example runs, and shows the browser's verdict, the wire and the reason.

``python -m wsgicors.demo 0`` runs as a user runs it (a subprocess, the printed
``Open ... in a browser`` line read back); Chromium opens the page and waits until
every example carries ``data-verdict``. The screenshot goes to the test's
temporary folder; with ``CORSGATE_UPDATE_SCREENSHOT=1`` it also replaces
docs/_static/demo.png, the one the docs show.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.processes import stop

from .chromium import Chromium

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.server]

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO_ROOT / "docs" / "_static" / "demo.png"
START_TIMEOUT_S = 30
EXPECTED = {
    "allowed-get": "allowed",
    "denied-get": "blocked",
    "preflighted-put": "allowed",
    "credentials": "allowed",
}


@pytest.fixture
def demo() -> Iterator[tuple[str, str]]:
    """The demo, started as a user starts it: (the page's URL, the API's origin)."""
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "wsgicors.demo", "0"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()], daemon=True)
    reader.start()
    try:
        page = api = None
        while page is None:
            line = lines.get(timeout=START_TIMEOUT_S)  # a guard against a hang, not a timing assertion
            if found := re.match(r"Serving the demo API on (http://127\.0\.0\.1:\d+)/", line):
                api = found[1]
            if found := re.match(r"Open (http://127\.0\.0\.1:\d+/) in a browser", line):
                page = found[1]
        assert api is not None and page.rstrip("/") != api
        yield page, api
    finally:
        stop(process, 15)


def _open(browser: Browser, url: str, screenshot: str) -> list[dict[str, Any]]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(f"document.querySelectorAll('[data-verdict]').length === {len(EXPECTED)}")
        page.screenshot(path=screenshot, full_page=True)
        found: list[dict[str, Any]] = page.eval_on_selector_all(
            "section.example",
            "els => els.map(e => ({id: e.id, verdict: e.dataset.verdict, text: e.innerText}))",
        )
        return found
    finally:
        context.close()


def test_demo_page_shows_what_the_browser_decided(demo: tuple[str, str], browser: Chromium, tmp_path: Path) -> None:
    page_url, _ = demo
    page_origin = page_url.rstrip("/")
    shot = tmp_path / "demo.png"
    examples = {e["id"]: e for e in browser.run(_open, page_url, str(shot))}
    assert {name: e["verdict"] for name, e in examples.items()} == EXPECTED

    # What the browser decided, what went over the wire, and why.
    allowed = examples["allowed-get"]["text"]
    assert f"< Access-Control-Allow-Origin: {page_origin}" in allowed
    assert '{"hello": "world", "method": "GET"}' in allowed
    assert "x-request-id" in allowed  # exposed_headers: readable by the script

    denied = examples["denied-get"]["text"]
    assert "TypeError: Failed to fetch" in denied
    assert "> GET /api/admin" in denied and "< 200 OK" in denied  # the app ran; the browser hid the answer
    assert (
        f"wsgicors engine: CORS denied: origin not allowed (origin '{page_url.rstrip('/')}', GET '/api/admin')"
        in denied
    )
    assert "Access-Control-Allow-Origin:" not in denied.split("Over the wire", 1)[1]

    put = examples["preflighted-put"]["text"]
    assert "> OPTIONS /api/hello" in put and "> Access-Control-Request-Method: PUT" in put
    assert "> Access-Control-Request-Headers: content-type" in put
    assert '"received": {"name": "demo"}' in put

    credentials = examples["credentials"]["text"]
    assert "< Access-Control-Allow-Credentials: true" in credentials
    assert "> Cookie: demo_session=" in credentials
    assert re.search(r'"cookie_received": "[0-9a-f]{8}"', credentials)

    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("CORSGATE_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, SCREENSHOT)
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "the docs' screenshot (docs/_static/demo.png)"
