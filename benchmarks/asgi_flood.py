"""The flood through the ASGI doors: every request from a never-seen origin, and the memory it leaves.

The door keeps one encoded answer per decision (``asgi_ext.wire``'s table,
bounded as the engine's memo is), so a stream of new allowed origins makes new
decisions and new encoded answers: both must stay bounded. Bytes held
(tracemalloc) after each of ``flood.CHECKPOINTS`` requests, for the native door
(wildcard and regex policies) and the compat layer (Starlette's arguments: a
regex for both), allowed and denied origins, as ``benchmarks/flood.py`` does
for the WSGI door.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from .asgi_apps import ASGIApp, variants
from .asgi_driver import finish, make_scope, receive, send
from .common import POLICY_BY_KEY
from .flood import FLOOD_KINDS, FLOOD_POLICIES, held_after_checkpoints


def _run(app: ASGIApp, template: str, counter: Iterator[int], n: int) -> None:
    scopes = [make_scope("GET", {"Origin": template.format(next(counter))}) for _ in range(n)]

    async def block() -> None:
        for scope in scopes:
            await app(scope, receive, send)

    finish(block())


def held_after(app: ASGIApp, template: str) -> dict[str, int]:
    """Bytes held (tracemalloc) after each checkpoint of a flood through ``app``."""
    counter = itertools.count(10**7)
    return held_after_checkpoints(lambda step: _run(app, template, counter, step))


def measure() -> list[dict[str, Any]]:
    """One row per (policy, kind, variant): ``held_after`` by checkpoint."""
    rows = []
    for key in FLOOD_POLICIES:
        for kind, (_label, template) in FLOOD_KINDS.items():
            apps = variants(POLICY_BY_KEY[key])
            for variant in ("ours", "compat"):
                if variant in apps:
                    held = held_after(apps[variant], template)
                    rows.append({"policy": key, "kind": kind, "variant": variant, "held_after": held})
    return rows
