"""What every benchmark shares: the policies, the request kinds and the paired timer.

Timing method (per framework, in one process):

* every variant (bare app, floors, ours, peers) is a WSGI callable;
* time is this thread's CPU time (``time.thread_time_ns``), not wall time, so
  other processes on a busy machine do not count (their cache pollution still does);
* for one (policy, request kind) the variants are timed in rounds, each round
  runs every variant once for a block of ``n`` requests, forwards on even
  rounds and backwards on odd ones (A B C, C B A, ...), so a drift of the
  machine's speed hits every variant alike;
* a variant's overhead in a round is its ns/request minus the bare app's in
  the same round; ratios are taken per round (pairs measured side by side),
  and the report keeps the median over rounds.
"""

from __future__ import annotations

import gc
import io
import statistics
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from time import thread_time_ns
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: Options every library gets, as close as each allows.
METHODS = ["GET", "POST"]
ALLOW_HEADERS = ["Content-Type", "X-Token"]
EXPOSE_HEADERS = ["X-Total"]
MAX_AGE = 600
DENIED_ORIGIN = "https://evil.example.org"
WILDCARD = "https://*.example.com"
REGEX = r"https://[a-z0-9-]+\.example\.com"
BODY = b"Hello, world!"


@dataclass(frozen=True)
class PolicySpec:
    """One policy, framework-neutral; each door turns it into its own options."""

    key: str
    label: str
    exact: tuple[str, ...] = ()
    wildcard: str | None = None
    regex: str | None = None

    @property
    def allowed_origin(self) -> str:
        # The last listed origin: the worst case for a library that scans a list.
        return self.exact[-1] if self.exact else "https://app.example.com"

    def ours(self) -> dict[str, Any]:
        """Options for wsgicors.Policy / flask_ext / django_ext."""
        if self.exact:
            origins: list[str] = list(self.exact)
        elif self.wildcard:
            origins = [self.wildcard]
        else:
            assert self.regex is not None
            origins = ["~" + self.regex]
        return {
            "origins": origins,
            "methods": METHODS,
            "headers": ALLOW_HEADERS,
            "exposed_headers": EXPOSE_HEADERS,
            "max_age": MAX_AGE,
        }


def exact_origins(count: int) -> tuple[str, ...]:
    return tuple(f"https://app{i}.example.net" for i in range(count))


POLICIES: tuple[PolicySpec, ...] = (
    PolicySpec("exact3", "3 exact origins", exact=exact_origins(3)),
    PolicySpec("exact100", "100 exact origins", exact=exact_origins(100)),
    PolicySpec("exact10000", "10,000 exact origins", exact=exact_origins(10_000)),
    PolicySpec("wildcard", "1 wildcard (https://*.example.com)", wildcard=WILDCARD),
    PolicySpec("regex", "1 ~regex", regex=REGEX),
)
POLICY_BY_KEY = {p.key: p for p in POLICIES}


@dataclass(frozen=True)
class RequestKind:
    key: str
    label: str
    method: str
    origin: str | None  # "allowed", "denied" or None
    preflight: bool = False

    def headers(self, policy: PolicySpec) -> dict[str, str]:
        """HTTP request headers (by their HTTP names) for this kind under ``policy``."""
        headers: dict[str, str] = {}
        if self.origin == "allowed":
            headers["Origin"] = policy.allowed_origin
        elif self.origin == "denied":
            headers["Origin"] = DENIED_ORIGIN
        if self.preflight:
            headers["Access-Control-Request-Method"] = "POST"
            headers["Access-Control-Request-Headers"] = "x-token"
        return headers

    def environ(self, policy: PolicySpec, host: str = "localhost") -> dict[str, Any]:
        return make_environ(self.method, self.headers(policy), host=host)


KINDS: tuple[RequestKind, ...] = (
    RequestKind("get_no_origin", "GET, no Origin", "GET", None),
    RequestKind("get_allowed", "GET, allowed", "GET", "allowed"),
    RequestKind("get_denied", "GET, denied", "GET", "denied"),
    RequestKind("preflight_allowed", "preflight, allowed", "OPTIONS", "allowed", preflight=True),
    RequestKind("preflight_denied", "preflight, denied", "OPTIONS", "denied", preflight=True),
)
KIND_BY_KEY = {k.key: k for k in KINDS}


def make_environ(method: str, headers: Mapping[str, str], path: str = "/", host: str = "localhost") -> dict[str, Any]:
    """A WSGI environ as a server would build it (copied per request by the timer)."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "HTTP_USER_AGENT": "bench",
        "HTTP_ACCEPT": "*/*",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def _write(data: bytes) -> None:
    return None


def start_response(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> Callable[[bytes], None]:
    """The server's start_response, reduced to nothing (the same for every variant)."""
    return _write


