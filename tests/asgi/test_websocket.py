"""Websocket handshakes: the Origin check before the app sees the handshake; lifespan untouched."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.testclient import TestClient, WebSocketDenialResponse
from starlette.websockets import WebSocket, WebSocketDisconnect

from asgi_ext import CORSMiddleware

from .asgi import EVIL, A, http_scope, run

HOST = "api.example.com"
CONNECT = {"type": "websocket.connect"}


class EchoSocket:
    """A raw websocket app: accepts, then records that it ran."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.seen.append(scope)
        assert (await receive())["type"] == "websocket.connect"
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": 1000})


def handshake(door: Any, origin: str | None, host: str = HOST, path: str = "/ws", **extra: Any) -> list[Any]:
    headers = [("host", host)] + ([("origin", origin)] if origin is not None else [])
    sent = run(door, http_scope(path=path, headers=headers, scope_type="websocket", **extra), [CONNECT])
    return sent.messages


def test_allowed_origin_reaches_the_app() -> None:
    app = EchoSocket()
    assert handshake(CORSMiddleware(app, origins=[A]), A)[0] == {"type": "websocket.accept"}
    assert len(app.seen) == 1


def test_handshake_without_origin_passes() -> None:
    app = EchoSocket()
    assert handshake(CORSMiddleware(app, origins=[A]), None)[0]["type"] == "websocket.accept"
    assert len(app.seen) == 1


@pytest.mark.parametrize(
    ("origin", "host"),
    [
        (f"http://{HOST}", HOST),
        (f"https://{HOST}", HOST),
        (f"http://{HOST}:8000", f"{HOST}:8000"),
        (f"https://{HOST}", f"{HOST}:443"),
        ("http://API.Example.com", HOST),
    ],
)
def test_same_origin_passes_whatever_the_policy(origin: str, host: str) -> None:
    app = EchoSocket()
    assert handshake(CORSMiddleware(app, origins=[A]), origin, host)[0]["type"] == "websocket.accept"


@pytest.mark.parametrize(
    ("origin", "host"),
    [
        (EVIL, HOST),
        (f"http://{HOST}:8001", f"{HOST}:8000"),
        (f"https://{HOST}", f"{HOST}:80"),
        (f"http://{HOST}.evil.org", HOST),
        ("null", HOST),
        (f"{A},{A}", HOST),
    ],
)
def test_foreign_origin_is_refused_with_a_close_before_the_app(origin: str, host: str) -> None:
    app = EchoSocket()
    assert handshake(CORSMiddleware(app, origins=[A]), origin, host) == [{"type": "websocket.close", "code": 1008}]
    assert app.seen == []


def test_refused_with_a_403_where_the_server_offers_websocket_http_response() -> None:
    app = EchoSocket()
    messages = handshake(CORSMiddleware(app, origins=[A]), EVIL, extensions={"websocket.http.response": {}})
    assert messages[0]["type"] == "websocket.http.response.start" and messages[0]["status"] == 403
    assert messages[1] == {"type": "websocket.http.response.body", "body": b"Cross-origin websocket refused"}
    assert app.seen == []


def test_refusal_is_logged_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="wsgicors"):
        handshake(CORSMiddleware(EchoSocket(), origins=[A]), "https://evil\n.example.org")
    assert "websocket handshake refused" in caplog.text and "\\n" in caplog.text


def test_check_off_hands_every_handshake_to_the_app() -> None:
    app = EchoSocket()
    door = CORSMiddleware(app, origins=[A], check_websocket_origin=False)
    assert handshake(door, EVIL)[0]["type"] == "websocket.accept"


def test_a_star_policy_allows_every_origin() -> None:
    assert handshake(CORSMiddleware(EchoSocket()), EVIL)[0]["type"] == "websocket.accept"


def test_routes_decide_by_the_sockets_path() -> None:
    door = CORSMiddleware(EchoSocket(), origins=[A], routes=[{"paths": ["/ws"], "origins": [EVIL]}])
    assert handshake(door, EVIL, path="/ws")[0]["type"] == "websocket.accept"
    assert handshake(door, A, path="/ws")[0]["type"] == "websocket.close"
    # A path no route covers: the policy allows no origin there, so only the server's own passes.
    assert handshake(door, A, path="/other")[0]["type"] == "websocket.close"
    assert handshake(door, f"http://{HOST}", path="/other")[0]["type"] == "websocket.accept"


def test_a_client_gone_before_connect_is_not_answered() -> None:
    app = EchoSocket()
    scope = http_scope(path="/ws", headers=[("host", HOST), ("origin", EVIL)], scope_type="websocket")
    sent = run(CORSMiddleware(app, origins=[A]), scope, [{"type": "websocket.disconnect", "code": 1001}])
    assert sent.messages == [] and app.seen == []


def starlette_app() -> Starlette:
    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("hello " + (await websocket.receive_text()))
        await websocket.close()

    return Starlette(routes=[WebSocketRoute("/ws", echo)])


def test_through_starlettes_test_client() -> None:
    client = TestClient(CORSMiddleware(starlette_app(), origins=[A]), base_url=f"http://{HOST}")
    with client.websocket_connect("/ws", headers={"Origin": A}) as socket:
        socket.send_text("a")
        assert socket.receive_text() == "hello a"
    with client.websocket_connect("/ws") as socket:
        socket.send_text("no origin")
        assert socket.receive_text() == "hello no origin"
    with pytest.raises(WebSocketDenialResponse) as denied:
        with client.websocket_connect("/ws", headers={"Origin": EVIL}):
            pass  # pragma: no cover
    assert denied.value.status_code == 403 and denied.value.text == "Cross-origin websocket refused"


def test_through_starlettes_test_client_without_the_extension() -> None:
    app = starlette_app()

    async def without_extension(scope: Any, receive: Any, send: Any) -> None:
        await door({**scope, "extensions": {}}, receive, send)

    door = CORSMiddleware(app, origins=[A])
    client = TestClient(without_extension, base_url=f"http://{HOST}")
    with pytest.raises(WebSocketDisconnect) as closed:
        with client.websocket_connect("/ws", headers={"Origin": EVIL}):
            pass  # pragma: no cover
    assert closed.value.code == 1008
