"""Run one scenario in a fresh browser context against one door, and check what happened."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .apps import door_builder
from .chromium import Chromium
from .scenarios import Fetch, Scenario
from .servers import Exchange, Recorder, start_server

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication
    from playwright.sync_api import Browser

__all__ = ["Observation", "check", "drive", "fill", "observe", "run_scenario", "summary", "wsgi_serving"]

#: Hard limit for one fetch (against hangs only; nothing asserts on time).
FETCH_TIMEOUT_MS = 10_000

# Runs in the page (or, as source text, in a sandboxed iframe): one fetch,
# reported as plain data. A CORS failure is a TypeError; a hang an AbortError.
FETCH_JS = """async (spec) => {
  const init = {method: spec.method, credentials: spec.credentials, headers: spec.headers,
                signal: AbortSignal.timeout(spec.timeout)};
  if (spec.body !== null) init.body = spec.body;
  try {
    const r = await fetch(spec.url, init);
    const headers = {};
    for (const name of spec.read) headers[name] = r.headers.get(name);
    const body = await r.text();
    return {ok: true, status: r.status, url: r.url, body: body, headers: headers,
            names: [...r.headers.keys()]};
  } catch (e) {
    return {ok: false, error: e.name + ': ' + e.message};
  }
}"""

# Runs FETCH_JS inside a sandboxed iframe (an opaque origin: Origin: null).
SANDBOX_JS = """async ([fetchSource, spec]) => {
  return await new Promise((resolve, reject) => {
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', 'allow-scripts');
    const timer = setTimeout(() => reject(new Error('sandboxed frame did not answer')), spec.timeout + 5000);
    window.addEventListener('message', (event) => {
      if (event.source === frame.contentWindow) { clearTimeout(timer); frame.remove(); resolve(event.data); }
    });
    frame.srcdoc = '<!doctype html><script>(' + fetchSource + ')(' + JSON.stringify(spec) +
      ').then((r) => parent.postMessage(r, "*"));<\\/script>';
    document.body.appendChild(frame);
  });
}"""

_TOKEN = re.compile(r"<([A-Za-z-]+)>")


def fill(value: Any, tokens: Mapping[str, str]) -> Any:
    """Replace ``<name>`` placeholders in strings, recursively."""
    if isinstance(value, str):
        return _TOKEN.sub(lambda m: tokens.get(m.group(1), m.group(0)), value)
    if isinstance(value, Mapping):
        return {fill(k, tokens): fill(v, tokens) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(fill(v, tokens) for v in value)
    return value


@dataclass
class Observation:
    """What one scenario run saw: the page's results, the server's exchanges, the app's views."""

    door: str
    scenario: str
    tokens: dict[str, str]
    page_results: list[dict[str, Any]] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    app_saw: list[tuple[str, str]] = field(default_factory=list)

    def describe(self) -> str:
        lines = [f"door={self.door} scenario={self.scenario}", "page saw:"]
        lines += [f"  {r}" for r in self.page_results]
        lines.append("server received:")
        for x in self.exchanges:
            lines.append(f"  {x.method} {x.path} origin={x.origin!r} -> {x.status} req={x.request_headers}")
            lines.append(f"      resp={x.response_headers}")
        lines.append(f"app saw: {self.app_saw}")
        return "\n".join(lines)


def drive(browser: Browser, scenario: Scenario, tokens: Mapping[str, str]) -> list[dict[str, Any]]:
    """The browser's part of a scenario (runs in the Playwright thread): a fresh context,
    the page from its origin, each fetch in turn; returns what the page saw."""
    results: list[dict[str, Any]] = []
    context = browser.new_context()
    try:
        context.set_default_timeout(FETCH_TIMEOUT_MS + 10_000)
        if scenario.seed_cookie:
            cookie = {"name": "sid", "value": "s3cr3t", "domain": "127.0.0.1", "path": "/", "sameSite": "Lax"}
            context.add_cookies([cookie])  # type: ignore[list-item]
        page = context.new_page()
        page.goto(tokens[scenario.page] + "/")
        for fetch in scenario.fetches:
            spec = {
                "url": fill(fetch.url, tokens) if fetch.url else tokens["api"] + fetch.path,
                "method": fetch.method,
                "headers": dict(fetch.headers),
                "body": fetch.body,
                "credentials": fetch.credentials,
                "read": list(fetch.readable),
                "timeout": FETCH_TIMEOUT_MS,
            }
            if scenario.frame == "sandbox":
                results.append(page.evaluate(SANDBOX_JS, [FETCH_JS, spec]))
            else:
                results.append(page.evaluate(FETCH_JS, spec))
    finally:
        context.close()
    return results


@contextmanager
def wsgi_serving(app: WSGIApplication) -> Iterator[tuple[int, list[Exchange]]]:
    """``app`` (recorded) under wsgiref on 127.0.0.1, ephemeral port: yields (port, the exchanges)."""
    recorder = Recorder(app)
    server = start_server("127.0.0.1", recorder)
    try:
        yield server.port, recorder.exchanges
    finally:
        server.stop()


def observe(
    chromium: Chromium,
    door: str,
    app: Any,
    scenario: Scenario,
    tokens: Mapping[str, str],
    seen: list[tuple[str, str]],
    serving: Callable[[Any], AbstractContextManager[tuple[int, list[Exchange]]]] = wsgi_serving,
) -> Observation:
    """Serve ``app`` on 127.0.0.1 (``serving``: wsgiref for a WSGI app, or uvicorn for an ASGI app,
    ``asgi_apps.serving``), run the scenario's fetches in a fresh context."""
    with serving(app) as (port, exchanges):
        tokens = {
            **tokens,
            "api": f"http://127.0.0.1:{port}",
            "api-alias": f"http://localhost:{port}",
        }
        observation = Observation(door, scenario.name, dict(tokens))
        observation.page_results = chromium.run(drive, scenario, tokens)
    observation.exchanges = list(exchanges)
    observation.app_saw = list(seen)
    return observation


