"""The flood: every request from a new origin (wildcard and regex policies), and its memory.

What the bounded memo of pure decisions must survive: a stream of distinct
origins never hits it, so each request pays the uncached path plus one insert
(and, every ``MEMO_SIZE`` requests, one clear). Measured against the same
policy with its memo switched off (today's uncached path), the bare app and
wsgicors 0.7 (whose ``lru_cache`` a flood defeats too), in paired rounds of
CPU time like the other in-process figures; then the memory held while the
flood goes on (tracemalloc), which must stay flat once the memo is full.
"""

from __future__ import annotations

import gc
import itertools
import tracemalloc
from collections.abc import Callable, Iterator
from time import thread_time_ns
from typing import Any

from wsgicors import CORSMiddleware, Policy
from wsgicors.engine import compile_decide
from wsgicors.memo import MEMO_SIZE

from .common import POLICY_BY_KEY, PairedResult, PolicySpec, WSGIApp, make_environ, start_response
from .peers import wsgicors07_app
from .wsgi_apps import hello

FLOOD_POLICIES = ("wildcard", "regex")
FLOOD_KINDS = {
    "flood_allowed": ("GET, allowed, a new origin each time", "https://f{}.example.com"),
    "flood_denied": ("GET, denied, a new origin each time", "https://f{}.example.org"),
}
#: Requests after which the memory held is recorded.
CHECKPOINTS = (MEMO_SIZE, 10_000, 50_000, 100_000)


def uncached(policy: Policy) -> Policy:
    """``policy`` with its memo switched off: the path every request took before the memo."""
    object.__setattr__(policy.answers, "actual_memo", None)
    object.__setattr__(policy.answers, "preflight_memo", None)
    object.__setattr__(policy, "decide", compile_decide(policy))
    return policy


def variants(spec: PolicySpec) -> dict[str, WSGIApp]:
    return {
        "bare": hello,
        "ours": CORSMiddleware(hello, policy=Policy(**spec.ours())),
        "ours_uncached": CORSMiddleware(hello, policy=uncached(Policy(**spec.ours()))),
        "wsgicors07": wsgicors07_app(hello, spec),
    }


def _environs(template: str, counter: Iterator[int], n: int) -> list[dict[str, Any]]:
    return [make_environ("GET", {"Origin": template.format(next(counter))}) for _ in range(n)]


def _block(app: WSGIApp, environs: list[dict[str, Any]]) -> float:
    sr = start_response
    t0 = thread_time_ns()
    for environ in environs:
        body = app(environ, sr)
        for _chunk in body:
            pass
        close = getattr(body, "close", None)
        if close is not None:
            close()
    return (thread_time_ns() - t0) / len(environs)


def timing(spec: PolicySpec, template: str, rounds: int, n: int) -> PairedResult:
    """Paired rounds; every variant sees its own never-seen origins (same shape and length)."""
    apps = variants(spec)
    names = list(apps)
    counters = {name: itertools.count(10**6) for name in names}
    result = PairedResult(names, n=n)
    for name in names:  # warm-up, and the memo full: the flood's steady state
        _block(apps[name], _environs(template, counters[name], 2 * MEMO_SIZE))
    for index in range(rounds):
        order = names if index % 2 == 0 else names[::-1]
        row: dict[str, float] = {}
        for name in order:
            environs = _environs(template, counters[name], n)
            gc.collect()
            gc.disable()
            try:
                row[name] = _block(apps[name], environs)
            finally:
                gc.enable()
        result.rounds.append(row)
    return result


def held_after_checkpoints(more: Callable[[int], object]) -> dict[str, int]:
    """Bytes held (tracemalloc) after each of ``CHECKPOINTS`` requests, ``more(k)`` making ``k`` more
    (at most 1000 at a time); shared by this flood and the ASGI doors' (``asgi_flood``)."""
    held: dict[str, int] = {}
    done = 0
    gc.collect()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        for checkpoint in CHECKPOINTS:
            while done < checkpoint:
                step = min(1000, checkpoint - done)
                more(step)
                done += step
            gc.collect()
            held[str(checkpoint)] = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    return held


def memory(spec: PolicySpec, template: str) -> dict[str, Any]:
    """Bytes held (tracemalloc) after each checkpoint of a flood through ours."""
    app = CORSMiddleware(hello, policy=Policy(**spec.ours()))
    counter = itertools.count(10**7)
    held = held_after_checkpoints(lambda step: _block(app, _environs(template, counter, step)))
    return {"held_after": held, "memo_size": MEMO_SIZE}


def measure(rounds: int, n: int = 2000) -> dict[str, Any]:
    out: dict[str, Any] = {"results": [], "memory": []}
    for key in FLOOD_POLICIES:
        spec = POLICY_BY_KEY[key]
        for kind, (_label, template) in FLOOD_KINDS.items():
            result = timing(spec, template, rounds, n)
            out["results"].append({"policy": key, "kind": kind, **result.to_json()})
            out["memory"].append({"policy": key, "kind": kind, **memory(spec, template)})
    return out
