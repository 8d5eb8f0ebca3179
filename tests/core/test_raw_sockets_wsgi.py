"""Issue 17's reliability probe for the WSGI door, small enough for CI: the raw-socket corpus
(``tests/rawhttp.py``) and concurrent clients under gunicorn (sync and gthread workers) and waitress.

The same cases and checks as the ASGI door's under uvicorn (``tests/asgi/test_raw_sockets.py``),
on 127.0.0.1, each server started and stopped by its fixture. The raw requests are written
byte for byte, so the middleware sees whatever the server's parser makes of them: no answer
may reflect an origin the policy does not allow or carry CR, LF or NUL inside a header, and
after every case the server still answers an ordinary request. The websocket handshake case
is the ASGI door's (a WSGI server answers it as a GET).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.rawhttp import EVIL, RAW_CASES, TENANTS, A, B, RawCase, check_case, exchange, probe, request

from .test_servers import gunicorn, waitress

pytestmark = pytest.mark.server

CASES = [case for case in RAW_CASES if not case.id.startswith("websocket-")]


@pytest.fixture(scope="module")
def gunicorn_sync() -> Iterator[int]:
    yield from gunicorn("tests.raw_wsgi_app:app")


@pytest.fixture(scope="module")
def gunicorn_gthread() -> Iterator[int]:
    yield from gunicorn("tests.raw_wsgi_app:app", "gthread")


@pytest.fixture(scope="module")
def waitress_threads() -> Iterator[int]:
    yield from waitress("tests.raw_wsgi_app:make_app")


@pytest.fixture(params=["gunicorn_sync", "gunicorn_gthread", "waitress_threads"])
def port(request: pytest.FixtureRequest) -> int:
    value: int = request.getfixturevalue(request.param)
    return value


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_raw_case(case: RawCase, port: int, request: pytest.FixtureRequest) -> None:
    if request.node.callspec.params["port"] == "gunicorn_sync" and len(case.expect) > 1:
        # gunicorn's sync worker answers one request per connection (no keep-alive): a pipeline's first only.
        case = dataclasses.replace(case, exact_count=False)
    responses = exchange("127.0.0.1", port, case.data, half_close=case.half_close)
    assert responses or not case.expect
    check_case(case, responses)
    probe("127.0.0.1", port)


def test_concurrent_clients_each_get_their_own_origin(port: int) -> None:
    """Eight clients at once, each origin allowed (listed, or by the wildcard: the memo) or not: no cross-talk."""
    allowed = [A, B] + [f"https://tenant{i}.{TENANTS}" for i in range(30)]
    denied = [EVIL, "null"] + [f"https://tenant{i}.example.org" for i in range(10)]

    def client(seed: int) -> list[str]:
        rng = random.Random(seed)
        problems = []
        for _ in range(40):
            origin = rng.choice(allowed + denied)
            (answer,) = exchange("127.0.0.1", port, request(headers=[("Origin", origin)]))
            expected = origin if origin in allowed else None
            if answer.status != 200 or answer.acao() != expected:
                problems.append(f"{origin}: {answer.status} {answer.headers}")
        return problems

    with ThreadPoolExecutor(8) as pool:
        problems = [p for found in pool.map(client, range(8)) for p in found]
    assert problems == []
