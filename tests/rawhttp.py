"""Hostile raw HTTP/1.1 over a socket, for any door under any real server (the reliability probe's family).

``RAW_CASES`` is the corpus: repeated Origin headers, control characters,
absurd lengths, bad methods, header-injection attempts, request smuggling,
pipelining, each as the bytes a client sends, with what every answer may carry
as ``Access-Control-Allow-Origin``. ``exchange`` sends bytes and parses every
response the server wrote back (pipelined ones too); ``assert_safe`` checks
what must hold whatever the server's parser did with the request: no CR, LF or
NUL inside an emitted header line, no header the request tried to inject,
every ``Access-Control-Allow-*`` list made of HTTP tokens, at most one
``Access-Control-Allow-Origin`` and never one outside the allowed set.
The cases are written against ``RAW_POLICY``; any door with those options
must pass them under any server. Standard library only.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ALLOWED",
    "EVIL",
    "RAW_CASES",
    "RAW_POLICY",
    "TENANTS",
    "RawCase",
    "RawResponse",
    "assert_safe",
    "exchange",
    "probe",
    "request",
]

A = "https://app.example.com"
B = "https://admin.example.com"
EVIL = "https://evil.example.org"
ALLOWED = frozenset({A, B})
#: The door's options every raw case is written for (Access-Control-Request-Headers echoed: headers=None).
#: Subdomains of this name are allowed too (``https://tenant7.tenants.example.com``): the memo under threads.
TENANTS = "tenants.example.com"
RAW_POLICY: dict[str, Any] = {
    "origins": [A, B, f"https://*.{TENANTS}"],
    "credentials": True,
    "exposed_headers": ["X-Total"],
    "max_age": 600,
}
TIMEOUT = 10.0  # a hang guard for one exchange, never asserted on
#: Header names a case tries to smuggle into the response.
INJECTED = frozenset({b"x-injected", b"set-cookie"})
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_LISTS = (b"access-control-allow-methods", b"access-control-allow-headers", b"access-control-expose-headers")
NONE: frozenset[str | None] = frozenset({None})
ONLY_A: frozenset[str | None] = frozenset({A})
A_OR_NONE: frozenset[str | None] = frozenset({A, None})


@dataclass
class RawResponse:
    status: int
    headers: list[tuple[bytes, bytes]]  # names in lower case
    lines: list[bytes]  # the header lines as sent, without their CRLF
    body: bytes

    def all(self, name: str) -> list[bytes]:
        return [value for key, value in self.headers if key == name.encode()]

    def acao(self) -> str | None:
        values = self.all("access-control-allow-origin")
        assert len(values) <= 1, f"Access-Control-Allow-Origin sent {len(values)} times: {values}"
        return values[0].decode("latin-1") if values else None


@dataclass(frozen=True)
class RawCase:
    """Bytes to send (``{host}`` is the server's host:port) and, per response in order,
    the allowed ``Access-Control-Allow-Origin`` values (None: absent)."""

    id: str
    data: bytes
    expect: tuple[frozenset[str | None], ...]
    exact_count: bool = True  # False: a server may stop answering after the first rejected request
    statuses: tuple[int | None, ...] = field(default=())  # where given, the status of each response
    half_close: bool = False  # shut the sending side after the bytes (a client that gives up mid-request)


def request(
    method: str = "GET",
    target: str = "/",
    headers: Iterable[tuple[str, str]] = (),
    *,
    version: str = "HTTP/1.1",
    close: bool = True,
    host: bool = True,
) -> bytes:
    """One request's bytes; values are sent as UTF-8 (non-ASCII included), unvalidated."""
    lines = [f"{method} {target} {version}"]
    if host:
        lines.append("Host: {host}")
    lines += [f"{name}: {value}" for name, value in headers]
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape")


def _pre(origin: str, method: str = "PUT", headers: str | None = None) -> list[tuple[str, str]]:
    pairs = [("Origin", origin), ("Access-Control-Request-Method", method)]
    return pairs + ([("Access-Control-Request-Headers", headers)] if headers is not None else [])


def _cases() -> list[RawCase]:
    o = "Origin"
    get = request
    cases = [
        RawCase("control-allowed", get(headers=[(o, A)]), (ONLY_A,), statuses=(200,)),
        RawCase("control-denied", get(headers=[(o, EVIL)]), (NONE,), statuses=(200,)),
        RawCase("control-preflight", get("OPTIONS", headers=_pre(A, "PUT", "x-a")), (ONLY_A,), statuses=(200,)),
        RawCase("origin-twice-same", get(headers=[(o, A), (o, A)]), (NONE,)),
        RawCase("origin-allowed-then-evil", get(headers=[(o, A), (o, EVIL)]), (NONE,)),
        RawCase("origin-evil-then-allowed", get(headers=[(o, EVIL), (o, A)]), (NONE,)),
        RawCase("origin-comma-list", get(headers=[(o, f"{A}, {EVIL}")]), (NONE,)),
        RawCase("origin-space-list", get(headers=[(o, f"{EVIL} {A}")]), (NONE,)),
        RawCase("origin-twice-preflight", get("OPTIONS", headers=[(o, A), *_pre(A)]), (NONE,)),
        RawCase("origin-empty", get(headers=[(o, "")]), (NONE,)),
        RawCase("origin-null", get(headers=[(o, "null")]), (NONE,)),
        RawCase("origin-upper-case", get(headers=[(o, A.upper())]), (NONE,)),
        RawCase("origin-path", get(headers=[(o, A + "/x")]), (NONE,)),
        RawCase("origin-path-then-name", get(headers=[(o, "https://evil.org/.example.com")]), (NONE,)),
        RawCase("origin-query-then-name", get(headers=[(o, "https://evil.org?.example.com")]), (NONE,)),
        RawCase("origin-fragment-then-name", get(headers=[(o, "https://evil.org#.example.com")]), (NONE,)),
        RawCase("origin-default-port", get(headers=[(o, A + ":443")]), (NONE,)),
        RawCase("origin-trailing-dot", get(headers=[(o, A + ".")]), (NONE,)),
        RawCase("origin-other-scheme", get(headers=[(o, "http://" + A[8:])]), (NONE,)),
        RawCase("origin-tab-inside", get(headers=[(o, A + "\tX")]), (NONE,)),
        RawCase("origin-byte-ff", get(headers=[(o, "https://\udcff" + A[8:])]), (NONE,)),
        RawCase("origin-label-64", get(headers=[(o, "https://" + "a" * 64 + "." + TENANTS)]), (NONE,)),
        RawCase("origin-userinfo", get(headers=[(o, f"https://{A[8:]}@evil.example.org")]), (NONE,)),
        RawCase("origin-suffix", get(headers=[(o, A + ".evil.example.org")]), (NONE,)),
        RawCase("origin-nul", get(headers=[(o, A + "\x00.evil.example.org")]), (NONE,)),
        RawCase("origin-ctl-01", get(headers=[(o, A + "\x01")]), (NONE,)),
        RawCase("origin-del", get(headers=[(o, A + "\x7f")]), (NONE,)),
        RawCase("origin-vertical-tab", get(headers=[(o, A + "\x0bx")]), (NONE,)),
        RawCase("origin-bare-cr-injection", get(headers=[(o, A + "\rX-Injected: 1")]), (NONE,)),
        RawCase("origin-bare-lf-injection", get(headers=[(o, EVIL + "\nX-Injected: 1")]), (NONE,)),
        # OWS around a field value is not part of it (RFC 9110, 5.5): a server may strip it.
        RawCase("origin-trailing-space", get(headers=[(o, A + " ")]), (A_OR_NONE,)),
        RawCase(
            "origin-obs-fold",
            b"GET / HTTP/1.1\r\nHost: {host}\r\nOrigin: " + EVIL.encode() + b"\r\n " + A.encode() + b"\r\n"
            b"Connection: close\r\n\r\n",
            (NONE,),
            exact_count=False,
        ),
        RawCase("origin-utf8", get(headers=[(o, "https://äpp.example.com")]), (NONE,)),
        RawCase("origin-latin1-byte", get(headers=[(o, A + "\udce9")]), (NONE,)),
        RawCase("origin-rtl-override", get(headers=[(o, A + "\u202e")]), (NONE,)),
        RawCase("origin-8k", get(headers=[(o, A + "/" + "a" * 8000)]), (NONE,)),
        RawCase("origin-8k-host", get(headers=[(o, "https://" + "a" * 8000 + ".example.com")]), (NONE,)),
        RawCase("origin-70k", get(headers=[(o, A + "a" * 70_000)]), (NONE,), exact_count=False),
        RawCase("headers-2000", get(headers=[*((f"X-Pad-{i}", "x") for i in range(2000)), (o, A)]), (A_OR_NONE,)),
        RawCase("path-100k", get(target="/" + "a" * 100_000, headers=[(o, A)]), (A_OR_NONE,), exact_count=False),
        RawCase("method-custom", get("FROB", headers=[(o, A)]), (ONLY_A,)),
        RawCase("method-lower-case", get("get", headers=[(o, A)]), (A_OR_NONE,)),  # gunicorn, waitress: 400
        RawCase("method-with-space", get("GE T", headers=[(o, A)]), (NONE,), exact_count=False),
        RawCase("method-nul", get("GET\x00", headers=[(o, A)]), (NONE,), exact_count=False),
        RawCase("method-8k", get("G" * 8000, headers=[(o, A)]), (A_OR_NONE,), exact_count=False),
        RawCase("preflight-denied", get("OPTIONS", headers=_pre(EVIL, "PUT", "x-a")), (NONE,)),
        RawCase("preflight-method-space", get("OPTIONS", headers=_pre(A, "P UT")), (A_OR_NONE,)),
        RawCase("preflight-method-nul", get("OPTIONS", headers=_pre(A, "PUT\x00")), (A_OR_NONE,)),
        RawCase("preflight-method-injection", get("OPTIONS", headers=_pre(A, "PUT\rX-Injected: 1")), (A_OR_NONE,)),
        RawCase("preflight-headers-list", get("OPTIONS", headers=_pre(A, "PUT", "x-a, x-b,x-c")), (ONLY_A,)),
        RawCase("preflight-headers-not-tokens", get("OPTIONS", headers=_pre(A, "PUT", "x-a;b=1, <x>")), (A_OR_NONE,)),
        RawCase("preflight-headers-cr", get("OPTIONS", headers=_pre(A, "PUT", "x-a\rX-Injected: 1")), (A_OR_NONE,)),
        RawCase("preflight-headers-ctl", get("OPTIONS", headers=_pre(A, "PUT", "x-a\x0bx-b")), (A_OR_NONE,)),
        RawCase("preflight-headers-10k", get("OPTIONS", headers=_pre(A, "PUT", "x-" + "a" * 10_000)), (A_OR_NONE,)),
        RawCase(
            "preflight-headers-1000-names",
            get("OPTIONS", headers=_pre(A, "PUT", ", ".join(f"x-{i}" for i in range(1000)))),
            (A_OR_NONE,),
        ),
        RawCase(
            "preflight-private-network-junk",
            get("OPTIONS", headers=[*_pre(A), ("Access-Control-Request-Private-Network", "true\x0btrue")]),
            (A_OR_NONE,),
        ),
        RawCase("preflight-asterisk-target", get("OPTIONS", "*", headers=_pre(A)), (A_OR_NONE,)),
        RawCase("absolute-form-target", get(target="http://evil.example.org/x", headers=[(o, A)]), (A_OR_NONE,)),
        RawCase(
            "host-evil-origin-evil",
            get(headers=[("Host", "evil.example.org"), (o, "http://evil.example.org")], host=False),
            (NONE,),
        ),
        RawCase("host-twice", request(headers=[("Host", "evil.example.org"), (o, A)]), (A_OR_NONE,)),
        RawCase("http10-without-host", get(headers=[(o, A)], version="HTTP/1.0", host=False), (ONLY_A,)),
        RawCase("version-garbage", get(headers=[(o, A)], version="HTTP/9.9"), (A_OR_NONE,), exact_count=False),
        RawCase("header-name-space", get(headers=[("Orig in", A)]), (NONE,), exact_count=False),
        RawCase("header-name-space-before-colon", get(headers=[("Origin ", A)]), (NONE,), exact_count=False),
        RawCase("header-name-8bit", get(headers=[("\udcffOrigin", A)]), (NONE,), exact_count=False),
        RawCase(
            "smuggling-cl-te",
            get("POST", headers=[(o, A), ("Content-Length", "4"), ("Transfer-Encoding", "chunked")], close=False)
            + b"0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\nOrigin: "
            + EVIL.encode()
            + b"\r\n\r\n",
            (A_OR_NONE, NONE),
            exact_count=False,
        ),
        RawCase(
            "smuggling-two-lengths",
            get("POST", headers=[(o, A), ("Content-Length", "0"), ("Content-Length", "40")]),
            (A_OR_NONE,),
            exact_count=False,
        ),
        RawCase(
            "pipelined-three",
            get(headers=[(o, A)], close=False)
            + get(headers=[(o, EVIL)], close=False)
            + get("OPTIONS", headers=_pre(B)),
            (ONLY_A, NONE, frozenset({B})),
            statuses=(200, 200, 200),
        ),
        RawCase(
            "pipelined-ten-alternating",
            b"".join(get(headers=[(o, A if i % 2 else EVIL)], close=i == 9) for i in range(10)),
            tuple(ONLY_A if i % 2 else NONE for i in range(10)),
        ),
        RawCase(
            "pipelined-garbage-in-the-middle",
            get(headers=[(o, A)], close=False) + b"\x16\x03\x01garbage\r\n\r\n" + get(headers=[(o, EVIL)]),
            (ONLY_A, NONE, NONE),
            exact_count=False,
        ),
        RawCase(
            "incomplete-then-close", b"GET / HTTP/1.1\r\nHost: {host}\r\nOrigin: https://app.exa", (), half_close=True
        ),
        RawCase(
            "websocket-handshake-evil",
            get(
                "GET",
                "/ws",
                [
                    (o, EVIL),
                    ("Upgrade", "websocket"),
                    ("Connection", "Upgrade"),
                    ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
                    ("Sec-WebSocket-Version", "13"),
                ],
                close=False,
            ),
            (NONE,),
            statuses=(403,),
        ),
    ]
    ids = [case.id for case in cases]
    assert len(set(ids)) == len(ids), "raw case ids must be unique"
    return cases


RAW_CASES: tuple[RawCase, ...] = tuple(_cases())


def exchange(
    host: str, port: int, data: bytes, timeout: float = TIMEOUT, *, half_close: bool = False
) -> list[RawResponse]:
    """Send ``data`` (``{host}`` filled in) on one connection (``half_close``: then shut our sending
    side); read until the server closes (or ``timeout`` without a byte); every complete response
    parsed, in order."""
    data = data.replace(b"{host}", f"{host}:{port}".encode())
    with socket.create_connection((host, port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may close on a request it rejects while we still send
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except (TimeoutError, ConnectionResetError):
            pass
    return parse(b"".join(chunks))


def parse(stream: bytes) -> list[RawResponse]:
    """Every complete HTTP/1.1 response in ``stream`` (Content-Length, chunked or no body)."""
    responses = []
    while stream:
        end = stream.find(b"\r\n\r\n")
        if end < 0:
            break
        head, rest = stream[:end], stream[end + 4 :]
        status_line, *lines = head.split(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        headers = []
        for line in lines:
            name, _, value = line.partition(b":")
            headers.append((name.lower(), value.strip(b" \t")))
        response = RawResponse(status, headers, lines, b"")
        length = response.all("content-length")
        if status < 200 or status in (204, 304):
            body = b""
        elif length:
            body, rest = rest[: int(length[0])], rest[int(length[0]) :]
        elif b"chunked" in b"".join(response.all("transfer-encoding")).lower():
            body, rest = _dechunk(rest)
        else:
            body, rest = rest, b""
        response.body = body
        responses.append(response)
        stream = rest
    return responses


def _dechunk(stream: bytes) -> tuple[bytes, bytes]:
    body = []
    while True:
        size_line, _, stream = stream.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            _, _, stream = stream.partition(b"\r\n")
            return b"".join(body), stream
        body.append(stream[:size])
        stream = stream[size + 2 :]


def assert_safe(responses: list[RawResponse], allowed: Iterable[str] = ALLOWED) -> None:
    """What holds for every answer to any request: see the module's docstring."""
    allowed = frozenset(allowed)
    for response in responses:
        for line in response.lines:
            assert b"\r" not in line and b"\n" not in line and b"\0" not in line, f"bad header line {line!r}"
        for name, value in response.headers:
            assert _TOKEN.fullmatch(name), f"header name {name!r} is not a token"
            assert name not in INJECTED, f"injected header {name!r}: {value!r}"
            if name in _LISTS and value != b"*":
                for item in value.split(b","):
                    assert _TOKEN.fullmatch(item.strip(b" \t")), f"{name.decode()}: {value!r} is not a token list"
        acao = response.acao()
        assert acao is None or acao in allowed, f"Access-Control-Allow-Origin {acao!r} is not an allowed origin"
        if response.all("access-control-allow-credentials"):
            assert acao is not None, "Access-Control-Allow-Credentials without Access-Control-Allow-Origin"


def check_case(case: RawCase, responses: list[RawResponse], allowed: Iterable[str] = ALLOWED) -> None:
    """``assert_safe`` plus the case's own expectations (count, statuses, each answer's ACAO)."""
    assert_safe(responses, allowed)
    if case.exact_count:
        assert len(responses) == len(case.expect), f"{len(responses)} responses for {len(case.expect)} expected"
    else:
        assert len(responses) <= len(case.expect), f"{len(responses)} responses, at most {len(case.expect)}"
    for index, (response, acceptable) in enumerate(zip(responses, case.expect, strict=False)):
        acao = response.acao()
        assert acao in acceptable, f"response #{index} ({response.status}): ACAO {acao!r}, expected one of {acceptable}"
        if index < len(case.statuses) and case.statuses[index] is not None:
            assert response.status == case.statuses[index], f"response #{index}: status {response.status}"


def probe(host: str, port: int) -> None:
    """The server still answers an ordinary allowed request, with the policy's headers."""
    responses = exchange(host, port, request(headers=[("Origin", A)]))
    assert [r.status for r in responses] == [200], "the server no longer answers"
    assert responses[0].acao() == A
    assert responses[0].all("access-control-allow-credentials") == [b"true"]
