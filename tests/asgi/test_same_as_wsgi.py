"""One request matrix through the WSGI door and the ASGI door: identical status and headers.

The WSGI side runs under ``wsgiref.validate``; the ASGI side is reached through
``httpx.ASGITransport`` (a real client building the scope and reading the
messages). Header names are compared in lower case (ASGI's spelling), values
and order exactly.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from typing import Any
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import httpx
import pytest

import wsgicors
from asgi_ext import CORSMiddleware

from .asgi import EVIL, A, B

HOST = "api.example.com"
SUB = "https://sub.app.example.com"


def _allow_a(origin: str, environ: Any) -> bool:
    return origin == A and environ.get("HTTP_HOST") == HOST


POLICIES: dict[str, dict[str, Any]] = {
    "defaults": {},
    "one origin": {"origins": [A]},
    "listed, credentials, everything set": {
        "origins": [A, B],
        "credentials": True,
        "exposed_headers": ["X-Total"],
        "max_age": 600,
        "headers": ["X-Token", "Content-Type"],
        "methods": ["GET", "PUT"],
    },
    "wildcard subdomain": {"origins": ["https://*.app.example.com"], "credentials": True},
    "regex": {"origins": [re.compile(r"https://[a-z]+\.app\.example\.com")], "headers": ["X-Token"]},
    "star, no origin-absent": {"origins": ["*"], "allow_origin_absent": False},
    "star lists with credentials": {
        "origins": [A],
        "credentials": True,
        "exposed_headers": "*",
        "headers": "*",
        "methods": "*",
    },
    "private network": {"origins": [A], "private_network": True},
    "204 preflights": {"origins": [A], "preflight_status": 204},
    "preflight continue": {"origins": [A], "preflight_continue": True},
    "routes": {
        "origins": [A],
        "routes": [
            {"paths": ["/api"], "credentials": True},
            {"paths": ["~/v[0-9]+/.*"], "origins": [B]},
            {"paths": ["/"], "hosts": ["other.example.com"], "origins": "*"},
        ],
    },
    "callable": {"origins": [_allow_a]},
}

PRE = {"access-control-request-method": "PUT"}
REQUESTS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("GET", "/", []),
    ("GET", "/", [("origin", A)]),
    ("GET", "/", [("origin", EVIL)]),
    ("GET", "/", [("origin", "")]),
    ("GET", "/", [("origin", "null")]),
    ("GET", "/", [("origin", A), ("origin", A)]),
    ("GET", "/", [("origin", SUB)]),
    ("POST", "/", [("origin", B)]),
    ("OPTIONS", "/", [("origin", A)]),
    ("OPTIONS", "/", [("origin", A), *PRE.items()]),
    ("OPTIONS", "/", [("origin", A), *PRE.items(), ("access-control-request-headers", "X-Token, Content-Type")]),
    ("OPTIONS", "/", [("origin", A), *PRE.items(), ("access-control-request-headers", "x-other")]),
    ("OPTIONS", "/", [("origin", A), ("access-control-request-method", "PROPFIND")]),
    ("OPTIONS", "/", [("origin", EVIL), *PRE.items()]),
    ("OPTIONS", "/", [("origin", SUB), *PRE.items()]),
    ("OPTIONS", "/", [("origin", A), *PRE.items(), ("access-control-request-private-network", "true")]),
    ("GET", "/api/items", [("origin", A)]),
    ("OPTIONS", "/api/items", [("origin", A), *PRE.items()]),
    ("GET", "/v2/items", [("origin", B)]),
    ("GET", "/v2/items", [("origin", A)]),
    ("GET", "/apix", [("origin", A)]),
    ("GET", "/api/caf\u00e9", [("origin", A)]),
    ("GET", "/", [("origin", EVIL), ("host", "other.example.com")]),
]

APP_HEADERS = {
    "plain": [("Content-Type", "text/plain")],
    "own cors and vary": [
        ("Content-Type", "text/plain"),
        ("Vary", "Accept-Encoding"),
        ("Access-Control-Allow-Origin", "*"),
        ("X-Total", "1"),
    ],
}


def wsgi_answer(
    policy: dict[str, Any],
    app_headers: list[tuple[str, str]],
    method: str,
    path: str,
    headers: Iterable[tuple[str, str]],
) -> tuple[int, list[tuple[str, str]]]:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", list(app_headers))
        return [b"hello"]

    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path.encode().decode("latin-1"),
        "QUERY_STRING": "",
    }
    setup_testing_defaults(environ)
    environ["HTTP_HOST"] = HOST
    for name, value in headers:
        key = "HTTP_" + name.upper().replace("-", "_")
        environ[key] = environ[key] + "," + value if key in environ and name != "host" else value
    got: list[Any] = []

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        got.append((int(status.split()[0]), [(k.lower(), v) for k, v in response_headers]))
        return lambda data: None

    door = validator(wsgicors.CORSMiddleware(validator(app), **policy))
    body = door(environ, start_response)
    b"".join(body)
    body.close()  # type: ignore[attr-defined]
    return got[0]  # type: ignore[no-any-return]


async def asgi_answers(policy: dict[str, Any], app_headers: list[tuple[str, str]]) -> list[Any]:
    raw = [(k.lower().encode(), v.encode()) for k, v in app_headers]

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": raw})
        await send({"type": "http.response.body", "body": b"hello"})

    transport = httpx.ASGITransport(app=CORSMiddleware(app, **policy))
    answers = []
    async with httpx.AsyncClient(transport=transport, base_url=f"http://{HOST}") as client:
        for method, path, headers in REQUESTS:
            sent = [(k, v) for k, v in headers if k != "host"]
            host = dict(headers).get("host", HOST)
            response = await client.request(method, f"http://{host}{path}", headers=sent)
            answers.append((response.status_code, [(k.decode(), v.decode()) for k, v in response.headers.raw]))
    return answers


@pytest.mark.filterwarnings("ignore:Unknown REQUEST_METHOD")
@pytest.mark.parametrize("app_headers", APP_HEADERS, ids=list(APP_HEADERS))
@pytest.mark.parametrize("name", POLICIES, ids=list(POLICIES))
def test_the_asgi_door_answers_what_the_wsgi_door_answers(name: str, app_headers: str) -> None:
    policy = POLICIES[name]
    headers = APP_HEADERS[app_headers]
    asgi = asyncio.run(asgi_answers(policy, headers))
    for (method, path, request_headers), (status, got) in zip(REQUESTS, asgi, strict=True):
        want_status, want = wsgi_answer(policy, headers, method, path, request_headers)
        assert (status, got) == (want_status, want), (method, path, request_headers)
