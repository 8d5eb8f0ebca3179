"""Hostile servers: control characters in headers, huge headers, silence, a drip, a connection cut.

The doctor runs as a child process (``python -m wsgicors.doctor``) under a hard
limit far above its ``--timeout``: a doctor that hangs fails by hitting the
guard, not by a timing assertion. Output must never hold a raw control
character, and credentials never appear.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from .hostile_server import Behaviour, RawServer, refused_port

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]
ORIGIN = "https://app.example"
#: The guard against a hang: far above the doctor's own --timeout of 1 s per request.
HARD_LIMIT_S = 30


def say(data: bytes) -> Behaviour:
    def behaviour(conn: socket.socket, stopping: threading.Event) -> None:
        conn.sendall(data)

    return behaviour


def silent(conn: socket.socket, stopping: threading.Event) -> None:
    stopping.wait()


def drip(conn: socket.socket, stopping: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    while not stopping.wait(0.05):
        conn.sendall(b"X")  # one header line that never ends, a byte at a time


def doctor(port: int, *extra: str, scheme: str = "http") -> tuple[int, str]:
    argv = [sys.executable, "-m", "wsgicors.doctor", f"{scheme}://127.0.0.1:{port}/data", "--origin", ORIGIN]
    argv += ["--timeout", "1", "-H", "Authorization: Bearer s3cr3t-token", *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    done = subprocess.run(argv, capture_output=True, timeout=HARD_LIMIT_S, env=env, cwd=ROOT, check=False)
    out = done.stdout.decode("ascii")  # the report is pure ASCII: anything else is escaped
    assert not any(ord(ch) < 0x20 and ch != "\n" for ch in out), out
    assert "s3cr3t-token" not in out
    return done.returncode, out


def run(behaviour: Behaviour, *extra: str) -> tuple[int, str]:
    server = RawServer(behaviour)
    try:
        return doctor(server.port, *extra)
    finally:
        server.stop()


def run_json(behaviour: Behaviour) -> tuple[int, dict[str, Any]]:
    code, out = run(behaviour, "--json")
    return code, json.loads(out)


HOSTILE_HEAD = (
    b"HTTP/1.1 200 OK\r\n"
    b"Access-Control-Allow-Origin: https://app.example\rInjected: yes\r\n"
    b"Access-Control-Allow-Headers: authorization\r\n"
    b"Access-Control-Allow-Methods: GET\r\n"
    b"X-Nul: a\x00b\r\n"
    b"X-Escape: \x1b[31mred\x1b[0m\r\n"
    b"X-Latin: caf\xc3\xa9\r\n"
    b"Set-Cookie: session=s3cr3t-token\r\n"
    b"Content-Length: 0\r\n\r\n"
)


def test_control_characters_in_headers_are_escaped_and_reported() -> None:
    code, out = run(say(HOSTILE_HEAD))
    # The CR stays inside the value (which then holds a space): not one origin, the preflight fails on it.
    assert code == 1
    assert "BLOCKED: PreflightMultipleAllowOriginValues" in out
    assert "https://app.example\\u000dInjected: yes" in out
    assert "a\\u0000b" in out
    assert "\\u001b[31mred" in out
    assert "caf\\u00c3\\u00a9" in out
    assert "control-characters-in-header" in out


def test_control_characters_in_json_are_escaped_and_secrets_masked() -> None:
    code, document = run_json(say(HOSTILE_HEAD))
    assert code == 1
    assert document["verdict"] == "blocked"
    assert document["error"]["id"] == "PreflightMultipleAllowOriginValues"
    headers = dict(map(tuple, document["steps"][0]["response_headers"]))
    assert headers["Access-Control-Allow-Origin"] == "https://app.example\rInjected: yes"  # JSON-escaped, exact
    assert headers["Set-Cookie"] == "<masked>"
    request = dict(map(tuple, document["steps"][0]["request_headers"]))
    assert "Authorization" not in request  # a preflight carries none


@pytest.mark.parametrize(
    ("behaviour", "net_error"),
    [
        (silent, "ERR_TIMED_OUT"),
        (drip, "ERR_TIMED_OUT"),
        (say(b""), "ERR_EMPTY_RESPONSE"),
        (say(b"HTTP/1.1 200 OK\r\nContent-Len"), "ERR_INVALID_HTTP_RESPONSE"),
        (say(b"hello there\r\n\r\n"), "ERR_INVALID_HTTP_RESPONSE"),
        (say(b"HTTP/1.1 200 OK\r\n" + b"X-Big: " + b"a" * 300_000 + b"\r\n\r\n"), "ERR_RESPONSE_HEADERS_TOO_BIG"),
        (say(b"HTTP/1.1 200 OK\r\n" + b"X-Many: 1\r\n" * 30_000 + b"\r\n"), "ERR_RESPONSE_HEADERS_TOO_BIG"),
        (
            say(b"HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 100\r\n\r\nshort"),
            None,  # a 204 has no body: Content-Length is not waited for
        ),
    ],
    ids=["silent", "drip", "closed-at-once", "closed-in-headers", "not-http", "huge-header", "many-headers", "204"],
)
def test_transport_failures_are_reported_not_hung(behaviour: Behaviour, net_error: str | None) -> None:
    code, document = run_json(behaviour)
    if net_error is None:
        assert document["verdict"] != "error", document
        return
    assert code == 3
    assert document["verdict"] == "error"
    assert document["error"]["id"] == "transport"
    assert f"net::{net_error}" in document["error"]["console"]


def test_closed_in_the_body_is_a_transport_error() -> None:
    answer = (
        b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\nAccess-Control-Allow-Headers: "
        b"authorization\r\nContent-Length: 100\r\n\r\nonly ten b"
    )
    code, document = run_json(say(answer))
    assert code == 3
    assert "net::ERR_CONTENT_LENGTH_MISMATCH" in document["error"]["console"]


def test_refused_connection_human_report() -> None:
    with refused_port() as port:
        code, out = doctor(port)
    assert code == 3
    assert "ERROR: transport failure, net::ERR_CONNECTION_REFUSED (not a CORS verdict)" in out
    assert "TypeError: Failed to fetch" in " ".join(out.split())


def test_huge_header_value_under_the_cap_is_shown_shortened() -> None:
    answer = b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: " + b"x" * 100_000 + b"\r\nContent-Length: 0\r\n\r\n"
    code, out = run(say(answer))
    assert code == 1
    assert len(max(out.splitlines(), key=len)) < 2000
    assert "(100000 characters)" in out


@pytest.mark.parametrize(
    ("behaviour", "net_error"),
    [(say(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), "ERR_SSL_PROTOCOL_ERROR"), (silent, "ERR_TIMED_OUT")],
    ids=["plain-http-on-https", "silent-tls-handshake"],
)
def test_tls_failures_are_transport_errors(behaviour: Behaviour, net_error: str) -> None:
    server = RawServer(behaviour, read_first=False)
    try:
        code, out = doctor(server.port, "--json", scheme="https")
    finally:
        server.stop()
    assert code == 3
    assert f"net::{net_error}" in json.loads(out)["error"]["console"]


def doctor_stderr(port: int, *extra: str) -> tuple[int, str, str]:
    argv = [sys.executable, "-m", "wsgicors.doctor", f"http://127.0.0.1:{port}/data", "--origin", ORIGIN, *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    done = subprocess.run(argv, capture_output=True, timeout=HARD_LIMIT_S, env=env, cwd=ROOT, check=False)
    return done.returncode, done.stdout.decode("ascii"), done.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize(
    "answer",
    [b"HTTP/1.1 2\xb20 OK\r\nContent-Length: 0\r\n\r\n",
     b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: \xb2\r\n\r\nab",
     b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: " + b"9" * 5000 + b"\r\n\r\nab"],
    ids=["status-2\u00b20", "content-length-\u00b2", "content-length-5000-digits"],
)  # fmt: skip
def test_unicode_digits_are_a_transport_error_not_a_traceback(answer: bytes) -> None:
    """Issue 17.8: these ended in a traceback and exit status 1, the "blocked" status."""
    server = RawServer(say(answer))
    try:
        code, out, err = doctor_stderr(server.port, "--timeout", "2")
    finally:
        server.stop()
    assert code == 3
    assert "Traceback" not in err and len(err.splitlines()) == 1  # the banner only
    assert "ERROR: transport failure, net::ERR_" in out


def slow_redirect_loop(conn: socket.socket, stopping: threading.Event) -> None:
    """Every answer takes 0.4 s, and is a redirect to the next hop: /data -> /hop1 -> /hop2 ..."""
    if stopping.wait(0.4):
        return
    conn.sendall(b"HTTP/1.1 302 Found\r\nAccess-Control-Allow-Origin: *\r\nLocation: /hop\r\nContent-Length: 0\r\n\r\n")


def test_the_deadline_bounds_a_slow_redirect_loop_and_names_the_step() -> None:
    """Issue 17.10: 21 hops of 0.4 s each fit in --timeout 1 per request; --deadline 1.5 stops the run."""
    server = RawServer(slow_redirect_loop)
    try:
        code, out, err = doctor_stderr(server.port, "--timeout", "1", "--deadline", "1.5", "--json")
    finally:
        server.stop()
    assert code == 3
    assert len(err.splitlines()) == 1
    document = json.loads(out)
    assert document["verdict"] == "error"
    assert document["error"]["console"].endswith("net::ERR_TIMED_OUT")
    why = document["error"]["why"]
    assert (
        "the doctor's --deadline of 1.5 s for the whole run (its own limit, not the browser's) ran out during "
        "the actual request GET http://127.0.0.1:" in why
    )
    hops = int(re.search(r"/hop, after ([0-9]+) redirects?\)", why)[1])  # type: ignore[index]
    assert [step["kind"] for step in document["steps"]] == ["redirect"] * hops + ["actual"]
    assert document["steps"][-1]["status"] is None


def test_the_deadline_default_is_three_timeouts_and_the_human_report_names_the_step() -> None:
    server = RawServer(slow_redirect_loop)
    try:
        code, out, _ = doctor_stderr(server.port, "--timeout", "0.5")
    finally:
        server.stop()
    assert code == 3
    flat = " ".join(out.split())
    assert "ERROR: transport failure, net::ERR_TIMED_OUT (not a CORS verdict)" in flat
    assert (
        "the doctor's --deadline of 1.5 s for the whole run (its own limit, not the browser's) ran out during "
        "the actual request GET" in flat
    )


def test_the_deadline_cuts_the_audit_and_says_which_origins_were_not_audited() -> None:
    """The diagnosis fits; --audit's origins do not: the ones cut are left out, a finding names them."""

    def slow_ok(conn: socket.socket, stopping: threading.Event) -> None:
        if not stopping.wait(0.3):
            conn.sendall(b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: https://app.example\r\nVary: Origin\r\n"
                         b"Content-Length: 0\r\n\r\n")  # fmt: skip

    server = RawServer(slow_ok)
    try:
        code, out, _ = doctor_stderr(server.port, "--timeout", "1", "--deadline", "1.5", "--audit", "--json")
    finally:
        server.stop()
    assert code == 3  # the audit could not finish: not "allowed, nothing hostile"
    document = json.loads(out)
    assert document["verdict"] == "allowed"
    audited = [entry["origin"] for entry in document["audit"]]
    assert 1 <= len(audited) < 6 and not any(entry["allowed"] for entry in document["audit"])
    finding = next(f for f in document["findings"] if f["id"] == "deadline-ran-out")
    assert finding["detail"].startswith("the --deadline of 1.5 s ran out during --audit, at GET http://127.0.0.1:")
    not_audited = finding["detail"].partition("; not audited: ")[2].partition(" (raise")[0].split(", ")
    assert not set(not_audited) & set(audited)
    assert len(not_audited) + len(audited) == 6
