"""Fixtures of the browser suite: headless Chromium (one per session) and the page servers.

Without Chromium the suite is skipped with a visible reason; under ``CI=true``
a missing browser (or Playwright) is a failure instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import NoReturn

import pytest

from .apps import ci
from .chromium import Chromium
from .scenarios import ORIGIN_KEYS
from .servers import page_app, start_server


def _unavailable(reason: str) -> NoReturn:
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
def browser() -> Iterator[Chromium]:
    """Headless Chromium for the whole session, driven from its own thread."""
    executable = chromium_path()
    if executable is None:
        _unavailable("chromium not found ($CHROMIUM, /usr/bin/chromium or PATH; `apt-get install chromium`)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the Python package playwright is not installed (pip install -e '.[test]')")
    chromium = Chromium(executable)
    try:
        yield chromium
    finally:
        chromium.close()


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
