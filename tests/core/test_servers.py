"""Real-server smoke: the demo app behind Werkzeug's server, gunicorn and waitress.

Each server binds 127.0.0.1, answers real HTTP requests made with http.client,
and is stopped by the test itself (by handle or by pid, with timeouts).
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import pytest

from tests.processes import stop
from wsgicors.demo import make_app

from .conftest import REPO_ROOT, free_port

pytestmark = pytest.mark.server

URL = "/api/hello"
LOCAL = "http://localhost:3000"
SUBDOMAIN = "https://app.example.com"
EVIL = "https://evil.example.org"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def one(self, name: str) -> str | None:
        values = self.all(name)
        assert len(values) <= 1, f"{name} sent {len(values)} times: {values}"
        return values[0] if values else None

    def cors(self) -> dict[str, str]:
        return {key.lower(): value for key, value in self.headers if key.lower().startswith("access-control-")}


def fetch(port: int, method: str, path: str, headers: dict[str, str]) -> Reply:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return Reply(response.status, response.getheaders(), body)
    finally:
        connection.close()


def wait_until_listening(port: int, process: subprocess.Popen[bytes] | None, log: IO[bytes] | None) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            output = _read(log)
            pytest.fail(f"server exited with {process.returncode} before listening:\n{output}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/__ready__")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"no server listening on 127.0.0.1:{port} after {START_TIMEOUT} s:\n{_read(log)}")


def _read(log: IO[bytes] | None) -> str:
    if log is None:
        return ""
    log.flush()
    log.seek(0)
    return log.read().decode("utf-8", "replace")[-4000:]


@pytest.fixture(scope="module")
def werkzeug_server() -> Iterator[int]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, make_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="werkzeug-demo", daemon=True)
    thread.start()
    try:
        wait_until_listening(server.server_port, None, None)
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(STOP_TIMEOUT)
        assert not thread.is_alive(), "Werkzeug's server did not stop"


def _subprocess_server(command: list[str], port: int) -> Iterator[int]:
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_listening(port, process, log)
            yield port
        finally:
            stop(process, STOP_TIMEOUT)


def gunicorn(app: str, worker_class: str = "sync") -> Iterator[int]:
    """gunicorn serving ``app`` (``module:callable``) on 127.0.0.1, one worker; its port, then stopped."""
    port = free_port()  # gunicorn cannot report a port 0 binding back: pick one first
    # --threads only for gthread: with more than one thread gunicorn swaps a sync worker for gthread.
    threads = ["--threads", "4"] if worker_class == "gthread" else []
    command = [
        sys.executable, "-m", "gunicorn",
        "--workers", "1", "--worker-class", worker_class, *threads,
        "--bind", f"127.0.0.1:{port}",
        "--graceful-timeout", "5", "--timeout", "30",
        app,
    ]  # fmt: skip
    yield from _subprocess_server(command, port)


def waitress(factory: str) -> Iterator[int]:
    """waitress serving what ``factory`` (``module:function``) returns on 127.0.0.1; its port, then stopped."""
    port = free_port()
    command = [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}", "--threads=4", "--call", factory]
    yield from _subprocess_server(command, port)


@pytest.fixture(scope="module")
def gunicorn_server() -> Iterator[int]:
    yield from gunicorn("wsgicors.demo:make_app()")


@pytest.fixture(scope="module")
def waitress_server() -> Iterator[int]:
    yield from waitress("wsgicors.demo:make_app")


@pytest.fixture(params=["werkzeug", "gunicorn", "waitress"])
def port(request: pytest.FixtureRequest) -> int:
    value: int = request.getfixturevalue(f"{request.param}_server")
    return value


def test_preflight_over_http(port: int) -> None:
    reply = fetch(
        port,
        "OPTIONS",
        URL,
        {
            "Origin": LOCAL,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert reply.status == 200
    assert reply.body == b""
    assert reply.cors() == {
        "access-control-allow-origin": LOCAL,
        "access-control-allow-credentials": "true",
        "access-control-max-age": "600",
        "access-control-allow-methods": "GET, POST, PUT, DELETE",
        "access-control-allow-headers": "Content-Type, Authorization",
    }
    for name in reply.cors():
        reply.one(name)  # each exactly once
    assert reply.one("Vary") == "Origin"
    assert reply.one("Content-Type") == "text/plain"
    assert reply.one("Content-Length") == "0"
    assert reply.one("X-Request-Id") is None  # answered without the app


def test_actual_request_over_http(port: int) -> None:
    reply = fetch(port, "GET", URL, {"Origin": SUBDOMAIN})
    assert reply.status == 200
    assert json.loads(reply.body) == {"hello": "world", "method": "GET"}
    assert reply.cors() == {
        "access-control-allow-origin": SUBDOMAIN,
        "access-control-allow-credentials": "true",
        "access-control-expose-headers": "X-Request-Id",
    }
    for name in reply.cors():
        reply.one(name)
    assert reply.one("Vary") == "Origin"
    assert reply.one("Content-Type") == "application/json"
    assert reply.one("X-Request-Id") == "demo-1"


def test_denied_requests_over_http(port: int) -> None:
    actual = fetch(port, "GET", URL, {"Origin": EVIL})
    assert actual.status == 200
    assert json.loads(actual.body) == {"hello": "world", "method": "GET"}
    assert actual.cors() == {}
    assert actual.one("Vary") == "Origin"

    preflight = fetch(port, "OPTIONS", URL, {"Origin": EVIL, "Access-Control-Request-Method": "PUT"})
    assert preflight.status == 200
    assert preflight.body == b""
    assert preflight.cors() == {}
    assert preflight.one("Vary") == "Origin"
    assert preflight.one("X-Request-Id") is None


def test_no_origin_and_error_status_over_http(port: int) -> None:
    plain = fetch(port, "GET", URL, {})
    assert plain.status == 200
    assert plain.cors() == {}
    assert plain.one("Vary") == "Origin"

    missing = fetch(port, "GET", "/nope", {"Origin": LOCAL})
    assert missing.status == 404
    assert json.loads(missing.body) == {"error": "not found", "path": "/nope"}
    assert missing.one("Access-Control-Allow-Origin") == LOCAL
    assert missing.one("Access-Control-Allow-Credentials") == "true"
    assert missing.one("Vary") == "Origin"
