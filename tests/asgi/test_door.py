"""The ASGI door on raw ASGI apps: every request kind, messages and header lists as the server gets them."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from asgi_ext import CORSMiddleware
from wsgicors import CORSConfigError, Policy

from .asgi import EVIL, A, Recorder, http_scope, request, run

ALL_METHODS = "GET, HEAD, PUT, PATCH, POST, DELETE, OPTIONS, TRACE, CONNECT"


def test_preflight_is_answered_without_the_app() -> None:
    app = Recorder()
    sent = request(
        CORSMiddleware(app, origins=[A], headers=["X-Token"]), "OPTIONS", origin=A, access_control_request_method="PUT"
    )
    assert app.seen == []
    assert sent.status == 200
    assert sent.headers == [
        ("access-control-allow-origin", A),
        ("access-control-allow-methods", ALL_METHODS),
        ("access-control-allow-headers", "X-Token"),
        ("content-type", "text/plain"),
        ("content-length", "0"),
        ("vary", "Origin"),
    ]
    assert sent.body == b""
    assert [m["type"] for m in sent.messages] == ["http.response.start", "http.response.body"]


def test_preflight_answers_are_new_lists_each_time() -> None:
    door = CORSMiddleware(Recorder(), origins=[A])
    first = request(door, "OPTIONS", origin=A, access_control_request_method="PUT")
    first.start["headers"].append((b"x-outer", b"mutated by an outer middleware"))
    second = request(door, "OPTIONS", origin=A, access_control_request_method="PUT")
    assert second.get("x-outer") is None


def test_preflight_204_has_neither_content_type_nor_length() -> None:
    sent = request(
        CORSMiddleware(Recorder(), origins=[A], preflight_status=204),
        "OPTIONS",
        origin=A,
        access_control_request_method="PUT",
    )
    assert sent.status == 204
    assert sent.get("content-type") is None and sent.get("content-length") is None
    assert sent.get("access-control-allow-origin") == A


def test_denied_preflight_is_answered_without_the_app_and_without_cors_headers() -> None:
    app = Recorder()
    sent = request(
        CORSMiddleware(app, origins=[A], headers=["X-Token"]),
        "OPTIONS",
        origin=EVIL,
        access_control_request_method="PUT",
    )
    assert app.seen == []
    assert sent.status == 200
    assert sent.cors() == {}
    assert sent.get("vary") == "Origin"


def test_preflight_continue_hands_the_preflight_to_the_app() -> None:
    app = Recorder(status=204, headers=[])
    sent = request(
        CORSMiddleware(app, origins=[A], preflight_continue=True),
        "OPTIONS",
        origin=A,
        access_control_request_method="PUT",
    )
    assert len(app.seen) == 1 and app.seen[0]["method"] == "OPTIONS"
    assert sent.status == 204
    assert sent.get("access-control-allow-origin") == A
    assert sent.get("access-control-allow-methods") == ALL_METHODS


def test_allowed_get_gets_headers_in_a_new_message_and_list() -> None:
    app = Recorder()
    sent = request(CORSMiddleware(app, origins=[A], credentials=True, exposed_headers=["X-Total"]), origin=A)
    assert sent.status == 200
    assert sent.headers == [
        ("content-type", "text/plain"),
        ("access-control-allow-origin", A),
        ("access-control-allow-credentials", "true"),
        ("access-control-expose-headers", "X-Total"),
        ("vary", "Origin"),
    ]
    assert sent.start is not app.starts[0]
    assert sent.start["headers"] is not app.headers
    assert app.headers == [(b"content-type", b"text/plain")]
    assert sent.body == b"hello"


@pytest.mark.parametrize("status", [200, 201, 302, 401, 404, 500])
def test_every_status_of_an_allowed_request_carries_the_headers(status: int) -> None:
    sent = request(CORSMiddleware(Recorder(status=status), origins=[A]), origin=A)
    assert sent.status == status
    assert sent.get("access-control-allow-origin") == A


def test_denied_get_reaches_the_app_and_gets_only_vary() -> None:
    app = Recorder()
    sent = request(CORSMiddleware(app, origins=[A]), origin=EVIL)
    assert len(app.seen) == 1
    assert sent.cors() == {}
    assert sent.get("vary") == "Origin"


def test_get_without_origin() -> None:
    star = request(CORSMiddleware(Recorder()))
    assert star.get("access-control-allow-origin") == "*" and star.get("vary") is None
    listed = request(CORSMiddleware(Recorder(), origins=[A]))
    assert listed.cors() == {} and listed.get("vary") == "Origin"


def test_star_without_origin_and_allow_origin_absent_false_passes_the_app_start_as_is() -> None:
    app = Recorder()
    sent = request(CORSMiddleware(app, origins=["*"], allow_origin_absent=False), origin="")
    assert sent.cors() == {} and sent.get("vary") == "Origin"


def test_message_without_headers_key() -> None:
    async def bare(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 204})
        await send({"type": "http.response.body"})

    sent = request(CORSMiddleware(bare, origins=[A]), origin=A)
    assert sent.headers == [("access-control-allow-origin", A), ("vary", "Origin")]


def test_streaming_body_messages_pass_through_as_the_same_objects() -> None:
    bodies: list[dict[str, Any]] = []

    async def streaming(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/event-stream")]})
        for index in range(5):
            message = {"type": "http.response.body", "body": b"data: %d\n\n" % index, "more_body": True}
            bodies.append(message)
            await send(message)
        bodies.append({"type": "http.response.body", "body": b"", "more_body": False})
        await send(bodies[-1])

    sent = request(CORSMiddleware(streaming, origins=[A]), origin=A)
    assert sent.get("access-control-allow-origin") == A
    assert sent.messages[1:] == bodies
    assert all(got is mine for got, mine in zip(sent.messages[1:], bodies, strict=True))
    assert sent.body == b"".join(b"data: %d\n\n" % i for i in range(5))


def test_request_body_reaches_the_app_untouched() -> None:
    received: list[dict[str, Any]] = []

    async def echo(scope: Any, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            received.append(message)
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"".join(m["body"] for m in received)})

    chunks = [{"type": "http.request", "body": b"ab", "more_body": True}, {"type": "http.request", "body": b"cd"}]
    sent = run(CORSMiddleware(echo, origins=[A]), http_scope("POST", "/", [("origin", A)]), chunks)
    assert sent.body == b"abcd" and received == chunks


def test_a_reused_header_list_is_never_modified() -> None:
    shared = [(b"content-type", b"text/plain"), (b"vary", b"Accept-Encoding")]
    app = Recorder(headers=shared)
    door = CORSMiddleware(app, origins=[A])
    for _ in range(3):
        sent = request(door, origin=A)
        assert sent.all("vary") == ["Accept-Encoding, Origin"]
        assert sent.all("access-control-allow-origin") == [A]
    assert shared == [(b"content-type", b"text/plain"), (b"vary", b"Accept-Encoding")]


def test_the_apps_own_cors_headers_are_removed_on_governed_requests() -> None:
    own = [(b"access-control-allow-origin", b"*"), (b"access-control-max-age", b"9"), (b"x-kept", b"1")]
    door = CORSMiddleware(Recorder(headers=own), origins=[A])
    denied = request(door, origin=EVIL)
    assert denied.cors() == {} and denied.get("x-kept") == "1" and denied.get("vary") == "Origin"
    allowed = request(door, origin=A)
    assert allowed.cors() == {"access-control-allow-origin": A}


def test_vary_star_is_left_alone() -> None:
    sent = request(CORSMiddleware(Recorder(headers=[(b"vary", b"*")]), origins=[A]), origin=A)
    assert sent.all("vary") == ["*"]


def test_star_exposed_with_credentials_lists_the_responses_own_names() -> None:
    app = Recorder(headers=[(b"content-type", b"text/plain"), (b"x-total", b"3")])
    sent = request(CORSMiddleware(app, origins=[A], credentials=True, exposed_headers="*"), origin=A)
    assert sent.get("access-control-expose-headers") == "content-type, x-total"


def test_headers_given_as_a_tuple_of_lists() -> None:
    async def tuple_app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": ([b"vary", b"Cookie"],)})
        await send({"type": "http.response.body", "body": b""})

    sent = request(CORSMiddleware(tuple_app, origins=[A]), origin=A)
    assert sent.get("vary") == "Cookie, Origin"


def test_trailers_flag_is_kept() -> None:
    async def trailing(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [], "trailers": True})
        await send({"type": "http.response.body", "body": b""})

    sent = request(CORSMiddleware(trailing, origins=[A]), origin=A)
    assert sent.start["trailers"] is True


@pytest.mark.parametrize("origin", [f"{A},{A}", f"{A}, https://b.example.com"])
def test_a_repeated_origin_header_is_not_one_origin(origin: str) -> None:
    first, _, second = origin.partition(",")
    scope = http_scope("GET", "/", [("origin", first), ("origin", second.strip())])
    sent = run(CORSMiddleware(Recorder(), origins=[A, "https://b.example.com"], credentials=True), scope)
    assert sent.cors() == {} and sent.get("vary") == "Origin"
    preflight = http_scope("OPTIONS", "/", [("origin", A), ("origin", A), ("access-control-request-method", "PUT")])
    assert run(CORSMiddleware(Recorder(), origins=[A]), preflight).cors() == {}


def test_empty_origin_counts_as_absent() -> None:
    sent = request(CORSMiddleware(Recorder(), origins=[A]), origin="")
    assert sent.cors() == {} and sent.get("vary") == "Origin"


def test_routes_work_on_the_path_the_app_sees() -> None:
    app = Recorder()
    door = CORSMiddleware(app, origins=[A], routes=[{"paths": ["/api"]}])
    covered = run(door, http_scope("GET", "/api/items", [("origin", A)], root_path="/mount"))
    assert covered.get("access-control-allow-origin") == A
    assert app.seen[-1]["path"] == "/mount/api/items"  # the scope goes on unchanged
    other = run(door, http_scope("GET", "/mount/api", [("origin", A)], root_path="/x"))
    assert other.cors() == {} and other.get("vary") is None  # '/mount/api' is not under '/api'
    root = run(door, http_scope("GET", "/api", [("origin", A)]))
    assert root.get("access-control-allow-origin") == A


def test_routes_by_host_read_the_host_header() -> None:
    door = CORSMiddleware(Recorder(), origins=[A], routes=[{"paths": ["/"], "hosts": ["api.example.com"]}])
    hit = run(door, http_scope("GET", "/", [("host", "api.example.com"), ("origin", A)]))
    miss = run(door, http_scope("GET", "/", [("host", "www.example.com"), ("origin", A)]))
    assert hit.get("access-control-allow-origin") == A and miss.cors() == {}


def test_a_callable_origin_check_sees_the_whole_request() -> None:
    seen: list[dict[str, Any]] = []

    def check(origin: str, environ: dict[str, Any]) -> bool:
        seen.append(environ)
        return environ.get("HTTP_X_TENANT") == "acme"

    door = CORSMiddleware(Recorder(), origins=[check])
    scope = http_scope("GET", "/p", [("origin", A), ("x-tenant", "acme"), ("cookie", "s=1")], query_string=b"q=1")
    assert run(door, scope).get("access-control-allow-origin") == A
    environ = seen[0]
    assert environ["HTTP_COOKIE"] == "s=1" and environ["QUERY_STRING"] == "q=1" and environ["PATH_INFO"] == "/p"
    assert environ["asgi.scope"] is scope
    assert run(door, http_scope("GET", "/", [("origin", A)])).cors() == {}


@pytest.mark.parametrize("scope_type", ["lifespan", "something.new"])
def test_other_scopes_pass_through_untouched(scope_type: str) -> None:
    got: list[tuple[Any, Any, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        got.append((scope, receive, send))

    async def receive() -> dict[str, Any]:
        return {"type": "lifespan.startup"}

    async def send(message: dict[str, Any]) -> None:
        raise AssertionError("nothing is sent by the door")

    scope = {"type": scope_type, "asgi": {"version": "3.0"}}
    asyncio.run(CORSMiddleware(app, origins=[A])(scope, receive, send))
    assert got == [(scope, receive, send)]
    assert scope == {"type": scope_type, "asgi": {"version": "3.0"}}


def test_policy_or_options_not_both() -> None:
    with pytest.raises(CORSConfigError, match="either policy= or options"):
        CORSMiddleware(Recorder(), policy=Policy(), origins=[A])
    with pytest.raises(CORSConfigError, match=r"must be a wsgicors\.Policy"):
        CORSMiddleware(Recorder(), policy={"origins": [A]})  # type: ignore[arg-type]
    with pytest.raises(CORSConfigError, match="check_websocket_origin"):
        CORSMiddleware(Recorder(), check_websocket_origin="no")  # type: ignore[arg-type]
    with pytest.raises(CORSConfigError, match="'origins'"):
        CORSMiddleware(Recorder(), origins=["*"], credentials=True)


def test_a_shared_policy_object() -> None:
    policy = Policy(origins=[A])
    door = CORSMiddleware(Recorder(), policy=policy)
    assert door.policy is policy
    assert request(door, origin=A).get("access-control-allow-origin") == A


@pytest.mark.parametrize("origins", [["https://*.flood.example.com"], [lambda origin, environ: True]])
def test_a_flood_of_new_origins_leaves_the_encoded_answers_bounded(origins: list[Any]) -> None:
    door = CORSMiddleware(Recorder(), origins=origins)
    for index in range(3000):
        origin = f"https://o{index}.flood.example.com"
        assert request(door, origin=origin).get("access-control-allow-origin") == origin
    assert 0 < len(door._wires) <= 1024


def test_headers_given_as_a_generator_are_read_once() -> None:
    async def generating(scope: Any, receive: Any, send: Any) -> None:
        pairs = ((name, value) for name, value in [(b"content-type", b"text/plain"), (b"x-a", b"1")])
        await send({"type": "http.response.start", "status": 200, "headers": pairs})
        await send({"type": "http.response.body", "body": b""})

    sent = request(CORSMiddleware(generating, origins=[A]), origin=A)
    assert sent.headers == [
        ("content-type", "text/plain"),
        ("x-a", "1"),
        ("access-control-allow-origin", A),
        ("vary", "Origin"),
    ]


def test_ready_answers_are_encoded_at_start_up_and_bounded() -> None:
    door = CORSMiddleware(Recorder(), origins=[A], headers=["X-Token"])
    answers = door.policy.answers
    assert answers.actual_by_origin[A] in door._wires and answers.preflight_by_origin[A] in door._wires
    assert answers.denied in door._wires and answers.no_origin in door._wires
    many = CORSMiddleware(Recorder(), origins=[f"https://o{i}.example.com" for i in range(10_000)])
    assert len(many._wires) == 512
    assert request(many, origin="https://o9999.example.com").get("access-control-allow-origin") == (
        "https://o9999.example.com"
    )