def call(app: WSGIApp, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """One request through ``app``: (status, headers, body), body closed."""
    seen: dict[str, Any] = {}

    def capture(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> Callable[[bytes], None]:
        seen["status"], seen["headers"] = status, headers
        return _write

    body = app(dict(environ), capture)
    try:
        data = b"".join(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    return seen["status"], seen["headers"], data


def time_block(app: WSGIApp, environ: dict[str, Any], n: int) -> float:
    """ns per request of ``n`` requests through ``app`` (body iterated and closed)."""
    copy = environ.copy
    sr = start_response
    t0 = thread_time_ns()
    for _ in range(n):
        body = app(copy(), sr)
        for _chunk in body:
            pass
        close = getattr(body, "close", None)
        if close is not None:
            close()
    return (thread_time_ns() - t0) / n


#: ``timer(app, request, n)``: ns per request of ``n`` requests (``time_block`` for WSGI).
Timer = Callable[[Any, dict[str, Any], int], float]


def calibrate(app: Any, environ: dict[str, Any], target_ns: float, timer: Timer = time_block) -> int:
    """Requests per block so one block of ``app`` lasts about ``target_ns``."""
    timer(app, environ, 50)
    per = timer(app, environ, 200)
    return max(50, int(target_ns / max(per, 1.0)))


@dataclass
class PairedResult:
    """Per-round ns/request of every variant for one (policy, kind)."""

    variants: list[str]
    rounds: list[dict[str, float]] = field(default_factory=list)
    n: int = 0

    def median(self, variant: str) -> float:
        return statistics.median(r[variant] for r in self.rounds)

    def overhead(self, variant: str, base: str = "bare") -> float:
        """Median over rounds of (variant - base) in the same round."""
        return statistics.median(r[variant] - r[base] for r in self.rounds)

    def ratio(self, num: str, den: str, base: str = "bare") -> float:
        """Median over rounds of overhead(num) / overhead(den), both taken in that round."""
        values = []
        for r in self.rounds:
            d = r[den] - r[base]
            values.append((r[num] - r[base]) / d if d > 0 else float("inf"))
        return statistics.median(values)

    def to_json(self) -> dict[str, Any]:
        return {"variants": self.variants, "rounds": self.rounds, "n": self.n}


def paired(
    apps: Mapping[str, Any], environ: dict[str, Any], rounds: int, block_ns: float, timer: Timer = time_block
) -> PairedResult:
    """Time every app of ``apps`` on ``environ``: A B C / C B A rounds, gc off inside a block.
    ``timer`` times one block (WSGI apps by default; ``benchmarks.asgi_driver.time_block`` for ASGI)."""
    names = list(apps)
    slowest = max(names, key=lambda name: timer(apps[name], environ, 100))
    n = calibrate(apps[slowest], environ, block_ns, timer)
    result = PairedResult(names, n=n)
    for name in names:  # warm-up: caches, lazy imports, freelists
        timer(apps[name], environ, min(n, 500))
    for index in range(rounds):
        order = names if index % 2 == 0 else names[::-1]
        row: dict[str, float] = {}
        for name in order:
            gc.collect()
            gc.disable()
            try:
                row[name] = timer(apps[name], environ, n)
            finally:
                gc.enable()
        result.rounds.append(row)
    return result


def check_same_body(
    apps: Mapping[str, WSGIApp], environ: dict[str, Any]
) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Each app's status and headers for ``environ`` (recorded in the results, for honesty)."""
    out = {}
    for name, app in apps.items():
        status, headers, _ = call(app, environ)
        out[name] = (status, headers)
    return out


def paired_rows(
    framework: str,
    build: Callable[[PolicySpec], Mapping[str, Any]],
    request: Callable[[RequestKind, PolicySpec], dict[str, Any]],
    responses: Callable[[Mapping[str, Any], dict[str, Any]], Mapping[str, tuple[Any, list[tuple[str, str]]]]],
    rounds: int,
    block_ms: float,
    policies: list[str] | None,
    kinds: list[str] | None,
    timer: Timer = time_block,
) -> list[dict[str, Any]]:
    """One result row per selected (policy, kind): the paired timing of every app ``build`` makes, on the
    request ``request`` makes, with each app's status and headers (``responses``) recorded for honesty."""
    rows = []
    for policy in POLICIES:
        if policies and policy.key not in policies:
            continue
        apps = build(policy)
        for kind in KINDS:
            if kinds and kind.key not in kinds:
                continue
            environ = request(kind, policy)
            answers = responses(apps, environ)
            result = paired(apps, environ, rounds, block_ms * 1e6, timer)
            rows.append(
                {
                    "policy": policy.key,
                    "kind": kind.key,
                    **result.to_json(),
                    "responses": {name: [status, headers] for name, (status, headers) in answers.items()},
                }
            )
            row = ", ".join(f"{name} {result.median(name):.0f}" for name in result.variants)
            print(f"{framework} {policy.key:10} {kind.key:18} ns/req: {row}", file=sys.stderr, flush=True)
    return rows
