"""Fuzzing the doctor's HTTP/1.x reader: whatever a server sends, a Response within the caps or a
``TransportError`` (Chromium's ``net::`` name), never another exception (issue 17.8).

Answers are built from pieces a hostile server would pick (status lines with Latin-1 digits such as
``'²'``, signs, underscores, long numbers; Content-Length and chunk sizes likewise; obs-folds, bare
LFs, NULs) and from raw bytes; each is written to a socket pair and read by ``read_answer``.
"""

from __future__ import annotations

import socket
import time

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from wsgicors.doctor.transport import MAX_BODY, MAX_HEAD, TransportError, read_answer

NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(str),
    st.sampled_from(["\u00b2", "\u00b3", "\u00b9", "2\u00b20", "-1", "+5", "1_0", "0x10", " 7", "7 ", "", "1e3",
                     "9" * 5000, "f" * 3000, "FFFFFFFFFFFF", "0" * 100 + "5", "5, 5", "\x00", "\u00bd"]),
    st.text(alphabet="0123456789abcdefABCDEF\u00b2\u00b3\u00b9 _+-x;", max_size=12),
)  # fmt: skip
VERSIONS = st.sampled_from(["HTTP/1.1", "HTTP/1.0", "HTTP/1.x", "HTTP/2", "http/1.1", "HTTP/1.1 ", ""])
LINE_ENDS = st.sampled_from(["\r\n", "\n", "\r", ""])
HEADER_NAMES = st.sampled_from(["Content-Length", "Transfer-Encoding", "Access-Control-Allow-Origin", "X-A", " X-B",
                                "", "X\x00", "Content-Length ", "transfer-encoding"])  # fmt: skip
HEADER_VALUES = st.one_of(NUMBERS, st.sampled_from(["chunked", "gzip, chunked", "*", "\x1b[31m", "a\rb"]))


@st.composite
def answers(draw: st.DrawFn) -> bytes:
    """A status line, some headers, an end of head, then a body (perhaps chunked with fuzzed sizes)."""
    end = draw(LINE_ENDS)
    head = f"{draw(VERSIONS)} {draw(NUMBERS)} {draw(st.text(max_size=5))}{end}"
    for _ in range(draw(st.integers(0, 4))):
        fold = draw(st.sampled_from(["", " ", "\t"]))
        head += f"{fold}{draw(HEADER_NAMES)}:{draw(HEADER_VALUES)}{draw(LINE_ENDS)}"
    head += draw(LINE_ENDS)
    body = ""
    for _ in range(draw(st.integers(0, 3))):
        body += f"{draw(NUMBERS)}{draw(LINE_ENDS)}{draw(st.text(max_size=20))}{draw(LINE_ENDS)}"
    data = head.encode("latin-1", "replace") + body.encode("utf-8")
    return data + draw(st.binary(max_size=64))


def read(data: bytes, method: str = "GET") -> None:
    server, client = socket.socketpair()
    try:
        server.sendall(data)  # small enough for the socket buffer
        server.close()  # end of stream: nothing waits for more
        try:
            response = read_answer(client, method, time.monotonic() + 5)
        except TransportError as exc:
            assert exc.net_error.startswith("ERR_") and exc.detail
            return
        assert 100 <= response.status <= 999
        assert len(response.body) <= MAX_BODY
        assert sum(len(name) + len(value) for name, value in response.headers) <= MAX_HEAD
        assert all(isinstance(name, str) and isinstance(value, str) for name, value in response.headers)
    finally:
        client.close()


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers(), st.sampled_from(["GET", "HEAD", "OPTIONS"]))
@example(b"HTTP/1.1 2\xb20 OK\r\n\r\n", "GET")  # the reproductions: tracebacks before
@example(b"HTTP/1.1 200 OK\r\nContent-Length: \xb2\r\n\r\nab", "GET")
@example(b"HTTP/1.1 200 OK\r\nContent-Length: " + b"9" * 5000 + b"\r\n\r\nab", "GET")
@example(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\nab\r\n0\r\n\r\n", "GET")
def test_structured_answers_are_read_or_refused(data: bytes, method: str) -> None:
    read(data, method)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=512))
def test_raw_bytes_are_read_or_refused(data: bytes) -> None:
    read(data)
