"""ASGI apps for the doctor's ``--app`` tests: raw ASGI 3 callables and a Starlette app.

``strict`` allows only https://app.example, with credentials (a hand-written CORS layer: the
doctor must not lean on any door of this project); ``starlette_app`` is Starlette's own
CORSMiddleware; the rest misbehave on purpose.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

ORIGIN = "https://app.example"
#: What the lifespan apps saw: "startup", "shutdown" (read by the tests).
EVENTS: list[str] = []


def _header(scope: Scope, name: bytes) -> bytes | None:
    return next((value for key, value in scope["headers"] if key == name), None)


async def _lifespan(receive: Receive, send: Send, scope: Scope) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            scope["state"]["greeting"] = "hello from the lifespan"
            EVENTS.append("startup")
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            EVENTS.append("shutdown")
            await send({"type": "lifespan.shutdown.complete"})
            return


async def strict(scope: Scope, receive: Receive, send: Send) -> None:
    """Only https://app.example with credentials; PUT and Content-Type allowed; X-Request-Id exposed; the body
    streamed in two parts; the lifespan state's greeting in a header."""
    if scope["type"] == "lifespan":
        await _lifespan(receive, send, scope)
        return
    origin = _header(scope, b"origin")
    cors = [(b"access-control-allow-origin", origin), (b"access-control-allow-credentials", b"true")]
    cors = cors if origin == ORIGIN.encode() else []
    vary = [(b"vary", b"Origin")]
    if scope["method"] == "OPTIONS" and _header(scope, b"access-control-request-method") is not None:
        allow = [(b"access-control-allow-methods", b"GET, PUT"), (b"access-control-allow-headers", b"content-type")]
        await send({"type": "http.response.start", "status": 204, "headers": cors + (allow if cors else []) + vary})
        await send({"type": "http.response.body", "body": b""})
        return
    request = await receive()
    greeting = scope.get("state", {}).get("greeting", "no lifespan").encode()
    headers = [(b"content-type", b"application/json"), (b"x-request-id", b"42"), (b"x-greeting", greeting)]
    exposed = [(b"access-control-expose-headers", b"X-Request-Id, X-Greeting")] if cors else []
    await send({"type": "http.response.start", "status": 200, "headers": headers + cors + exposed + vary})
    await send({"type": "http.response.body", "body": b'{"hello":', "more_body": True})
    await send({"type": "http.response.body", "body": b'"world","got":%d}' % len(request["body"])})


def _greet(request: Request) -> JSONResponse:
    if request.url.path == "/raise":
        raise RuntimeError("boom")
    return JSONResponse({"hello": "world"}, headers={"X-Request-Id": "42"})


#: Starlette with its own CORSMiddleware: https://app.example, GET and PUT, Content-Type.
starlette_app = Starlette(
    routes=[Route("/data", _greet, methods=["GET", "PUT"]), Route("/raise", _greet)],
    middleware=[
        Middleware(CORSMiddleware, allow_origins=[ORIGIN], allow_methods=["GET", "PUT"],
                   allow_headers=["content-type"], allow_credentials=True, expose_headers=["X-Request-Id"])
    ],
)  # fmt: skip


async def raises(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "http":
        raise RuntimeError("boom in the app")


async def returns_without_answering(scope: Scope, receive: Receive, send: Send) -> None:
    return None


async def raises_in_the_body(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"access-control-allow-origin", b"*")]})
    await send({"type": "http.response.body", "body": b"part", "more_body": True})
    raise RuntimeError("boom in the body")


async def never_answers(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "http":
        await asyncio.Event().wait()


async def endless_body(scope: Scope, receive: Receive, send: Send) -> None:
    """A stream that never ends: the doctor keeps MAX_BODY and stops listening."""
    await send({"type": "http.response.start", "status": 200, "headers": [(b"access-control-allow-origin", b"*")]})
    block = b"x" * 65536
    while True:
        await send({"type": "http.response.body", "body": block, "more_body": True})


def _answer(status: Any, headers: Any) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"ok"})

    return app


ACAO = (b"access-control-allow-origin", b"*")
superscript_status = _answer("2\u00b20", [ACAO])
str_status = _answer("200", [ACAO])
bool_status = _answer(True, [ACAO])
str_header_names = _answer(200, [("access-control-allow-origin", "*")])
header_with_newline = _answer(200, [ACAO, (b"x-a", b"a\r\nInjected: 1")])
headers_not_pairs = _answer(200, [(b"a", b"b", b"c")])


async def lifespan_fails(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await receive()
        await send({"type": "lifespan.startup.failed", "message": "no database"})
        return
    await strict(scope, receive, send)


class SyncCallReturningCoroutine:
    """ASGI by its three parameters, though its __call__ is not a coroutine function (a wrapper's habit)."""

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        return strict(scope, receive, send)


sync_wrapper = SyncCallReturningCoroutine()


async def lifespan_hangs(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await receive()
        await asyncio.Event().wait()  # never completes the startup
    await strict(scope, receive, send)
