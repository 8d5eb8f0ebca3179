"""A corpus of malformed answers from a hostile server: each one a transport error (exit status 3, the
``net::`` name, no traceback) or a verdict, never a crash (issue 17, items 8 and 9).

``str.isdigit()`` accepts ``'²'`` (Latin-1 byte 0xB2), which ``int()`` then rejects; a 5,000-digit number
trips ``int()``'s digit limit; ``int(x, 16)`` accepts ``0x10``, ``1_0``, ``-1``. The doctor runs in-process
here (fast, every case); ``test_hostile.py`` runs the issue's own reproductions as a child process.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest

from wsgicors._version import banner
from wsgicors.doctor.request import Url, parse_url
from wsgicors.doctor.transport import MAX_BODY, READ_SIZE, NetworkTransport, TransportError, _chunked, _Reader

from .hostile_server import Behaviour, RawServer
from .util import run_cli

pytestmark = pytest.mark.server

ORIGIN = "https://app.example"
OK = b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n"
PREFLIGHT_OK = b"HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: PUT\r\n"
NINES = b"9" * 5000


def say(data: bytes) -> Behaviour:
    def behaviour(conn: socket.socket, stopping: threading.Event) -> None:
        conn.sendall(data)

    return behaviour


#: (id, the bytes answered to every request, extra options, exit status, the net:: error or None for a verdict)
CORPUS: list[tuple[str, bytes, list[str], int, str | None]] = [
    ("status-superscript", b"HTTP/1.1 2\xb20 OK\r\nContent-Length: 0\r\n\r\n", [], 3, "ERR_INVALID_HTTP_RESPONSE"),
    ("status-superscript-utf8", "HTTP/1.1 2²0 OK\r\n\r\n".encode(), [], 3, "ERR_INVALID_HTTP_RESPONSE"),
    ("status-superscript-1", b"HTTP/1.1 \xb900 OK\r\n\r\n", [], 3, "ERR_INVALID_HTTP_RESPONSE"),
    ("status-two-digits", b"HTTP/1.1 99 OK\r\n\r\n", [], 3, "ERR_INVALID_HTTP_RESPONSE"),
    ("status-below-100", b"HTTP/1.1 099 OK\r\n\r\n", [], 3, "ERR_INVALID_HTTP_RESPONSE"),
    ("status-four-digits", b"HTTP/1.1 2000 OK\r\n\r\n", [], 3, "ERR_INVALID_HTTP_RESPONSE"),
    ("status-signed", b"HTTP/1.1 +20 OK\r\n\r\n", [], 3, "ERR_INVALID_HTTP_RESPONSE"),
    ("status-spaced", b"HTTP/1.1  200 OK\r\n\r\n", [], 3, "ERR_INVALID_HTTP_RESPONSE"),
    ("status-version", b"HTTP/1.x 200 OK\r\n\r\n", [], 3, "ERR_INVALID_HTTP_RESPONSE"),
    ("status-only-version", b"HTTP/1.1\r\n\r\n", [], 3, "ERR_INVALID_HTTP_RESPONSE"),
    ("status-nul", b"\x00\r\n\r\n", [], 3, "ERR_INVALID_HTTP_RESPONSE"),
    ("length-superscript", OK + b"Content-Length: \xb2\r\n\r\nab", [], 3, "ERR_INVALID_HTTP_RESPONSE"),
    ("length-negative", OK + b"Content-Length: -1\r\n\r\n", [], 3, "ERR_INVALID_HTTP_RESPONSE"),
    ("length-plus", OK + b"Content-Length: +2\r\n\r\nab", [], 3, "ERR_INVALID_HTTP_RESPONSE"),
    ("length-underscore", OK + b"Content-Length: 1_0\r\n\r\nab", [], 3, "ERR_INVALID_HTTP_RESPONSE"),
    ("length-hex", OK + b"Content-Length: 0x2\r\n\r\nab", [], 3, "ERR_INVALID_HTTP_RESPONSE"),
    ("length-empty", OK + b"Content-Length:\r\n\r\nab", [], 3, "ERR_INVALID_HTTP_RESPONSE"),
    ("length-5000-digits", OK + b"Content-Length: " + NINES + b"\r\n\r\nab", [], 3, "ERR_CONTENT_LENGTH_MISMATCH"),
    ("length-two-values", OK + b"Content-Length: 1\r\nContent-Length: 2\r\n\r\nab", [], 3,
     "ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH"),
    ("chunk-superscript", OK + b"Transfer-Encoding: chunked\r\n\r\n\xb2\r\nab\r\n0\r\n\r\n", [], 3,
     "ERR_INVALID_CHUNKED_ENCODING"),
    ("chunk-0x", OK + b"Transfer-Encoding: chunked\r\n\r\n0x2\r\nab\r\n0\r\n\r\n", [], 3,
     "ERR_INVALID_CHUNKED_ENCODING"),
    ("chunk-underscore", OK + b"Transfer-Encoding: chunked\r\n\r\n1_0\r\nab\r\n0\r\n\r\n", [], 3,
     "ERR_INVALID_CHUNKED_ENCODING"),
    ("chunk-negative", OK + b"Transfer-Encoding: chunked\r\n\r\n-1\r\nab\r\n0\r\n\r\n", [], 3,
     "ERR_INVALID_CHUNKED_ENCODING"),
    ("chunk-empty-size", OK + b"Transfer-Encoding: chunked\r\n\r\n\r\nab\r\n0\r\n\r\n", [], 3,
     "ERR_INVALID_CHUNKED_ENCODING"),
    ("chunk-cut", OK + b"Transfer-Encoding: chunked\r\n\r\n5\r\nab", [], 3, "ERR_INCOMPLETE_CHUNKED_ENCODING"),
    ("chunk-no-size-line", OK + b"Transfer-Encoding: chunked\r\n\r\n" + b"a" * 5000, [], 3,
     "ERR_INCOMPLETE_CHUNKED_ENCODING"),
    ("chunk-5000-hex-digits", OK + b"Transfer-Encoding: chunked\r\n\r\n" + b"f" * 3000 + b"\r\nab", [], 3,
     "ERR_INCOMPLETE_CHUNKED_ENCODING"),
    ("location-bad-ipv6", b"HTTP/1.1 302 Found\r\nAccess-Control-Allow-Origin: *\r\nLocation: http://[x\r\n"
     b"Content-Length: 0\r\n\r\n", [], 3, "ERR_INVALID_REDIRECT"),
    ("location-superscript-port", b"HTTP/1.1 302 Found\r\nAccess-Control-Allow-Origin: *\r\n"
     b"Location: http://127.0.0.1:\xb2/\r\nContent-Length: 0\r\n\r\n", [], 3, "ERR_INVALID_REDIRECT"),
    ("location-unencodable-host", b"HTTP/1.1 302 Found\r\nAccess-Control-Allow-Origin: *\r\n"
     b"Location: http://\xe9../\r\nContent-Length: 0\r\n\r\n", [], 3, "ERR_NAME_NOT_RESOLVED"),
    ("headers-without-colon-or-name", OK + b"no colon here\r\n: empty name\r\nX-A: 1\r\n \tfolded\r\nContent-Length: 0"
     b"\r\n\r\n", [], 0, None),
    ("no-headers-close", b"HTTP/1.1 200 OK\r\n\r\n", [], 1, None),
    ("lf-only", b"HTTP/1.1 200 OK\nAccess-Control-Allow-Origin: *\nContent-Length: 2\n\nab", [], 0, None),
    ("endless-interim", b"HTTP/1.1 100 Continue\r\n\r\n" * 2000, [], 3, "ERR_EMPTY_RESPONSE"),
]  # fmt: skip

#: Parsed by the doctor's checks and findings (not the transport): an internal error until they read
#: numbers as ASCII digits too (wsgicors/doctor/checks.py url_parses, findings.py max-age).
IN_THE_CHECKS: list[tuple[str, bytes, list[str], int, str | None]] = [
    ("max-age-superscript", PREFLIGHT_OK + b"Access-Control-Max-Age: \xb2\r\n\r\n", ["-X", "PUT"], 0, None),
    ("max-age-5000-digits", PREFLIGHT_OK + b"Access-Control-Max-Age: " + NINES + b"\r\n\r\n", ["-X", "PUT"], 0, None),
    ("allow-origin-superscript-port", b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: http://a:\xb2\r\n"
     b"Content-Length: 0\r\n\r\n", [], 1, None),
    ("allow-origin-5000-digit-port", b"HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: http://a:" + NINES +
     b"\r\nContent-Length: 0\r\n\r\n", [], 1, None),
]  # fmt: skip


def check(answer: bytes, extra: list[str], status: int, net_error: str | None) -> None:
    server = RawServer(say(answer))
    try:
        code, out, err = run_cli([f"http://127.0.0.1:{server.port}/x", "--origin", ORIGIN, "--timeout", "2", *extra])
    finally:
        server.stop()
    assert err == banner("cors-doctor") + "\n"  # no traceback, no internal error: the report says it all
    assert code == status, out
    if net_error is not None:
        assert f"ERROR: transport failure, net::{net_error} (not a CORS verdict)" in out
    else:
        assert "ERROR: transport failure" not in out


@pytest.mark.parametrize(
    ("answer", "extra", "status", "net_error"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS]
)
def test_a_malformed_answer_is_a_transport_error_or_a_verdict(
    answer: bytes, extra: list[str], status: int, net_error: str | None
) -> None:
    check(answer, extra, status, net_error)


@pytest.mark.parametrize(
    ("answer", "extra", "status", "net_error"), [c[1:] for c in IN_THE_CHECKS], ids=[c[0] for c in IN_THE_CHECKS]
)
def test_malformed_numbers_in_cors_headers_are_judged(
    answer: bytes, extra: list[str], status: int, net_error: str | None
) -> None:
    check(answer, extra, status, net_error)


@pytest.mark.parametrize(("answer", "extra"), [c[1:3] for c in IN_THE_CHECKS], ids=[c[0] for c in IN_THE_CHECKS])
def test_an_internal_error_is_one_line_with_its_own_status(answer: bytes, extra: list[str]) -> None:
    """Whatever the checks do with these, never a traceback exiting 1 (the "blocked" status)."""
    server = RawServer(say(answer))
    try:
        code, _, err = run_cli([f"http://127.0.0.1:{server.port}/x", "--origin", ORIGIN, "--timeout", "2", *extra])
    finally:
        server.stop()
    lines = err.splitlines()
    assert code in (0, 1, 5)
    assert len(lines) <= 2 and "Traceback" not in err
    if code == 5:
        assert lines[1].startswith("cors-doctor: internal error, please report it: ")


def _stream(sender: socket.socket, head: bytes, stop: threading.Event, sent: list[int]) -> None:
    """A chunk header announcing 2**48 - 1 bytes, then a fast stream until the reader goes away."""
    block = b"x" * 65536
    try:
        sender.sendall(head)
        while not stop.is_set():
            sent[0] += sender.send(block)
    except OSError:
        pass


def test_the_body_cap_holds_inside_one_huge_chunk() -> None:
    """The reader holds at most the cap plus one read, and reads no more once the cap is reached."""
    reader_sock, sender = socket.socketpair()
    stop, sent = threading.Event(), [0]
    streamer = threading.Thread(target=_stream, args=(sender, b"FFFFFFFFFFFF\r\n", stop, sent), daemon=True)
    streamer.start()
    try:
        reader = _Reader(reader_sock, deadline=time.monotonic() + 60)  # a guard, never reached
        body = _chunked(reader)
        assert len(body) == MAX_BODY
        assert reader.received <= MAX_BODY + READ_SIZE + len(b"FFFFFFFFFFFF\r\n")
        assert len(reader.buffer) <= READ_SIZE
    finally:
        stop.set()
        reader_sock.close()
        sender.close()
        streamer.join(timeout=5)


def test_a_huge_chunk_from_a_server_stops_at_the_cap() -> None:
    """Over TCP: the doctor closes the connection after the cap; the server manages to send little more
    (what the kernel buffers on loopback), not a stream that lasts until the timeout."""
    sent = [0]

    def huge_chunk(conn: socket.socket, stopping: threading.Event) -> None:
        conn.sendall(OK + b"Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFF\r\n")
        block = b"x" * 65536
        while not stopping.is_set() and sent[0] < 256 * MAX_BODY:  # the guard: 256 MiB at most
            sent[0] += conn.send(block)

    server = RawServer(huge_chunk)
    try:
        response = NetworkTransport(timeout=20).send("GET", _url(server.port), [("Origin", ORIGIN)], None)
    finally:
        server.stop()
    assert len(response.body) == MAX_BODY
    assert sent[0] < 16 * MAX_BODY  # read until the timeout, it was hundreds of MiB


def test_a_transport_error_carries_chromiums_name() -> None:
    with pytest.raises(TransportError) as caught:
        check_raw(b"HTTP/1.1 2\xb20 OK\r\n\r\n")
    assert caught.value.net_error == "ERR_INVALID_HTTP_RESPONSE"
    assert "2\xb20" in caught.value.detail


def check_raw(answer: bytes) -> None:
    server = RawServer(say(answer))
    try:
        NetworkTransport(timeout=2).send("GET", _url(server.port), [], None)
    finally:
        server.stop()


def _url(port: int) -> Url:
    return parse_url(f"http://127.0.0.1:{port}/x")
