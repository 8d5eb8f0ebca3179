"""Issue 17's reliability probe, small enough for CI: hostile raw-socket requests and concurrent
clients against the demo app behind gunicorn (sync and gthread workers) and waitress.

Each server binds 127.0.0.1 on a free port and is stopped by its fixture. The
raw requests are written byte for byte (duplicate and folded Origin headers,
control characters, non-ASCII bytes, an injected line, absurd lengths), so
what the server's parser hands the middleware is whatever it makes of them:
whatever that is, no answer may reflect an origin the policy does not allow,
carry CR or LF inside a header, or come from a crashed worker, and the server
must still answer an ordinary request afterwards. The concurrent clients check
that each answer carries exactly its own origin (no cross-talk between
threads of one worker).
"""

from __future__ import annotations

import random
import socket
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from .conftest import free_port
from .test_servers import LOCAL, SUBDOMAIN, URL, _subprocess_server

pytestmark = pytest.mark.server

ALLOWED_HOST = "app.example.com"


def _gunicorn(worker_class: str) -> Iterator[int]:
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn",
        "--workers", "1", "--worker-class", worker_class, "--threads", "4",
        "--bind", f"127.0.0.1:{port}",
        "--graceful-timeout", "5", "--timeout", "30",
        "wsgicors.demo:make_app()",
    ]  # fmt: skip
    yield from _subprocess_server(command, port)


@pytest.fixture(scope="module")
def gunicorn_sync() -> Iterator[int]:
    yield from _gunicorn("sync")


@pytest.fixture(scope="module")
def gunicorn_gthread() -> Iterator[int]:
    yield from _gunicorn("gthread")


@pytest.fixture(scope="module")
def waitress_threads() -> Iterator[int]:
    port = free_port()
    command = [
        sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}", "--threads=4",
        "--call", "wsgicors.demo:make_app",
    ]  # fmt: skip
    yield from _subprocess_server(command, port)


@pytest.fixture(params=["gunicorn_sync", "gunicorn_gthread", "waitress_threads"])
def port(request: pytest.FixtureRequest) -> int:
    value: int = request.getfixturevalue(request.param)
    return value


def raw(port: int, request: bytes) -> tuple[int, list[tuple[bytes, bytes]]]:
    """Send ``request`` as is; the status and the header lines of the answer (read to close)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    answer = b"".join(chunks)
    head = answer.split(b"\r\n\r\n", 1)[0]
    lines = head.split(b"\r\n")
    assert lines[0].startswith(b"HTTP/1."), answer[:200]
    status = int(lines[0].split()[1])
    headers = [tuple(line.split(b":", 1)) for line in lines[1:] if b":" in line]
    return status, [(name.strip().lower(), value.strip()) for name, value in headers]  # type: ignore[misc]


def _request(method: str, extra: bytes) -> bytes:
    return f"{method} {URL} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".encode() + extra + b"\r\n"


HOSTILE = [
    b"Origin: https://evil.example.org\r\n",
    b"Origin: https://app.example.com\r\nOrigin: https://evil.example.org\r\n",
    b"Origin: https://evil.example.org\r\nOrigin: https://app.example.com\r\n",
    b"Origin: https://app.example.com, https://evil.example.org\r\n",
    b"Origin: https://app.example.com.evil.org\r\n",
    b"Origin: https://evil.org/.example.com\r\n",
    b"Origin: https://evil.org?.example.com\r\n",
    b"Origin: https://evil.org#.example.com\r\n",
    b"Origin: https://user@app.example.com\r\n",
    b"Origin: HTTPS://APP.EXAMPLE.COM\r\n",
    b"Origin: https://app.example.com:443\r\n",
    b"Origin: https://app.example.com.\r\n",
    b"Origin: http://app.example.com\r\n",
    b"Origin: https://app.example.com\tX\r\n",
    b"Origin: https://app.example.com\x00.evil.org\r\n",
    b"Origin: https://app.example.com\x0b\r\n",
    b"Origin: https://\xc3\xa4pp.example.com\r\n",
    b"Origin: https://\xffapp.example.com\r\n",
    b"Origin: https://app.example.com\r\n X-Folded: https://evil.example.org\r\n",
    b"Origin: https://evil.example.org\r\nX-Injected: 1\r\n",
    b"Origin: null\r\n",
    b"Origin: \r\n",
    b"Origin: " + b"https://" + b"a." * 3000 + b"example.com\r\n",
    b"Origin: https://" + b"a" * 64 + b".example.com\r\n",
]


@pytest.mark.parametrize("extra", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("method", ["GET", "OPTIONS"])
def test_hostile_origins_over_a_raw_socket(port: int, extra: bytes, method: str) -> None:
    if method == "OPTIONS":
        extra += b"Access-Control-Request-Method: PUT\r\nAccess-Control-Request-Headers: content-type\r\n"
    status, headers = raw(port, _request(method, extra))
    assert status < 500, headers
    for name, value in headers:
        assert b"\r" not in value and b"\n" not in value and b"\x00" not in value
        assert name != b"x-injected" and name != b"x-folded"
    # None of these is one serialised, allowed origin: no Access-Control-* header at all.
    assert [name for name, _ in headers if name.startswith(b"access-control-")] == [], headers
    # The worker survived: an ordinary request is still answered.
    status, headers = raw(port, _request("GET", f"Origin: {LOCAL}\r\n".encode()))
    assert status == 200
    assert (b"access-control-allow-origin", LOCAL.encode()) in headers


def test_a_huge_preflight_header_list_is_not_echoed_beyond_the_policy(port: int) -> None:
    names = ", ".join(f"x-h{i}" for i in range(500)).encode()
    extra = b"Origin: " + SUBDOMAIN.encode() + b"\r\nAccess-Control-Request-Method: PUT\r\n"
    status, headers = raw(port, _request("OPTIONS", extra + b"Access-Control-Request-Headers: " + names + b"\r\n"))
    assert status in (200, 400, 431)
    if status == 200:
        assert dict(headers)[b"access-control-allow-headers"] == b"Content-Type, Authorization"


def test_concurrent_clients_each_get_their_own_origin(port: int) -> None:
    allowed = [f"https://tenant{i}.example.com" for i in range(30)] + [LOCAL]
    denied = [f"https://tenant{i}.example.org" for i in range(10)] + ["null"]

    def client(seed: int) -> list[str]:
        rng = random.Random(seed)
        problems = []
        for _ in range(40):
            origin = rng.choice(allowed + denied)
            status, headers = raw(port, _request("GET", f"Origin: {origin}\r\n".encode()))
            acao = [value.decode() for name, value in headers if name == b"access-control-allow-origin"]
            expected = [origin] if origin in allowed else []
            if status != 200 or acao != expected:
                problems.append(f"{origin}: {status} {acao}")
        return problems

    with ThreadPoolExecutor(8) as pool:
        problems = [p for found in pool.map(client, range(8)) for p in found]
    assert problems == []
