"""Memory: bytes a request allocates (peak above the bare app's), bytes retained after
the response is closed, and the size of a policy of 10,000 origins (tracemalloc)."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from typing import Any

from .common import KINDS, POLICIES, POLICY_BY_KEY, WSGIApp, start_response


def _request(app: WSGIApp, environ: dict[str, Any]) -> None:
    body = app(environ, start_response)
    for _chunk in body:
        pass
    close = getattr(body, "close", None)
    if close is not None:
        close()


def peak_bytes(app: WSGIApp, template: dict[str, Any], samples: int = 50) -> int:
    """Most bytes held at once during one request, above what was held before it (median)."""
    values = []
    for _ in range(samples):
        environ = template.copy()
        gc.collect()
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        _request(app, environ)
        values.append(tracemalloc.get_traced_memory()[1] - before)
    values.sort()
    return values[len(values) // 2]


def retained_bytes(app: WSGIApp, template: dict[str, Any], n: int = 2000) -> float:
    """Bytes still held per request after ``n`` requests were made and closed."""
    for _ in range(200):  # warm-up: lazy imports, caches, freelists
        _request(app, template.copy())
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(n):
        _request(app, template.copy())
    gc.collect()
    return (tracemalloc.get_traced_memory()[0] - before) / n


def measure(factories: dict[str, Callable[[Any], dict[str, WSGIApp]]], quick: bool = False) -> dict[str, Any]:
    """Per framework, per kind (3 exact origins): peak bytes of bare and ours, retained bytes of ours."""
    out: dict[str, Any] = {"requests": [], "policy_size": {}}
    policy = POLICY_BY_KEY["exact3"]
    tracemalloc.start()
    try:
        for framework, build in factories.items():
            try:
                apps = build(policy)
            except Exception as exc:
                out["requests"].append({"framework": framework, "skipped": str(exc)})
                continue
            for kind in KINDS:
                environ = kind.environ(policy)
                row: dict[str, Any] = {"framework": framework, "kind": kind.key}
                for name in ("bare", "ours"):
                    for _ in range(100):
                        _request(apps[name], environ.copy())
                    row[f"peak_{name}"] = peak_bytes(apps[name], environ, 20 if quick else 50)
                row["retained_ours"] = retained_bytes(apps["ours"], environ, 500 if quick else 2000)
                row["retained_bare"] = retained_bytes(apps["bare"], environ, 500 if quick else 2000)
                out["requests"].append(row)
        out["policy_size"] = policy_sizes()
    finally:
        tracemalloc.stop()
    return out


def policy_sizes() -> dict[str, Any]:
    """Bytes held by ours and by wsgicors 0.7 for each exact-origin policy (the origin
    strings given by the user are built before measuring and not counted)."""
    from wsgicors import Policy

    from .peers import load_wsgicors07, wsgicors07_options
    from .wsgi_apps import hello

    sizes: dict[str, Any] = {}
    peer = load_wsgicors07()
    for spec in POLICIES:
        if not spec.exact:
            continue
        options = spec.ours()
        peer_options, _ = wsgicors07_options(spec)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        policy = Policy(**options)
        gc.collect()
        ours = tracemalloc.get_traced_memory()[0] - before
        before = tracemalloc.get_traced_memory()[0]
        middleware = peer.CORS(hello, **peer_options)
        gc.collect()
        theirs = tracemalloc.get_traced_memory()[0] - before
        sizes[spec.key] = {"origins": len(spec.exact), "ours": ours, "wsgicors07": theirs}
        del policy, middleware
    return sizes
