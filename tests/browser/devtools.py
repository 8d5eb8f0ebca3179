"""Chromium's own account of each fetch: the DevTools CORS error and the console lines.

A CDP session on the page reports ``Network.loadingFailed`` with
``corsErrorStatus.corsError`` (the ``Network.CorsError`` name) and its
``failedParameter``; a sandboxed iframe runs out of process, so for it only
the console message is seen, and the error's name is read back from its text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wsgicors.doctor.catalogue import CATALOGUE

from .runner import FETCH_JS, FETCH_TIMEOUT_MS, SANDBOX_JS

# runner.SANDBOX_JS removes the frame once it answered, which can drop its console line (the
# frame runs out of process): keep it until the context closes.
SANDBOX_KEEP_JS = SANDBOX_JS.replace("frame.remove(); ", "")
assert SANDBOX_KEEP_JS != SANDBOX_JS

if TYPE_CHECKING:
    from playwright.sync_api import Browser

__all__ = ["BrowserFetch", "Seen", "drive_devtools", "id_from_console"]

# The same request through XMLHttpRequest (withCredentials for credentials: "include").
XHR_JS = """async (spec) => await new Promise((resolve) => {
  const xhr = new XMLHttpRequest();
  xhr.open(spec.method, spec.url);
  xhr.withCredentials = spec.credentials === 'include';
  for (const [name, value] of Object.entries(spec.headers)) xhr.setRequestHeader(name, value);
  xhr.timeout = spec.timeout;
  xhr.onload = () => resolve({ok: true, status: xhr.status, url: xhr.responseURL, body: xhr.responseText,
    headers: {}, names: xhr.getAllResponseHeaders().split('\\r\\n').filter(Boolean)
      .map((line) => line.split(':')[0].toLowerCase())});
  xhr.onerror = () => resolve({ok: false, error: 'TypeError: XMLHttpRequest failed'});
  xhr.ontimeout = () => resolve({ok: false, error: 'AbortError: timeout'});
  xhr.send(spec.body);
})"""
_PREFLIGHT = "Response to preflight request doesn't pass access control check: "
_CONSOLE = re.compile(
    r"Access to (?:fetch|XMLHttpRequest) at '.*' from origin '.*' has been blocked by CORS policy: (.*)"
)
#: Polls for a DevTools event that may arrive after the page's promise settled (a guard, no timing asserted).
EVENT_POLLS, EVENT_POLL_MS = 400, 25


@dataclass(frozen=True)
class BrowserFetch:
    """One fetch() as the page makes it."""

    url: str
    method: str = "GET"
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str | None = None
    credentials: str = "same-origin"
    read: Sequence[str] = ()
    initiator: str = "fetch"  # or "xhr"


@dataclass
class Seen:
    """What Chromium did with one fetch."""

    result: dict[str, Any]
    cors_error: str | None = None
    failed_parameter: str | None = None
    console: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return bool(self.result.get("ok"))

    @property
    def cors_console(self) -> str | None:
        return next((line for line in self.console if "has been blocked by CORS policy" in line), None)

    @property
    def error_id(self) -> str | None:
        if self.cors_error is not None:
            return self.cors_error
        return id_from_console(self.cors_console) if self.cors_console else None


def id_from_console(line: str) -> str | None:
    """The DevTools name of the CORS error a console line reports (current Chromium wording)."""
    match = _CONSOLE.fullmatch(line)
    if match is None:
        return None
    reason = match[1]
    preflight = reason.startswith(_PREFLIGHT)
    reason = reason.removeprefix(_PREFLIGHT)
    for error_id, entry in CATALOGUE.items():
        if entry.preflight_prefix != preflight:
            continue
        pattern = re.escape(entry.reason).replace(re.escape("{hint}"), ".*")
        suffix = r"( Have the server send the header with a valid value\.| The credentials mode .* attribute\.)?"
        if re.fullmatch(pattern + suffix, reason):
            return error_id
    return None


def drive_devtools(
    browser: Browser,
    page_url: str,
    fetches: Sequence[BrowserFetch],
    sandbox: bool = False,
    cookies: Sequence[Mapping[str, Any]] = (),
) -> list[Seen]:
    """Open ``page_url`` in a fresh context and make each fetch, with DevTools listening."""
    context = browser.new_context()
    seen: list[Seen] = []
    try:
        context.set_default_timeout(FETCH_TIMEOUT_MS + 10_000)
        if cookies:
            context.add_cookies(list(cookies))  # type: ignore[arg-type]
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        failures: list[dict[str, Any]] = []
        console: list[str] = []
        cdp.on("Network.loadingFailed", lambda event: failures.append(event))
        page.on("console", lambda message: console.append(message.text))
        page.goto(page_url)
        for fetch in fetches:
            failures.clear()
            console.clear()
            spec = {
                "url": fetch.url,
                "method": fetch.method,
                "headers": dict(fetch.headers),
                "body": fetch.body,
                "credentials": fetch.credentials,
                "read": list(fetch.read),
                "timeout": FETCH_TIMEOUT_MS,
            }
            script = XHR_JS if fetch.initiator == "xhr" else FETCH_JS
            result = page.evaluate(SANDBOX_KEEP_JS, [script, spec]) if sandbox else page.evaluate(script, spec)
            entry = Seen(result)
            if not result.get("ok"):
                for _ in range(EVENT_POLLS):
                    logged = any("CORS policy" in line for line in console)
                    if logged and (sandbox or any("corsErrorStatus" in event for event in failures)):
                        break
                    page.wait_for_timeout(EVENT_POLL_MS)
            for failure in failures:
                status = failure.get("corsErrorStatus")
                if status and failure.get("type") != "Preflight":
                    entry.cors_error = status.get("corsError")
                    entry.failed_parameter = status.get("failedParameter")
                    break
            entry.console = list(console)
            seen.append(entry)
    finally:
        context.close()
    return seen
