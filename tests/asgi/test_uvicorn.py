"""The ASGI door served by a real uvicorn on 127.0.0.1: HTTP, streaming, a raising app, lifespan, websockets."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from asgi_ext import CORSMiddleware
from asgi_ext.compat import CORSMiddleware as Compat

from .asgi import EVIL, A
from .server import serve

pytestmark = pytest.mark.server

EVENTS = [b"data: %d\n\n" % i for i in range(5)]


class App:
    """A raw ASGI app: lifespan, a streaming (server-sent events) path, a failing path, a websocket echo."""

    def __init__(self) -> None:
        self.lifespan: list[str] = []
        self.sockets = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                self.lifespan.append(message["type"])
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] == "websocket":
            self.sockets += 1
            assert (await receive())["type"] == "websocket.connect"
            await send({"type": "websocket.accept"})
            message = await receive()
            await send({"type": "websocket.send", "text": "echo " + message["text"]})
            await send({"type": "websocket.close", "code": 1000})
            return
        if scope["path"] == "/fail":
            raise RuntimeError("the app failed")
        if scope["path"] == "/events":
            await send(
                {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/event-stream")]}
            )
            for event in EVENTS:
                await send({"type": "http.response.body", "body": event, "more_body": True})
                await asyncio.sleep(0)
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"hello"})


def test_http_through_uvicorn() -> None:
    app = App()
    with (
        serve(CORSMiddleware(app, origins=[A], credentials=True), lifespan="on") as host,
        httpx.Client(base_url=f"http://{host}") as client,
    ):
        preflight = client.options("/", headers={"Origin": A, "Access-Control-Request-Method": "PUT"})
        assert preflight.status_code == 200 and preflight.content == b""
        assert preflight.headers["access-control-allow-origin"] == A
        assert preflight.headers["access-control-allow-credentials"] == "true"
        allowed = client.get("/", headers={"Origin": A})
        assert allowed.text == "hello" and allowed.headers["access-control-allow-origin"] == A
        assert allowed.headers["vary"] == "Origin"
        denied = client.get("/", headers={"Origin": EVIL})
        assert "access-control-allow-origin" not in denied.headers and denied.headers["vary"] == "Origin"
        twice = client.get("/", headers=[("Origin", A), ("Origin", A)])
        assert "access-control-allow-origin" not in twice.headers
        with client.stream("GET", "/events", headers={"Origin": A}) as stream:
            assert stream.headers["access-control-allow-origin"] == A
            assert stream.headers["transfer-encoding"] == "chunked"
            assert b"".join(stream.iter_raw()) == b"".join(EVENTS)
        # uvicorn closes a connection whose app raised: the next request must not race that close.
        failed = client.get("/fail", headers={"Origin": A, "Connection": "close"})
        assert failed.status_code == 500 and failed.text == "Internal Server Error"
        assert failed.headers["access-control-allow-origin"] == A
        failed_denied = client.get("/fail", headers={"Origin": EVIL})
        assert failed_denied.status_code == 500 and "access-control-allow-origin" not in failed_denied.headers
    assert app.lifespan == ["lifespan.startup", "lifespan.shutdown"]


def test_websockets_through_uvicorn_with_a_real_client() -> None:
    app = App()
    with serve(CORSMiddleware(app, origins=[A])) as host:
        url = f"ws://{host}/ws"
        for origin in (A, f"http://{host}", None):
            with connect(url, origin=origin, open_timeout=10) as socket:  # type: ignore[arg-type]
                socket.send("hi")
                assert socket.recv(timeout=10) == "echo hi"
        with pytest.raises(InvalidStatus) as refused:
            connect(url, origin=EVIL, open_timeout=10)  # type: ignore[arg-type]
        assert refused.value.response.status_code == 403
        assert refused.value.response.body == b"Cross-origin websocket refused"
    assert app.sockets == 3


def test_websocket_refused_by_close_where_the_extension_is_not_offered() -> None:
    app = App()
    door = CORSMiddleware(app, origins=[A])

    async def no_extension(scope: Any, receive: Any, send: Any) -> None:
        await door({**scope, "extensions": {}} if scope["type"] == "websocket" else scope, receive, send)

    with serve(no_extension) as host:
        with pytest.raises(InvalidStatus) as refused:
            connect(f"ws://{host}/ws", origin=EVIL, open_timeout=10)  # type: ignore[arg-type]
        assert refused.value.response.status_code == 403
        with connect(f"ws://{host}/ws", origin=A, open_timeout=10) as socket:  # type: ignore[arg-type]
            socket.send("x")
            assert socket.recv(timeout=10) == "echo x"
    assert app.sockets == 1


def test_websocket_check_off_through_uvicorn() -> None:
    app = App()
    with serve(CORSMiddleware(app, origins=[A], check_websocket_origin=False)) as host:
        with connect(f"ws://{host}/ws", origin=EVIL, open_timeout=10) as socket:  # type: ignore[arg-type]
            socket.send("x")
            assert socket.recv(timeout=10) == "echo x"


def test_routes_on_the_path_the_app_sees_under_a_root_path() -> None:
    app = App()
    door = CORSMiddleware(app, origins=[A], routes=[{"paths": ["/api"]}])
    with serve(door, root_path="/mount") as host, httpx.Client(base_url=f"http://{host}") as client:
        covered = client.get("/api/items", headers={"Origin": A})
        assert covered.headers["access-control-allow-origin"] == A
        other = client.get("/other", headers={"Origin": A})
        assert "access-control-allow-origin" not in other.headers and "vary" not in other.headers


def test_the_compat_layer_through_uvicorn() -> None:
    door = Compat(App(), allow_origins=[A], allow_headers=["X-Token"])
    with serve(door) as host, httpx.Client(base_url=f"http://{host}") as client:
        ok = client.options("/", headers={"Origin": A, "Access-Control-Request-Method": "GET"})
        assert (ok.status_code, ok.text) == (200, "OK")
        assert ok.headers["access-control-allow-headers"] == (
            "Accept, Accept-Language, Content-Language, Content-Type, X-Token"
        )
        refused = client.options("/", headers={"Origin": EVIL, "Access-Control-Request-Method": "PUT"})
        assert (refused.status_code, refused.text) == (400, "Disallowed CORS origin, method")
        allowed = client.get("/", headers={"Origin": A})
        assert allowed.headers["access-control-allow-origin"] == A and allowed.headers["vary"] == "Origin"
        # uvicorn closes a connection whose app raised: the next request must not race that close.
        failed = client.get("/fail", headers={"Origin": A, "Connection": "close"})
        assert failed.status_code == 500 and failed.headers["access-control-allow-origin"] == A
        with pytest.raises(InvalidStatus):
            connect(f"ws://{host}/ws", origin=EVIL, open_timeout=10)  # type: ignore[arg-type]
