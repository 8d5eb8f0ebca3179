"""``--app`` with an ASGI app (issue 18.5): detected, driven in-process with the standard library, and the
same verdicts as the same app served by uvicorn on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn
from flask import Flask

from wsgicors._version import banner
from wsgicors.doctor import PageRequest, diagnose, parse_origin, parse_url
from wsgicors.doctor.asgi import AsgiTransport
from wsgicors.doctor.asgi_protocol import is_asgi, make_scope
from wsgicors.doctor.outcome import Outcome
from wsgicors.doctor.transport import MAX_BODY, NetworkTransport

from . import asgi_apps, sample_app
from .util import run_cli, run_cli_json

URL = "https://api.example/data"
ORIGIN = "https://app.example"


def app_args(name: str) -> list[str]:
    return ["--app", f"tests.doctor.asgi_apps:{name}"]


async def _async_function(scope: Any, receive: Any, send: Any) -> None:
    return None


class _AsyncCall:
    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        return None


class _TwoParameters:
    def __call__(self, environ: Any, start_response: Any) -> Any:
        return []


def test_detection_rule() -> None:
    from django.core.handlers.asgi import ASGIHandler
    from django.core.handlers.wsgi import WSGIHandler

    assert is_asgi(_async_function)
    assert is_asgi(_AsyncCall())
    assert is_asgi(asgi_apps.starlette_app)  # async def __call__(self, scope, receive, send)
    assert is_asgi(asgi_apps.sync_wrapper)  # three positional parameters
    assert is_asgi(ASGIHandler())
    assert not is_asgi(WSGIHandler())
    assert not is_asgi(Flask(__name__))
    assert not is_asgi(sample_app.strict)  # wsgiref.validate's lint_app(*args, **kw)
    assert not is_asgi(sample_app.views)
    assert not is_asgi(_TwoParameters())
    assert not is_asgi(_AsyncCall)  # a class: WSGI's iterable-class pattern
    assert not is_asgi("not callable")


def test_the_http_scope() -> None:
    url = parse_url("https://api.example:8443/a%20b/caf%C3%A9?q=1&r=%20")
    scope = make_scope("PUT", url, [("Origin", ORIGIN), ("X-Custom", "caf\xe9")], b"{}")
    assert scope == {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "PUT",
        "scheme": "https",
        "path": "/a b/caf\xe9",
        "raw_path": b"/a%20b/caf%C3%A9",
        "query_string": b"q=1&r=%20",
        "root_path": "",
        "headers": [(b"host", b"api.example:8443"), (b"origin", ORIGIN.encode()), (b"x-custom", b"caf\xe9"),
                    (b"content-length", b"2")],
        "server": ("api.example", 8443),
        "client": ("127.0.0.1", 49152),
        "extensions": {},
    }  # fmt: skip


def test_raw_asgi_app_allowed_preflight_streamed_body_and_lifespan_state() -> None:
    asgi_apps.EVENTS.clear()
    code, doc = run_cli_json([URL, "--origin", ORIGIN, "-X", "PUT", "-H", "Content-Type: application/json",
                              "--data", "{}", "--credentials", "include", *app_args("strict")])  # fmt: skip
    assert code == 0, doc
    assert [(s["kind"], s["method"], s["status"]) for s in doc["steps"]] == [("preflight", "OPTIONS", 204),
                                                                            ("actual", "PUT", 200)]  # fmt: skip
    assert doc["readable_headers"] == {"content-type": "application/json", "x-request-id": "42",
                                       "x-greeting": "hello from the lifespan"}  # fmt: skip
    assert asgi_apps.EVENTS == ["startup", "shutdown"]  # once for the run, as a server does


def test_raw_asgi_app_denied_origin_is_blocked() -> None:
    code, doc = run_cli_json([URL, "--origin", "https://evil.example", "-X", "PUT", *app_args("strict")])
    assert code == 1
    assert doc["error"]["id"] == "PreflightMissingAllowOriginHeader"


def test_the_body_as_sent_and_capped() -> None:
    transport = AsgiTransport(asgi_apps.strict)
    try:
        response = transport.send("POST", parse_url(URL), [("Origin", ORIGIN)], b"abc")
        assert (response.status, response.reason, response.body) == (200, "OK", b'{"hello":"world","got":3}')
    finally:
        transport.close()
    transport = AsgiTransport(asgi_apps.endless_body, timeout=30)
    try:
        response = transport.send("GET", parse_url(URL), [("Origin", ORIGIN)], None)
        assert len(response.body) == MAX_BODY
    finally:
        transport.close()


def test_starlette_app_with_its_cors_middleware() -> None:
    code, doc = run_cli_json([URL, "--origin", ORIGIN, "-X", "PUT", "-H", "Content-Type: application/json",
                              "--data", "{}", *app_args("starlette_app")])  # fmt: skip
    assert code == 0, doc
    assert doc["readable_headers"]["x-request-id"] == "42"
    code, doc = run_cli_json([URL, "--origin", ORIGIN, "-X", "DELETE", *app_args("starlette_app")])
    assert code == 1
    assert doc["steps"][0]["status"] == 400  # Starlette's own answer to a method it does not allow
    assert doc["error"]["id"] == "PreflightInvalidStatus"


def test_an_app_that_raises_gets_the_servers_500_and_a_finding() -> None:
    code, doc = run_cli_json([URL, "--origin", ORIGIN, *app_args("raises")])
    assert code == 1
    assert doc["steps"][0]["status"] == 500
    assert doc["error"]["id"] == "MissingAllowOriginHeader"
    raised = [f["detail"] for f in doc["findings"] if f["id"] == "app-raised"]
    assert raised == ["the app raised RuntimeError: boom in the app; the server answers its own 500"]
    code, doc = run_cli_json(["https://api.example/raise", "--origin", ORIGIN, *app_args("starlette_app")])
    assert code == 1 and doc["steps"][0]["status"] == 500


@pytest.mark.parametrize(
    ("name", "net_error", "why"),
    [("superscript_status", "ERR_INVALID_HTTP_RESPONSE", "sent the status '2\u00b20', not an int from 100 to 999"),
     ("str_status", "ERR_INVALID_HTTP_RESPONSE", "sent the status '200', not an int"),
     ("bool_status", "ERR_INVALID_HTTP_RESPONSE", "sent the status True, not an int"),
     ("str_header_names", "ERR_INVALID_HTTP_RESPONSE", "not a [name, value] pair of byte strings"),
     ("headers_not_pairs", "ERR_INVALID_HTTP_RESPONSE", "not a [name, value] pair of byte strings"),
     ("header_with_newline", "ERR_INVALID_HTTP_RESPONSE", "which cannot be sent"),
     ("raises_in_the_body", "ERR_CONNECTION_CLOSED", "the app raised RuntimeError: boom in the body before the end"),
     ("lifespan_fails", "ERR_CONNECTION_REFUSED", "the app's lifespan lifespan.startup failed: 'no database'")],
)  # fmt: skip
def test_a_malformed_asgi_answer_is_a_transport_error(name: str, net_error: str, why: str) -> None:
    code, out, err = run_cli([URL, "--origin", ORIGIN, "--json", *app_args(name)])
    assert (code, err) == (3, banner("cors-doctor") + "\n")  # no traceback
    assert f'"console": "GET {URL} net::{net_error}"' in out
    assert why.encode("ascii", "backslashreplace").decode().replace("\\x", "\\u00") in out


def test_an_app_that_never_answers_runs_into_the_timeout_then_the_deadline() -> None:
    code, doc = run_cli_json([URL, "--origin", ORIGIN, "--timeout", "0.3", *app_args("never_answers")])
    assert code == 3
    assert "the app did not answer within 0.3 s" in doc["error"]["why"]
    code, doc = run_cli_json([URL, "--origin", ORIGIN, "--timeout", "5", "--deadline", "0.3",
                              *app_args("never_answers")])  # fmt: skip
    assert code == 3
    assert "--deadline of 0.3 s for the whole run" in doc["error"]["why"]
    assert f"ran out during the actual request GET {URL}" in doc["error"]["why"]


def test_an_app_that_returns_without_answering_gets_the_servers_500() -> None:
    code, doc = run_cli_json([URL, "--origin", ORIGIN, *app_args("returns_without_answering")])
    assert code == 1 and doc["steps"][0]["status"] == 500
    assert "the app returned without answering; the server answers its own 500" in [f["detail"] for f in
                                                                                      doc["findings"]]  # fmt: skip


def test_the_interface_can_be_forced() -> None:
    # A WSGI call of an ASGI app fails as it would under a WSGI server: its own 500.
    code, doc = run_cli_json([URL, "--origin", ORIGIN, "--app-interface", "wsgi", *app_args("strict")])
    assert code == 1 and doc["steps"][0]["status"] == 500
    assert any("TypeError" in f["detail"] for f in doc["findings"] if f["id"] == "app-raised")
    code, doc = run_cli_json([URL, "--origin", ORIGIN, "--app-interface", "asgi", *app_args("sync_wrapper")])
    assert code == 0
    code, _, err = run_cli([URL, "--origin", ORIGIN, "--app-interface", "rsgi", *app_args("strict")])
    assert code == 2 and "invalid choice: 'rsgi'" in err


# In process and over uvicorn: the same verdicts.

SERVER_HEADERS = frozenset({"date", "server", "content-length", "transfer-encoding"})


@contextmanager
def uvicorn_serving(app: Any) -> Iterator[int]:
    config = uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="auto", log_level="critical")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(500):  # a guard: 10 s at most
            if server.started:
                break
            threading.Event().wait(0.02)
        assert server.started
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def summary(outcome: Outcome) -> dict[str, Any]:
    blocked = outcome.blocked
    return {
        "verdict": outcome.verdict,
        "error": blocked.id if blocked else None,
        "steps": [(s.kind, s.method, s.status, s.result) for s in outcome.steps],
        "readable": {k: v for k, v in outcome.readable.items() if k not in SERVER_HEADERS},
        # app-raised: only in-process sees the exception; answered-by: uvicorn names itself in Server.
        "findings": sorted(f.id for f in outcome.findings if f.id not in ("app-raised", "answered-by")),
    }


CASES = [
    ("GET", [], "same-origin", ORIGIN, "/data"),
    ("PUT", [("Content-Type", "application/json")], "include", ORIGIN, "/data"),
    ("PUT", [("X-Other", "1")], "omit", ORIGIN, "/data"),
    ("DELETE", [], "omit", ORIGIN, "/data"),
    ("GET", [], "include", "https://evil.example", "/data"),
    ("PUT", [], "omit", "https://evil.example", "/data"),
    ("GET", [], "omit", ORIGIN, "/raise"),
]


@pytest.mark.server
@pytest.mark.parametrize("name", ["strict", "starlette_app", "raises"])
def test_in_process_agrees_with_uvicorn(name: str) -> None:
    app = getattr(asgi_apps, name)
    with uvicorn_serving(app) as port:
        for method, headers, credentials, origin, path in CASES:
            request = PageRequest(parse_url(f"http://127.0.0.1:{port}{path}"), parse_origin(origin), method,
                                  list(headers), b"{}" if method == "PUT" else None, credentials)  # fmt: skip
            network = summary(diagnose(request, NetworkTransport(timeout=10)))
            transport = AsgiTransport(app, timeout=10)
            try:
                in_process = summary(diagnose(request, transport))
            finally:
                transport.close()
            assert in_process == network, (method, headers, credentials, origin, path)


def test_django_under_asgi_in_process_with_the_engines_reason() -> None:
    """Django's ASGIHandler (detected by its async __call__; it refuses the lifespan, which is then skipped),
    with the project's Django door inside: the doctor shows the engine's DEBUG record, as under WSGI."""
    factory = ["--app", "django.core.asgi:get_asgi_application()"]
    code, doc = run_cli_json(["https://testserver/ok/", "--origin", ORIGIN, "--credentials", "include", *factory])
    assert code == 0, doc
    assert doc["steps"][0]["status"] == 200
    code, doc = run_cli_json(["https://testserver/ok/", "--origin", "https://evil.example", "-X", "PUT", *factory])
    assert code == 1
    assert doc["error"]["id"] == "PreflightMissingAllowOriginHeader"
    assert any("origin not allowed" in message for message in doc["steps"][0]["engine"]), doc["steps"][0]


def test_a_wsgi_app_forced_through_asgi_gets_the_servers_500() -> None:
    """Called as ASGI, a WSGI function raises a TypeError at once (and refuses the lifespan the same way)."""
    code, doc = run_cli_json([URL, "--origin", ORIGIN, "--app-interface", "asgi", "--app",
                              "tests.doctor.sample_app:views"])  # fmt: skip
    assert code == 1 and doc["steps"][0]["status"] == 500
    assert any("TypeError" in f["detail"] for f in doc["findings"] if f["id"] == "app-raised")


def test_a_lifespan_startup_that_never_completes_is_a_timeout() -> None:
    code, doc = run_cli_json([URL, "--origin", ORIGIN, "--timeout", "0.3", *app_args("lifespan_hangs")])
    assert code == 3
    assert "the app's lifespan startup did not finish within 0.3 s" in doc["error"]["why"]
    code, doc = run_cli_json([URL, "--origin", ORIGIN, "--deadline", "0.3", *app_args("lifespan_hangs")])
    assert code == 3
    assert "--deadline of 0.3 s for the whole run" in doc["error"]["why"]
