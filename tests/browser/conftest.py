"""Fixtures of the browser suite: headless Chromium (one per session) and the page servers.

Without Chromium the suite is skipped with a visible reason; under ``CI=true``
a missing browser (or Playwright) is a failure instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from .apps import ci
from .scenarios import ORIGIN_KEYS
from .servers import page_app, start_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser

#: The flags of issue 5; Playwright adds a fresh temporary user-data dir per launch.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    if ci():
        pytest.fail(f"{reason}: under CI=true the browser suite must run", pytrace=False)
    pytest.skip(f"{reason}: browser tests skipped")


def chromium_path() -> str | None:
    """$CHROMIUM, else /usr/bin/chromium, else `chromium` on PATH."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        _unavailable("chromium not found ($CHROMIUM, /usr/bin/chromium or PATH; `apt-get install chromium`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package playwright is not installed (pip install -e '.[test]')")
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def origins() -> Iterator[dict[str, str]]:
    """Page origins by key (see scenarios.ORIGIN_KEYS), plus ``P``, the main page port.

    One page server on 127.0.0.1 (the *.localhost names reach it too) and one on
    127.0.0.2 for the disallowed origin.
    """
    main = start_server("127.0.0.1", page_app)
    try:
        other = start_server("127.0.0.2", page_app)
        try:
            tokens = {"P": str(main.port)}
            for key, host in ORIGIN_KEYS.items():
                port = other.port if host == "127.0.0.2" else main.port
                tokens[key] = f"http://{host}:{port}"
            yield tokens
        finally:
            other.stop()
    finally:
        main.stop()
