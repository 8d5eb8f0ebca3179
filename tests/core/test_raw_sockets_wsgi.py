"""The raw-socket corpus (``tests/rawhttp.py``) against the WSGI door under gunicorn (gthread) and waitress.

The same cases and checks as the ASGI door's under uvicorn
(``tests/asgi/test_raw_sockets.py``), on 127.0.0.1, servers started and stopped
here; after every case the server still answers an ordinary request. The
websocket handshake case is the ASGI door's (a WSGI server answers it as a GET).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from tests.rawhttp import RAW_CASES, RawCase, check_case, exchange, probe

from .conftest import free_port
from .test_servers import _subprocess_server

pytestmark = pytest.mark.server

CASES = [case for case in RAW_CASES if not case.id.startswith("websocket-")]


@pytest.fixture(scope="module")
def gunicorn_gthread() -> Iterator[int]:
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn",
        "--workers", "1", "--worker-class", "gthread", "--threads", "4",
        "--bind", f"127.0.0.1:{port}",
        "--graceful-timeout", "5", "--timeout", "30",
        "tests.raw_wsgi_app:app",
    ]  # fmt: skip
    yield from _subprocess_server(command, port)


@pytest.fixture(scope="module")
def waitress() -> Iterator[int]:
    port = free_port()
    command = [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}", "--call", "tests.raw_wsgi_app:make_app"]
    yield from _subprocess_server(command, port)


@pytest.fixture(params=["gunicorn_gthread", "waitress"])
def port(request: pytest.FixtureRequest) -> int:
    value: int = request.getfixturevalue(request.param)
    return value


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_raw_case(case: RawCase, port: int) -> None:
    responses = exchange("127.0.0.1", port, case.data, half_close=case.half_close)
    check_case(case, responses)
    probe("127.0.0.1", port)
