"""An app that raises: an allowed request still answers CORS (a 500 the page can read), then the error goes on."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from asgi_ext import CORSMiddleware

from .asgi import EVIL, A, http_scope, run


class Boom(Exception):
    pass


async def raising(scope: Any, receive: Any, send: Any) -> None:
    raise Boom("the app failed")


def call(door: Any, method: str = "GET", **headers: str) -> list[Any]:
    sent: list[Any] = []
    pairs = [(k.replace("_", "-"), v) for k, v in headers.items()]

    async def app(scope: Any, receive: Any, send: Any) -> None:
        async def record(message: Any) -> None:
            sent.append(message)

        await door(scope, receive, record)

    with pytest.raises(Boom):
        run(app, http_scope(method, "/", pairs))
    return sent


def test_allowed_origin_gets_a_500_with_the_cors_headers_then_the_exception_goes_on() -> None:
    sent = call(CORSMiddleware(raising, origins=[A], credentials=True), origin=A)
    assert sent[0] == {
        "type": "http.response.start",
        "status": 500,
        "headers": [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", b"21"),
            (b"access-control-allow-origin", A.encode()),
            (b"access-control-allow-credentials", b"true"),
            (b"vary", b"Origin"),
        ],
    }
    assert sent[1] == {"type": "http.response.body", "body": b"Internal Server Error"}


def test_star_policy_500_carries_star() -> None:
    sent = call(CORSMiddleware(raising), origin=EVIL)
    assert (b"access-control-allow-origin", b"*") in sent[0]["headers"]


def test_star_exposed_with_credentials_500() -> None:
    sent = call(CORSMiddleware(raising, origins=[A], credentials=True, exposed_headers="*"), origin=A)
    assert (b"access-control-expose-headers", b"content-length, content-type") in sent[0]["headers"]


@pytest.mark.parametrize("headers", [{"origin": EVIL}, {}, {"origin": ""}])
def test_denied_or_not_cors_gets_the_servers_500_as_under_the_wsgi_door(headers: dict[str, str]) -> None:
    assert call(CORSMiddleware(raising, origins=[A]), **headers) == []


def test_preflight_continue_passes_the_apps_failure_on_with_the_headers() -> None:
    sent = call(
        CORSMiddleware(raising, origins=[A], preflight_continue=True),
        "OPTIONS",
        origin=A,
        access_control_request_method="PUT",
    )
    assert sent[0]["status"] == 500
    assert (b"access-control-allow-origin", A.encode()) in sent[0]["headers"]


def test_raising_after_the_response_started_sends_nothing_more() -> None:
    async def late(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise Boom("mid-body")

    sent = call(CORSMiddleware(late, origins=[A]), origin=A)
    assert [m["type"] for m in sent] == ["http.response.start"]
    assert sent[0]["status"] == 200


def failing_starlette(**options: Any) -> Starlette:
    def fail(request: Request) -> PlainTextResponse:
        raise Boom("the view failed")

    return Starlette(routes=[Route("/", fail)], middleware=[Middleware(CORSMiddleware, **options)])


def test_starlette_with_add_middleware_shows_the_500_to_an_allowed_page() -> None:
    client = TestClient(failing_starlette(origins=[A]), raise_server_exceptions=False)
    allowed = client.get("/", headers={"Origin": A})
    assert allowed.status_code == 500 and allowed.text == "Internal Server Error"
    assert allowed.headers["access-control-allow-origin"] == A
    denied = client.get("/", headers={"Origin": EVIL})
    assert denied.status_code == 500 and "access-control-allow-origin" not in denied.headers
    with pytest.raises(Boom):
        TestClient(failing_starlette(origins=[A])).get("/", headers={"Origin": A})


def test_wrapping_the_whole_starlette_app_keeps_its_own_error_page() -> None:
    def fail(request: Request) -> PlainTextResponse:
        raise Boom("the view failed")

    async def handler(request: Request, exc: Exception) -> PlainTextResponse:
        return PlainTextResponse("custom error page", status_code=500)

    inner = Starlette(routes=[Route("/", fail)], exception_handlers={Exception: handler})
    client = TestClient(CORSMiddleware(inner, origins=[A]), raise_server_exceptions=False)
    response = client.get("/", headers={"Origin": A})
    assert response.status_code == 500 and response.text == "custom error page"
    assert response.headers["access-control-allow-origin"] == A
