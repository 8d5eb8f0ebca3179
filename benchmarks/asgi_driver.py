"""The in-process ASGI driver: the app coroutine called directly, no event loop, no server.

A scope is built once per (policy, request kind), as uvicorn builds it, and
copied per request (as a server builds a new one); ``receive`` returns one
prebuilt ``http.request`` message and ``send`` drops what it gets, so what is
timed is the app and its middleware. Nothing in these apps waits on I/O, so
one block of ``n`` requests is one coroutine run to completion by a single
``send(None)`` (an app that suspends is an error, not a silent measurement of a
scheduler). Timing rounds are ``common.paired``'s, with :func:`time_block`.
"""

from __future__ import annotations

import gc
import platform
import sys
import tracemalloc
from collections.abc import Coroutine, Mapping
from time import thread_time_ns
from typing import Any

from .asgi_apps import ASGIApp, Message, compat_missing, variants
from .common import KINDS, POLICY_BY_KEY, paired_rows

_REQUEST: Message = {"type": "http.request", "body": b"", "more_body": False}


async def receive() -> Message:
    return _REQUEST


async def send(message: Message) -> None:
    return None


def make_scope(method: str, headers: Mapping[str, str], path: str = "/", host: str = "localhost") -> dict[str, Any]:
    """An HTTP scope as uvicorn builds it (lower-case byte header names, latin-1 values)."""
    raw = [(b"host", host.encode()), (b"user-agent", b"bench"), (b"accept", b"*/*")]
    raw += [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "scheme": "http",
        "method": method,
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": raw,
    }


def finish(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run ``coroutine`` to its end in one step; an app that suspends is an error."""
    try:
        coroutine.send(None)
    except StopIteration:
        return
    coroutine.close()
    raise RuntimeError("an app suspended: this driver runs only apps that never wait")


def time_block(app: ASGIApp, scope: dict[str, Any], n: int) -> float:
    """ns per request of ``n`` requests through ``app`` (scope copied per request)."""
    copy = scope.copy

    async def block() -> None:
        for _ in range(n):
            await app(copy(), receive, send)

    coroutine = block()
    t0 = thread_time_ns()
    finish(coroutine)
    return (thread_time_ns() - t0) / n


def answer(app: ASGIApp, scope: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """One request: (status, headers as text, body), recorded in the results for honesty."""
    sent: list[Message] = []

    async def record(message: Message) -> None:
        sent.append(message)

    finish(app(scope.copy(), receive, record))
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in start.get("headers", ())]
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return int(start["status"]), headers, body


def retained_bytes(app: ASGIApp, scope: dict[str, Any], n: int) -> float:
    """Bytes still held per request after ``n`` requests were made (tracemalloc running)."""
    time_block(app, scope, 200)  # warm-up: lazy imports, caches, freelists
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    time_block(app, scope, n)
    gc.collect()
    return (tracemalloc.get_traced_memory()[0] - before) / n


def memory(n: int) -> list[dict[str, Any]]:
    """Per request kind (3 exact origins): bytes retained per request by every variant."""
    policy = POLICY_BY_KEY["exact3"]
    apps = variants(policy)
    rows = []
    tracemalloc.start()
    try:
        for kind in KINDS:
            scope = make_scope(kind.method, kind.headers(policy))
            row: dict[str, Any] = {"framework": "asgi", "kind": kind.key, "requests": n}
            for name, app in apps.items():
                row[f"retained_{name}"] = retained_bytes(app, scope, n)
            rows.append(row)
    finally:
        tracemalloc.stop()
    return rows


def run(rounds: int, block_ms: float, policies: list[str] | None, kinds: list[str] | None) -> dict[str, Any]:
    """Paired timing of every variant for every (policy, kind), then the memory rows."""
    out: dict[str, Any] = {"framework": "asgi", "python": platform.python_version(), "results": []}
    missing = compat_missing()
    if missing is not None:
        out["compat_skipped"] = missing
        print(f"SKIPPED compat: {missing}", file=sys.stderr, flush=True)
    out["results"] = paired_rows(
        "asgi",
        variants,
        lambda kind, policy: make_scope(kind.method, kind.headers(policy)),
        lambda apps, scope: {name: answer(app, scope)[:2] for name, app in apps.items()},
        rounds,
        block_ms,
        policies,
        kinds,
        time_block,
    )
    out["memory"] = memory(500 if rounds < 7 else 2000)
    from .asgi_flood import measure as flood

    print("asgi: the flood of new origins (memory)", file=sys.stderr, flush=True)
    out["flood_memory"] = flood()
    return out
