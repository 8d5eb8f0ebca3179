"""Headless Chromium through Playwright's sync API, kept in a thread of its own.

Playwright's sync API runs an asyncio event loop in the thread that starts it,
and leaves it marked as running there. In the main thread that would break
every later test that needs a loop of its own (pytest-asyncio tests, Django's
``async_to_sync``). So one worker thread starts Playwright, launches the
browser, runs every browser step (``run``) and stops both in ``close``.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

__all__ = ["CHROMIUM_ARGS", "Chromium"]

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

#: Hard limit for one browser step (against hangs only; nothing asserts on time).
STEP_TIMEOUT_S = 120

T = TypeVar("T")


class Chromium:
    """The browser and the thread it lives in; ``close()`` stops both."""

    def __init__(self, executable: str) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        try:
            self._thread.submit(self._start, executable).result(timeout=STEP_TIMEOUT_S)
        except BaseException:
            self.close()
            raise

    def _start(self, executable: str) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)

    def run(self, step: Callable[..., T], *args: Any) -> T:
        """``step(browser, *args)`` in the browser's thread; its result or its exception."""

        def call() -> T:
            assert self._browser is not None
            return step(self._browser, *args)

        return self._thread.submit(call).result(timeout=STEP_TIMEOUT_S)

    def _stop(self) -> None:
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            self._browser = None
            if self._playwright is not None:
                self._playwright.stop()
                self._playwright = None

    def close(self) -> None:
        stopped = False
        try:
            self._thread.submit(self._stop).result(timeout=STEP_TIMEOUT_S)
            stopped = True
        finally:
            # If a step hung, do not hang here too: the worker is a daemon-like pool thread.
            self._thread.shutdown(wait=stopped, cancel_futures=True)
