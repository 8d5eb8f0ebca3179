"""The browser suite's app as a raw ASGI app, behind the ASGI door, served by uvicorn on 127.0.0.1.

``asgi_views`` answers exactly what ``apps._wsgi_views`` answers (see
``scenarios.py``'s docstring); ``error_layer`` is what an ASGI framework does
inside the CORS door (exceptions become 500 responses). ``Recorder`` is the
outermost layer, as in ``servers.py``: what reached uvicorn and what it answered.
``serving`` starts uvicorn on an ephemeral port and stops it (``tests/asgi/server.py``).
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from tests.asgi.server import serve

from .apps import APP_HEADERS, COOKIE, DATA_PATHS, ERROR_BODY, REFUSING_PATH, AppError, Seen, cookie_body
from .scenarios import Fetch, Received, Scenario, data_body
from .servers import RECORDED_REQUEST_HEADERS, Exchange

__all__ = ["ASGIApp", "Recorder", "asgi_views", "build_asgi", "error_layer", "raising_scenario", "serving"]

Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[dict[str, Any], Receive, Send], Awaitable[None]]
ASGIBuilder = Callable[[Mapping[str, Any], Seen], AbstractContextManager[ASGIApp]]

_RECORDED = frozenset(name.encode() for name in RECORDED_REQUEST_HEADERS)
SERVER_ERROR = b"Internal Server Error"


async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _header(scope: Mapping[str, Any], name: bytes) -> str | None:
    values = [value.decode("latin-1") for key, value in scope["headers"] if key == name]
    return ",".join(values) if values else None


def asgi_views(seen: Seen) -> ASGIApp:
    """The app of ``apps._wsgi_views``, in ASGI: the same statuses, headers and bodies."""

    async def app(scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        method: str = scope["method"]
        path: str = scope["path"]

        async def answer(status: int, headers: list[tuple[str, str]], body: str = "") -> None:
            data = body.encode()
            if status != 204:
                headers = [*headers, ("Content-Length", str(len(data)))]
            raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]
            await send({"type": "http.response.start", "status": status, "headers": raw})
            await send({"type": "http.response.body", "body": data})

        if path in DATA_PATHS or path == REFUSING_PATH:
            seen.append((method, path))
            if method == "OPTIONS":
                if path == REFUSING_PATH:
                    return await answer(403, [("Content-Type", "text/plain")], "no")
                return await answer(204, [("X-App-Options", "yes")])
            text = (await _body(receive)).decode()
            headers = [("Content-Type", "application/json"), *APP_HEADERS]
            return await answer(200, headers, data_body(method, path, text))
        if path in ("/cookie/set", "/cookie/echo") and method not in ("GET", "HEAD"):
            return await answer(405, [("Content-Type", "text/plain"), ("Allow", "GET, HEAD")])
        if path == "/cookie/set":
            seen.append((method, path))
            cookie = f"{COOKIE[0]}={COOKIE[1]}; Path=/; SameSite=Lax"
            return await answer(200, [("Content-Type", "application/json"), ("Set-Cookie", cookie)], '{"set":true}')
        if path == "/cookie/echo":
            seen.append((method, path))
            jar = SimpleCookie(_header(scope, b"cookie") or "")
            value = jar["sid"].value if "sid" in jar else None
            return await answer(200, [("Content-Type", "application/json")], cookie_body(value))
        if path == "/error-handled":
            seen.append((method, path))
            raise AppError("handled by the app's error handler")
        if path == "/raise":
            seen.append((method, path))
            raise RuntimeError("turned into a 500 by the framework, or by the door for a bare app")
        if path == "/redirect":
            seen.append((method, path))
            target = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("to", ["/"])[0]
            return await answer(302, [("Location", target), ("Content-Type", "text/plain")])
        return await answer(404, [("Content-Type", "text/plain")], "Not Found")

    return app


def error_layer(app: ASGIApp) -> ASGIApp:
    """What a framework does inside the CORS door: exceptions become 500 responses."""

    async def with_errors(scope: dict[str, Any], receive: Receive, send: Send) -> None:
        try:
            await app(scope, receive, send)
        except AppError:
            body = ERROR_BODY.encode()
            headers = [
                (b"content-type", b"application/json"),
                (b"x-error", b"handled"),
                (b"content-length", b"%d" % len(body)),
            ]
            await send({"type": "http.response.start", "status": 500, "headers": headers})
            await send({"type": "http.response.body", "body": body})
        except Exception:
            headers = [(b"content-type", b"text/plain"), (b"content-length", b"%d" % len(SERVER_ERROR))]
            await send({"type": "http.response.start", "status": 500, "headers": headers})
            await send({"type": "http.response.body", "body": SERVER_ERROR})

    return with_errors


@contextmanager
def build_asgi(options: Mapping[str, Any], seen: Seen) -> Iterator[ASGIApp]:
    """``asgi_ext.CORSMiddleware`` around the framework-like app (the WSGI door's counterpart)."""
    from asgi_ext import CORSMiddleware

    yield CORSMiddleware(error_layer(asgi_views(seen)), **options)


def bare_raising_asgi(options: Mapping[str, Any], seen: Seen) -> ASGIApp:
    """The ASGI door around an app whose exceptions reach the door and the server (no error layer)."""
    from asgi_ext import CORSMiddleware

    return CORSMiddleware(asgi_views(seen), **options)


def raising_scenario(page_key: str, allowed: bool) -> Scenario:
    """A bare app raises on /raise, then /data: from an allowed page (``page``) or a denied one."""
    page = f"<{page_key}>"
    first = (
        Fetch(path="/raise", status=500, body_is="Internal Server Error")
        if allowed
        else Fetch(path="/raise", ok=False, status=None)
    )
    return Scenario(
        f"asgi-bare-app-exception-{'allowed' if allowed else 'denied'}",
        {"origins": ["<page>"], "credentials": True},
        (first, Fetch(path="/data", body_is=data_body("GET", "/data"), ok=allowed, status=200 if allowed else None)),
        (
            Received(
                "GET",
                "/raise",
                page,
                500,
                response={
                    "access-control-allow-origin": page if allowed else None,
                    "access-control-allow-credentials": "true" if allowed else None,
                    # Allowed: the door's own 500. Denied: uvicorn's error page, as the WSGI door leaves it.
                    "vary": "Origin" if allowed else None,
                    "x-recorded": None if allowed else "server error page",
                },
            ),
            Received("GET", "/data", page, 200, response={"access-control-allow-origin": page if allowed else None}),
        ),
        (("GET", "/raise"), ("GET", "/data")),
        page=page_key,
    )


class Recorder:
    """Outermost ASGI layer: records what reached uvicorn, and the answer (``servers.Recorder``'s twin)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers: dict[str, str] = {}
        for name, value in scope["headers"]:
            if name in _RECORDED:
                key, text = name.decode("latin-1"), value.decode("latin-1")
                headers[key] = headers[key] + "," + text if key in headers else text
        exchange = Exchange(scope["method"], scope["path"], headers)
        with self._lock:
            self.exchanges.append(exchange)
        started = False

        async def recording_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                exchange.status = int(message["status"])
                exchange.response_headers = [
                    (name.decode("latin-1"), value.decode("latin-1")) for name, value in message.get("headers", ())
                ]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        except Exception:
            if not started:
                # uvicorn answers with its own error page (500, text/plain, no CORS header): record that.
                exchange.status = 500
                exchange.response_headers = [("content-type", "text/plain"), ("x-recorded", "server error page")]
            raise


@contextmanager
def serving(app: ASGIApp) -> Iterator[tuple[int, list[Exchange]]]:
    """``app`` (recorded) under uvicorn on 127.0.0.1, ephemeral port: yields (port, the exchanges)."""
    recorder = Recorder(app)
    with serve(recorder, lifespan="off") as host:
        yield int(host.rsplit(":", 1)[1]), recorder.exchanges