def run_scenario(chromium: Chromium, door: str, scenario: Scenario, tokens: Mapping[str, str]) -> Observation:
    """A fresh app from the scenario's policy behind ``door``, served and fetched from."""
    seen: list[tuple[str, str]] = []
    options = fill(dict(scenario.policy), tokens)
    with door_builder(door)(options, seen) as app:
        return observe(chromium, door, app, scenario, tokens, seen)


def _check_fetch(index: int, fetch: Fetch, result: Mapping[str, Any], tokens: Mapping[str, str]) -> list[str]:
    where = f"fetch #{index} ({fetch.method} {fetch.url or fetch.path})"
    if not fetch.ok:
        if result.get("ok"):
            return [f"{where}: the page read the response (status {result.get('status')}), expected it blocked"]
        if not str(result.get("error", "")).startswith("TypeError"):
            return [f"{where}: expected a CORS failure (TypeError), got {result.get('error')!r}"]
        return []
    if not result.get("ok"):
        return [f"{where}: fetch threw {result.get('error')!r}, expected the page to read the response"]
    problems = []
    if fetch.status is not None and result["status"] != fetch.status:
        problems.append(f"{where}: status {result['status']}, expected {fetch.status}")
    if fetch.body_is is not None and result["body"] != fill(fetch.body_is, tokens):
        problems.append(f"{where}: body {result['body']!r}, expected {fetch.body_is!r}")
    if fetch.body_has is not None and fetch.body_has not in result["body"]:
        problems.append(f"{where}: body {result['body'][:200]!r} lacks {fetch.body_has!r}")
    for name, expected in fetch.readable.items():
        got = result["headers"].get(name)
        if got != expected:
            problems.append(f"{where}: page read header {name!r} as {got!r}, expected {expected!r}")
    if fetch.final_url is not None and result["url"] != fill(fetch.final_url, tokens):
        problems.append(f"{where}: final URL {result['url']!r}, expected {fill(fetch.final_url, tokens)!r}")
    return problems


def check(observation: Observation, scenario: Scenario) -> list[str]:
    """Every difference between what was observed and what the scenario expects."""
    tokens = observation.tokens
    problems: list[str] = []
    if len(observation.page_results) != len(scenario.fetches):
        problems.append(f"{len(observation.page_results)} page results for {len(scenario.fetches)} fetches")
    for i, (fetch, result) in enumerate(zip(scenario.fetches, observation.page_results, strict=False)):
        problems += _check_fetch(i, fetch, result, tokens)

    got = [(x.method, x.path, x.origin, x.status) for x in observation.exchanges]
    want = [(r.method, r.path, fill(r.origin, tokens), r.status) for r in scenario.received]
    if got != want:
        problems.append(f"server received {got}, expected {want}")
    else:
        for i, (exchange, received) in enumerate(zip(observation.exchanges, scenario.received, strict=True)):
            for name, value in fill(dict(received.request), tokens).items():
                actual = exchange.request_headers.get(name)
                if actual != value:
                    problems.append(
                        f"request #{i} {exchange.method}: header {name!r} was {actual!r}, expected {value!r}"
                    )
            for name, value in fill(dict(received.response), tokens).items():
                actual = exchange.response_header(name)
                if actual != value:
                    problems.append(f"response #{i} to {exchange.method}: {name!r} was {actual!r}, expected {value!r}")
    if observation.app_saw != list(scenario.app_saw):
        problems.append(f"the app saw {observation.app_saw}, expected {list(scenario.app_saw)}")
    return problems


_APP_HEADER_NAMES = frozenset({"x-exposed", "x-hidden", "x-error", "x-app-options"})
_CORS_VARY = frozenset(
    {
        "origin",
        "access-control-request-method",
        "access-control-request-headers",
        "access-control-request-private-network",
    }
)


def _cors_headers(exchange: Exchange) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for name, value in exchange.response_headers:
        lname = name.lower()
        if lname == "access-control-expose-headers" and value != "*":
            # Listing the response's own names is framework-dependent (Content-Length, ...)
            # beyond the app's headers: compare the app's names only.
            names = {n.strip().lower() for n in value.split(",")}
            value = ", ".join(sorted(names & _APP_HEADER_NAMES))
        if lname.startswith("access-control-"):
            out.append((lname, value))
        elif lname == "vary":
            tokens = sorted({t.strip().lower() for t in value.split(",")} & _CORS_VARY)
            if tokens:
                out.append(("vary", ", ".join(tokens)))
    return tuple(sorted(out))


def summary(observation: Observation, scenario: Scenario) -> dict[str, Any]:
    """What must be identical across doors: page outcomes and the CORS side of every exchange."""
    api = {observation.tokens["api"]: "<api>", observation.tokens["api-alias"]: "<api-alias>"}
    page = []
    for fetch, result in zip(scenario.fetches, observation.page_results, strict=False):
        entry = {k: result.get(k) for k in ("ok", "status", "url", "headers")}
        for base, token in api.items():  # each door's server has its own port
            if isinstance(entry["url"], str) and entry["url"].startswith(base + "/"):
                entry["url"] = token + entry["url"][len(base) :]
        if fetch.body_is is not None:  # the app's own body; a framework's error pages differ
            entry["body"] = result.get("body")
        page.append(entry)
    exchanges = [(x.method, x.path, x.origin, x.status, _cors_headers(x)) for x in observation.exchanges]
    return {"page": page, "exchanges": exchanges, "app_saw": observation.app_saw}
