"""Hostile raw HTTP against the ASGI door under a real uvicorn on 127.0.0.1 (issue 17's probe family).

One uvicorn serves, by path, the door with ``tests.rawhttp.RAW_POLICY`` (every
raw case of ``tests/rawhttp.py``: repeated Origin headers, control characters,
absurd lengths, bad methods, injection attempts, smuggling, pipelining) and one
door per case of ``tests/data/hostile_origins.json`` (under ``/case/<index>``,
sent as an actual GET and as a preflight, the Origin's UTF-8 bytes on the wire).
Whatever uvicorn's parser (h11) makes of a request: no CR, LF or NUL in an
emitted header, no injected header, no Access-Control-Allow-Origin outside the
policy, and after every case the server still answers an ordinary request.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from asgi_ext import CORSMiddleware
from tests.rawhttp import RAW_CASES, RAW_POLICY, RawCase, check_case, exchange, probe, request
from wsgicors import CORSConfigError

from .server import serve

pytestmark = pytest.mark.server

HOSTILE = json.loads((Path(__file__).resolve().parents[1] / "data" / "hostile_origins.json").read_text("utf-8"))
BODY = b"hello from the app"


async def hello(scope: Any, receive: Any, send: Any) -> None:
    """Reads the request body, answers 200 text; accepts a websocket and closes it."""
    if scope["type"] == "websocket":
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": 1000})
        return
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    headers = [(b"content-type", b"text/plain"), (b"content-length", b"%d" % len(BODY))]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": BODY})


def _corpus_doors() -> tuple[dict[int, Any], list[Any]]:
    """A door per corpus case whose policy the door accepts (refusals are tests/core/test_hostile.py's)."""
    doors: dict[int, Any] = {}
    params = []
    for index, case in enumerate(HOSTILE):
        options: dict[str, Any] = {"origins": case["configured_origins"], "credentials": bool(case.get("credentials"))}
        try:
            doors[index] = CORSMiddleware(hello, **options)
        except CORSConfigError:
            continue
        params += [pytest.param(index, kind, id=f"{case['id']}-{kind}") for kind in ("actual", "preflight")]
    return doors, params


CORPUS_DOORS, CORPUS_PARAMS = _corpus_doors()
RAW_DOOR = CORSMiddleware(hello, **RAW_POLICY)


async def router(scope: Any, receive: Any, send: Any) -> None:
    """``/case/<index>...`` to that corpus case's door; everything else to the raw cases' door."""
    path: str = scope.get("path", "")
    if path.startswith("/case/"):
        await CORPUS_DOORS[int(path.split("/")[2])](scope, receive, send)
    else:
        await RAW_DOOR(scope, receive, send)


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    with serve(router) as host:
        yield int(host.rsplit(":", 1)[1])


def test_corpora_are_there() -> None:
    assert len(RAW_CASES) >= 60
    assert len(CORPUS_PARAMS) >= 2 * 60, "most hostile-origin policies are accepted and served"


@pytest.mark.parametrize("case", RAW_CASES, ids=[case.id for case in RAW_CASES])
def test_raw_case(case: RawCase, port: int) -> None:
    responses = exchange("127.0.0.1", port, case.data, half_close=case.half_close)
    check_case(case, responses)
    probe("127.0.0.1", port)


def _stripped_allowed(case: dict[str, Any]) -> str | None:
    """An Origin with whitespace around it that a parser strips (RFC 9110, 5.5: OWS is not part
    of the value) to a configured exact origin: the door then saw that allowed origin."""
    origin = case["request_origin"]
    stripped = origin.strip(" \t") if isinstance(origin, str) else None
    return stripped if stripped != origin and stripped in case["configured_origins"] else None


@pytest.mark.parametrize(("index", "kind"), CORPUS_PARAMS)
def test_hostile_origin_over_the_wire(index: int, kind: str, port: int) -> None:
    case = HOSTILE[index]
    headers = []
    if case["request_origin"] is not None:
        headers.append(("Origin", case["request_origin"]))
    if kind == "preflight":
        headers += [("Access-Control-Request-Method", "PUT"), ("Access-Control-Request-Headers", "x-requested-with")]
    responses = exchange(
        "127.0.0.1", port, request("OPTIONS" if kind == "preflight" else "GET", f"/case/{index}", headers)
    )
    assert len(responses) == 1, responses
    (response,) = responses
    stripped = _stripped_allowed(case)
    allowed = {case["expected_acao"]} if case["must_allow"] else ({stripped} if stripped else set())
    expected = RawCase(case["id"], b"", (frozenset(allowed) if case["must_allow"] else frozenset({None, *allowed}),))
    check_case(expected, responses, allowed)
    if case["must_allow"]:
        assert response.status == 200
        assert response.all("access-control-allow-credentials") == ([b"true"] if case.get("credentials") else [])
    else:
        assert response.status in (200, 400), "answered by the door, or refused by uvicorn's parser"
    probe("127.0.0.1", port)
