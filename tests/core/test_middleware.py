"""The WSGI middleware, PEP 3333 to the letter, under wsgiref.validate on both sides."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from wsgicors import CORSConfigError, CORSMiddleware, Policy

from .wsgi import Recorder, call, environ_for, wrap

A = "https://app.example.com"
EVIL = "https://evil.example.org"


def preflight_environ(origin: str = A, method: str = "PUT", **extra: str) -> dict[str, Any]:
    return environ_for("OPTIONS", "/", origin=origin, access_control_request_method=method, **extra)


def test_preflight_is_answered_without_the_app() -> None:
    app = Recorder()
    response = call(wrap(app, origins=[A], headers=["X-Token"]), preflight_environ())
    assert app.seen == []
    assert response.status == "200 OK"
    assert response.headers == [
        ("Access-Control-Allow-Origin", A),
        ("Access-Control-Allow-Methods", "GET, HEAD, PUT, PATCH, POST, DELETE, OPTIONS, TRACE, CONNECT"),
        ("Access-Control-Allow-Headers", "X-Token"),
        ("Content-Type", "text/plain"),
        ("Content-Length", "0"),
        ("Vary", "Origin"),
    ]
    assert response.body == b""


def test_preflight_204_has_neither_content_type_nor_length() -> None:
    app = Recorder()
    response = call(wrap(app, origins=[A], headers=["X-Token"], preflight_status=204), preflight_environ())
    assert response.status == "204 No Content"
    assert response.get("Content-Type") is None and response.get("Content-Length") is None
    assert response.get("Access-Control-Allow-Origin") == A


def test_denied_preflight_is_answered_without_the_app_and_without_cors_headers() -> None:
    app = Recorder()
    response = call(wrap(app, origins=[A], headers=["X-Token"]), preflight_environ(origin=EVIL))
    assert app.seen == []
    assert response.status == "200 OK"
    assert response.cors() == {}
    assert response.get("Vary") == "Origin"


@pytest.mark.parametrize(
    "status",
    ["200 OK", "201 Created", "302 Found", "401 Unauthorized", "404 Not Found", "500 Internal Server Error"],
)
def test_every_status_of_an_allowed_request_gets_the_headers(status: str) -> None:
    app = Recorder(status=status)
    response = call(wrap(app, origins=[A], credentials=True), environ_for(origin=A))
    assert response.status == status
    assert response.cors() == {"Access-Control-Allow-Origin": A, "Access-Control-Allow-Credentials": "true"}
    assert response.get("Vary") == "Origin"
    assert response.body == b"hello"
    assert len(app.seen) == 1


def test_app_cors_headers_are_replaced_never_doubled() -> None:
    app = Recorder(
        headers=[
            ("Content-Type", "text/plain"),
            ("access-control-allow-origin", "*"),
            ("ACCESS-CONTROL-ALLOW-ORIGIN", "https://other.example"),
            ("Access-Control-Allow-Credentials", "false"),
            ("X-Own", "kept"),
        ]
    )
    response = call(wrap(app, origins=[A], credentials=True), environ_for(origin=A))
    assert response.all("Access-Control-Allow-Origin") == [A]
    assert response.all("Access-Control-Allow-Credentials") == ["true"]
    assert response.get("X-Own") == "kept"


@pytest.mark.parametrize(
    ("app_vary", "expected"),
    [
        ([], ["Origin"]),
        (["Accept-Encoding"], ["Accept-Encoding, Origin"]),
        (["accept-encoding, origin"], ["accept-encoding, origin"]),
        (["Cookie", "Accept-Language"], ["Cookie, Accept-Language, Origin"]),
        (["*"], ["*"]),
        (["Cookie, Cookie"], ["Cookie, Origin"]),
    ],
)
def test_vary_is_merged(app_vary: list[str], expected: list[str]) -> None:
    app = Recorder(headers=[("Content-Type", "text/plain")] + [("Vary", v) for v in app_vary])
    for environ in (environ_for(origin=A), environ_for(origin=EVIL), environ_for()):
        response = call(wrap(app, origins=[A]), environ)
        assert response.all("Vary") == expected


def test_star_policy_adds_no_vary_and_answers_star() -> None:
    app = Recorder()
    for environ in (environ_for(origin=A), environ_for()):
        response = call(wrap(app), environ)
        assert response.get("Access-Control-Allow-Origin") == "*"
        assert response.get("Vary") is None


def test_denied_actual_request_gets_only_vary_and_reaches_the_app() -> None:
    app = Recorder()
    response = call(wrap(app, origins=[A]), environ_for(origin=EVIL))
    assert response.cors() == {}
    assert response.get("Vary") == "Origin"
    assert len(app.seen) == 1


def test_expose_star_with_credentials_lists_the_response_header_names() -> None:
    app = Recorder(headers=[("Content-Type", "text/plain"), ("X-Total", "3"), ("x-page", "1")])
    response = call(wrap(app, origins=[A], credentials=True, exposed_headers="*"), environ_for(origin=A))
    assert response.get("Access-Control-Expose-Headers") == "content-type, x-page, x-total"


def test_unmatched_route_is_untouched() -> None:
    app = Recorder(headers=[("Content-Type", "text/plain"), ("Vary", "Cookie")])
    wrapped = wrap(app, origins=[A], routes=[{"paths": ["/api"]}])
    response = call(wrapped, environ_for(path="/static/x", origin=A))
    assert response.headers == [("Content-Type", "text/plain"), ("Vary", "Cookie")]
    preflight = call(wrapped, dict(preflight_environ(), PATH_INFO="/static/x"))
    assert len(app.seen) == 2  # the preflight went to the app too
    assert preflight.cors() == {}


def test_preflight_continue_lets_the_app_answer_and_adds_headers_once() -> None:
    app = Recorder(
        status="204 No Content",
        headers=[("Access-Control-Allow-Origin", A), ("Allow", "GET, PUT, OPTIONS")],
        body=[],
    )
    response = call(wrap(app, origins=[A], preflight_continue=True, headers=["X-A"]), preflight_environ())
    assert len(app.seen) == 1 and app.seen[0]["REQUEST_METHOD"] == "OPTIONS"
    assert response.status == "204 No Content"
    assert response.all("Access-Control-Allow-Origin") == [A]
    assert response.get("Access-Control-Allow-Headers") == "X-A"
    assert response.get("Allow") == "GET, PUT, OPTIONS"
    assert response.get("Content-Length") is None


def test_body_streams_untouched_and_close_is_called() -> None:
    events: list[str] = []

    class Body:
        def __iter__(self) -> Iterator[bytes]:
            events.append("iter")
            yield b"a"
            events.append("second chunk")
            yield b"b"

        def close(self) -> None:
            events.append("close")

    body = Body()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Body:
        start_response("200 OK", [("Content-Type", "text/plain")])
        events.append("started")
        return body

    middleware = CORSMiddleware(app, origins=[A])
    started: list[Any] = []
    result = middleware(environ_for(origin=A), lambda s, h, e=None: started.append((s, h)))
    assert result is body  # the app's own iterable: nothing buffered or wrapped
    assert events == ["started"]
    assert ("Access-Control-Allow-Origin", A) in started[0][1]
    assert b"".join(result) == b"ab"
    result.close()
    assert events == ["started", "iter", "second chunk", "close"]
    response = call(wrap(app, origins=[A]), environ_for(origin=A))  # and under the validator
    assert response.body == b"ab"


def test_file_wrapper_is_preserved() -> None:
    class FileWrapper:
        def __init__(self, filelike: io.BytesIO, block_size: int = 8192) -> None:
            self.filelike = filelike

        def __iter__(self) -> Iterator[bytes]:
            yield self.filelike.read()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return environ["wsgi.file_wrapper"](io.BytesIO(b"data"))

    environ = environ_for(origin=A)
    environ["wsgi.file_wrapper"] = FileWrapper
    result = CORSMiddleware(app, origins=[A])(environ, lambda s, h, e=None: None)
    assert isinstance(result, FileWrapper)


def test_exc_info_error_page_gets_the_headers() -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        try:
            raise ValueError("boom")
        except ValueError:
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")], sys.exc_info())
        return [b"error"]

    response = call(wrap(app, origins=[A]), environ_for(origin=A))
    assert response.status == "500 Internal Server Error"
    assert response.calls == 2
    assert response.get("Access-Control-Allow-Origin") == A
    assert response.get("Vary") == "Origin"


def test_exc_info_after_headers_were_sent_re_raises() -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield b"partial"
        try:
            raise ValueError("late")
        except ValueError:
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")], sys.exc_info())
        yield b"never"

    sent: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        if exc_info is not None and sent:
            raise exc_info[1].with_traceback(exc_info[2])
        sent.append(status)
        return lambda data: None

    result = CORSMiddleware(app, origins=[A])(environ_for(origin=A), start_response)
    iterator = iter(result)
    assert next(iterator) == b"partial"
    with pytest.raises(ValueError, match="late"):
        next(iterator)


def test_app_exceptions_propagate() -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        raise KeyError("app bug")

    with pytest.raises(KeyError, match="app bug"):
        call(wrap(app, origins=[A]), environ_for(origin=A))


def test_policy_or_options_not_both() -> None:
    with pytest.raises(CORSConfigError, match="not both"):
        CORSMiddleware(Recorder(), policy=Policy(), origins=[A])
    with pytest.raises(CORSConfigError, match=r"wsgicors\.Policy"):
        CORSMiddleware(Recorder(), policy={"origins": [A]})  # type: ignore[arg-type]


def test_one_policy_serves_several_middlewares() -> None:
    policy = Policy(origins=[A])
    first, second = Recorder(), Recorder(status="404 Not Found")
    assert call(wrap(first, policy=policy), environ_for(origin=A)).get("Access-Control-Allow-Origin") == A
    response = call(wrap(second, policy=policy), environ_for(origin=A))
    assert response.status == "404 Not Found"
    assert response.get("Access-Control-Allow-Origin") == A
