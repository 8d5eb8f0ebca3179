"""``python -m wsgicors.demo``: what it prints, its page and exchanges, and a busy port (one line, exit status 1)."""

from __future__ import annotations

import http.client
import json
import queue
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from tests.processes import stop

from .conftest import REPO_ROOT

pytestmark = pytest.mark.server

GUARD_S = 30  # against a hang only


def _demo(*args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-u", "-m", "wsgicors.demo", *args]
    return subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def running() -> Iterator[list[str]]:
    """The demo on free ports; its stdout lines up to the "Open ... in a browser" line."""
    process = _demo("0")
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in process.stdout or ()], daemon=True).start()
    threading.Thread(target=lambda: [None for _ in process.stderr or ()], daemon=True).start()
    seen: list[str] = []
    try:
        while not seen or not seen[-1].startswith("Open "):
            seen.append(lines.get(timeout=GUARD_S).rstrip("\n"))
        yield seen
    finally:
        stop(process, GUARD_S)


def _get(origin: str, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    host, port = origin.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=GUARD_S)
    try:
        connection.request("GET", path, headers=headers)
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        connection.close()


def test_demo_prints_the_origins_it_allows_and_serves_its_page(running: list[str]) -> None:
    api = re.search(r"Serving the demo API on (http://127\.0\.0\.1:\d+)/api/hello", "\n".join(running))
    page = re.match(r"Open (http://127\.0\.0\.1:\d+)/ in a browser", running[-1])
    assert api and page and api[1] != page[1]
    assert (
        f"Allowed origins: http://localhost:3000, https://*.example.com, {page[1]} (the demo page); "
        "/api/admin: https://admin.example.com only." in running
    )
    status, headers, body = _get(page[1], "/", {})
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert f'const API = "{api[1]}";'.encode() in body
    # Standard library only, inline script and style: nothing loaded from elsewhere.
    assert not re.findall(rb"\b(?:src|href)\s*=|<link|@import|\bimport\(", body)

    # The engine's reason for a denial, read back by the page from the API (behind the same CORS policy).
    status, headers, _ = _get(api[1], "/api/admin", {"Origin": page[1]})
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    status, headers, body = _get(api[1], "/demo/exchanges?after=0", {"Origin": page[1]})
    assert headers["Access-Control-Allow-Origin"] == page[1]
    (exchange,) = json.loads(body)
    assert exchange["path"] == "/api/admin" and exchange["request_headers"] == [["Origin", page[1]]]
    assert exchange["engine"] == [f"CORS denied: origin not allowed (origin '{page[1]}', GET '/api/admin')"]


def _busy_port() -> socket.socket:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    return holder


@pytest.mark.parametrize("which", ["api", "page"])
def test_a_busy_port_is_one_line_and_exit_status_1(which: str) -> None:
    with _busy_port() as holder:
        busy = holder.getsockname()[1]
        port = busy if which == "api" else busy - 1  # the page takes PORT+1
        done = _demo(str(port))
        out, err = done.communicate(timeout=GUARD_S)
    assert done.returncode == 1
    assert "Traceback" not in err
    (line,) = err.splitlines()
    what = "the demo API" if which == "api" else "the demo page"
    assert line.startswith(f"wsgicors.demo: port {busy} on 127.0.0.1 ({what}) is in use: pick another port, e.g. ")
    assert line.endswith("or 0 for free ports")
    assert out.startswith("wsgicors.demo: corsgate ")


@pytest.mark.parametrize("port", ["²", "٣٠٠٠", "99999", "-1", "80 80"])
def test_a_port_that_is_not_ascii_digits_is_a_usage_line_not_a_traceback(port: str) -> None:
    done = _demo(port)
    _, err = done.communicate(timeout=GUARD_S)
    assert done.returncode == 2
    assert "Traceback" not in err
    (line,) = err.splitlines()
    assert line == f"usage: python -m wsgicors.demo [port]   (a number 0-65534; got {port!r})"


def test_a_body_length_in_unicode_digits_is_read_as_no_body() -> None:
    from wsgiref.util import setup_testing_defaults

    from wsgicors.demo import make_app

    environ: dict[str, object] = {}
    setup_testing_defaults(environ)
    environ.update(
        REQUEST_METHOD="PUT", PATH_INFO="/api/hello", CONTENT_LENGTH="²", HTTP_ORIGIN="http://localhost:3000"
    )
    seen: list[str] = []
    # Not under wsgiref.validate: its own int(CONTENT_LENGTH) refuses this environ before the app sees it.
    body = b"".join(make_app()(environ, lambda status, headers, exc=None: seen.append(status)))
    assert seen == ["200 OK"]
    assert json.loads(body)["received"] == ""
