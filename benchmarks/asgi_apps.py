"""The ASGI variants: a raw hello app bare, two floors, our door, our compat layer, Starlette's CORSMiddleware.

Every variant gets the same policy as far as it allows (benchmarks/common.py).
Starlette has no wildcard origin: for the wildcard policy it (and our compat
layer, which takes Starlette's arguments) gets ``allow_origin_regex`` with the
wildcard's meaning, :data:`WILDCARD_AS_REGEX`. Starlette full-matches it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from .common import ALLOW_HEADERS, BODY, EXPOSE_HEADERS, MAX_AGE, METHODS, REGEX, PolicySpec

Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[dict[str, Any], Receive, Send], Awaitable[None]]

#: ``https://*.example.com`` (any subdomain, at any depth) as the regex Starlette full-matches.
WILDCARD_AS_REGEX = r"https://([a-z0-9-]+\.)+example\.com"
_HEADERS = ((b"content-type", b"text/plain"), (b"content-length", b"%d" % len(BODY)))
_VARY = (b"vary", b"Origin")


async def hello(scope: dict[str, Any], receive: Receive, send: Send) -> None:
    """The bare app: one start message (status, two headers in a new list), one body message."""
    await send({"type": "http.response.start", "status": 200, "headers": list(_HEADERS)})
    await send({"type": "http.response.body", "body": BODY})


class PassThrough:
    """Floor 1: a middleware that only awaits the app (one layer's cost)."""

    __slots__ = ("app",)

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


class OneHeader:
    """Floor 2: adds one header at ``http.response.start`` through a send wrapper, in a new
    message with a new header list (the least a middleware that touches the response costs
    when it leaves the app's message alone, as the door does)."""

    __slots__ = ("app",)

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        async def wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message["headers"], _VARY]}
            await send(message)

        await self.app(scope, receive, wrapper)


def starlette_options(policy: PolicySpec) -> dict[str, Any]:
    """Starlette's ``CORSMiddleware`` arguments for ``policy`` (also our compat layer's)."""
    options: dict[str, Any] = {
        "allow_methods": list(METHODS),
        "allow_headers": list(ALLOW_HEADERS),
        "expose_headers": list(EXPOSE_HEADERS),
        "max_age": MAX_AGE,
    }
    if policy.exact:
        options["allow_origins"] = list(policy.exact)
    elif policy.wildcard:
        options["allow_origin_regex"] = WILDCARD_AS_REGEX
    else:
        options["allow_origin_regex"] = REGEX
    return options


def compat_missing() -> str | None:
    """Why ``asgi_ext.compat.CORSMiddleware`` cannot be measured (not importable yet), or None."""
    try:
        from asgi_ext.compat import CORSMiddleware  # noqa: F401
    except ImportError as exc:
        return f"asgi_ext.compat.CORSMiddleware cannot be imported: {exc}"
    return None


def variants(policy: PolicySpec) -> dict[str, ASGIApp]:
    """Name -> ASGI app, in the order the report lists them (``compat`` only when it exists)."""
    from starlette.middleware.cors import CORSMiddleware as StarletteCORS

    from asgi_ext import CORSMiddleware
    from wsgicors import Policy

    apps: dict[str, ASGIApp] = {
        "bare": hello,
        "pass_through": PassThrough(hello),
        "one_header": OneHeader(hello),
        "ours": CORSMiddleware(hello, policy=Policy(**policy.ours())),
    }
    if compat_missing() is None:
        from asgi_ext.compat import CORSMiddleware as Compat

        apps["compat"] = Compat(hello, **starlette_options(policy))
    apps["starlette"] = StarletteCORS(hello, **starlette_options(policy))
    return apps
