"""Sending one request over the network and reading the answer, against hostile servers too.

A small HTTP/1.1 client of its own (sockets and ``ssl``) so that the whole
exchange has one deadline (a server dripping a byte a second cannot stretch
it), headers are read byte for byte (CR, LF, NUL inside values are kept for the
report, not reinterpreted), and sizes are capped like Chromium's (256 KiB of
headers). Failures become ``TransportError`` with Chromium's ``net::`` name.
"""

from __future__ import annotations

import re
import socket
import ssl
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from ..digits import ascii_decimal, ascii_hex
from .checks import Response
from .request import Url

if TYPE_CHECKING:
    from .deadline import Deadline

__all__ = [
    "MAX_BODY",
    "MAX_HEAD",
    "READ_SIZE",
    "NetworkTransport",
    "Transport",
    "TransportError",
    "parse_head",
    "read_answer",
]

MAX_HEAD = 256 * 1024  # Chromium: ERR_RESPONSE_HEADERS_TOO_BIG beyond this
MAX_BODY = 1024 * 1024  # the doctor reads no more of a body (it needs none to judge)
READ_SIZE = 65536  # one recv(): the most the buffer holds beyond what was asked for
_NO_BODY_STATUSES = frozenset({204, 304})
_VERSION = re.compile(r"HTTP/1\.[0-9]")
_TIMED_OUT = frozenset({"ERR_TIMED_OUT", "ERR_CONNECTION_TIMED_OUT"})


class TransportError(Exception):
    """No HTTP answer to judge: ``net_error`` is Chromium's name for it (``ERR_CONNECTION_REFUSED``...)."""

    def __init__(self, net_error: str, detail: str) -> None:
        super().__init__(f"net::{net_error}: {detail}")
        self.net_error = net_error
        self.detail = detail


class Transport(Protocol):
    """Something that answers one request: the network, or a WSGI app in-process."""

    def send(self, method: str, url: Url, headers: Sequence[tuple[str, str]], body: bytes | None) -> Response: ...


def parse_head(head: bytes) -> tuple[int, str, list[tuple[str, str]]]:
    """Status line and header lines (bytes read as Latin-1, obs-fold joined, values OWS-trimmed)."""
    lines = [line.removesuffix(b"\r").decode("latin-1") for line in head.split(b"\n")]
    parts = lines[0].split(" ", 2)
    status = ascii_decimal(parts[1]) if len(parts) > 1 and len(parts[1]) == 3 else None
    if status is None or status < 100 or _VERSION.fullmatch(parts[0]) is None:
        raise TransportError("ERR_INVALID_HTTP_RESPONSE", f"not an HTTP/1.x status line: {lines[0][:80]!r}")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line:
            continue
        if line[0] in " \t" and headers:  # obs-fold: a continuation of the previous value
            name, value = headers[-1]
            headers[-1] = (name, (value + " " + line.strip(" \t")).strip(" \t"))
            continue
        name, sep, value = line.partition(":")
        if sep and name and name == name.strip(" \t"):
            headers.append((name, value.strip(" \t")))
    return status, parts[2] if len(parts) > 2 else "", headers


class _Reader:
    """Reads from a socket against one deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock = sock
        self.deadline = deadline
        self.buffer = b""
        self.received = 0  # bytes read off the socket in all

    def fill(self) -> bool:
        """Read more into the buffer (at most ``READ_SIZE`` bytes); False at end of stream."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TransportError("ERR_TIMED_OUT", "no complete answer within the timeout")
        self.sock.settimeout(remaining)
        data = self.sock.recv(READ_SIZE)
        self.buffer += data
        self.received += len(data)
        return bool(data)

    def head(self) -> bytes:
        while True:
            ends = [(end, marker) for marker in (b"\r\n\r\n", b"\n\n") if (end := self.buffer.find(marker)) >= 0]
            if ends:
                end, marker = min(ends)
                if end > MAX_HEAD:  # however the bytes were chunked on the way
                    raise TransportError("ERR_RESPONSE_HEADERS_TOO_BIG", f"more than {MAX_HEAD} bytes of headers")
                head, self.buffer = self.buffer[:end], self.buffer[end + len(marker) :]
                return head
            if len(self.buffer) > MAX_HEAD:
                raise TransportError("ERR_RESPONSE_HEADERS_TOO_BIG", f"more than {MAX_HEAD} bytes of headers")
            if not self.fill():
                if not self.buffer:
                    raise TransportError("ERR_EMPTY_RESPONSE", "the server closed the connection without answering")
                raise TransportError("ERR_INVALID_HTTP_RESPONSE", "the server closed the connection inside the headers")

    def exactly(self, size: int, error: str) -> bytes:
        while len(self.buffer) < size:
            if not self.fill():
                raise TransportError(error, "the server closed the connection before the end of the body")
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def line(self) -> bytes:
        while b"\n" not in self.buffer:
            if len(self.buffer) > 4096 or not self.fill():
                raise TransportError("ERR_INCOMPLETE_CHUNKED_ENCODING", "a chunk size line is missing")
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.strip()


def _chunked(reader: _Reader) -> bytes:
    """A chunked body, read up to ``MAX_BODY`` and no further, also inside one huge chunk."""
    body = b""
    while len(body) < MAX_BODY:
        size_text = reader.line().split(b";", 1)[0].strip(b" \t")
        size = ascii_hex(size_text, cap=MAX_BODY + 1)  # anything over the cap reads as just over it
        if size is None:
            raise TransportError("ERR_INVALID_CHUNKED_ENCODING", f"bad chunk size {size_text[:20]!r}")
        if size == 0:
            return body
        wanted = min(size, MAX_BODY - len(body))
        body += reader.exactly(wanted, "ERR_INCOMPLETE_CHUNKED_ENCODING")
        if wanted < size:
            break  # the cap is reached inside this chunk: the rest is never read
        reader.line()
    return body


def _body(reader: _Reader, method: str, status: int, headers: list[tuple[str, str]]) -> bytes:
    if method == "HEAD" or status in _NO_BODY_STATUSES or 100 <= status < 200:
        return b""
    fields = {name.lower(): value for name, value in headers}
    if "chunked" in fields.get("transfer-encoding", "").lower():
        return _chunked(reader)
    lengths = {value.strip() for name, value in headers if name.lower() == "content-length"}
    if len(lengths) > 1:
        raise TransportError("ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH", f"Content-Length {sorted(lengths)}")
    if lengths:
        text = lengths.pop()
        length = ascii_decimal(text, cap=MAX_BODY)
        if length is None:
            raise TransportError("ERR_INVALID_HTTP_RESPONSE", f"Content-Length {text[:20]!r} is not a number")
        return reader.exactly(length, "ERR_CONTENT_LENGTH_MISMATCH")
    while len(reader.buffer) < MAX_BODY and reader.fill():
        pass
    return reader.buffer[:MAX_BODY]


def _resolve(host: str, port: int, deadline: float) -> list[tuple[socket.AddressFamily, tuple[str, int]]]:
    """getaddrinfo in a daemon thread, so a stuck resolver cannot outlive the deadline."""
    found: list[tuple[socket.AddressFamily, tuple[str, int]]] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            for family, _, _, _, address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
                found.append((family, (str(address[0]), int(address[1]))))
        except BaseException as exc:  # handed to the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=run, name="cors-doctor-dns", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if worker.is_alive():
        raise TransportError("ERR_TIMED_OUT", f"resolving {host!r} took longer than the timeout")
    if failure or not found:
        raise TransportError("ERR_NAME_NOT_RESOLVED", f"{host!r} does not resolve ({failure[0] if failure else ''})")
    return found


def _connect(url: Url, deadline: float) -> socket.socket:
    last: OSError | None = None
    for family, address in _resolve(url.host, url.port, deadline):
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(max(0.001, deadline - time.monotonic()))
            sock.connect(address)
            return sock
        except OSError as exc:
            sock.close()
            last = exc
    if isinstance(last, TimeoutError):
        raise TransportError("ERR_CONNECTION_TIMED_OUT", f"connecting to {url.host}:{url.port} timed out")
    if isinstance(last, ConnectionRefusedError):
        raise TransportError("ERR_CONNECTION_REFUSED", f"nothing listens on {url.host}:{url.port}")
    raise TransportError("ERR_ADDRESS_UNREACHABLE", f"{url.host}:{url.port}: {last}")


def _request_bytes(method: str, url: Url, headers: Sequence[tuple[str, str]], body: bytes | None) -> bytes:
    default = 443 if url.scheme == "https" else 80
    host = f"[{url.host}]" if ":" in url.host else url.host
    lines = [f"{method} {url.target} HTTP/1.1", f"Host: {host}" + ("" if url.port == default else f":{url.port}")]
    lines += [f"{name}: {value}" for name, value in headers]
    if body is not None:
        lines.append(f"Content-Length: {len(body)}")
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace") + (body or b"")


class NetworkTransport:
    """Real HTTP(S): one connection per request, ``timeout`` seconds for all of it (less if ``deadline`` is near)."""

    def __init__(
        self, timeout: float = 10.0, context: ssl.SSLContext | None = None, deadline: Deadline | None = None
    ) -> None:
        self.timeout = timeout
        self.context = context
        self.deadline = deadline

    def send(self, method: str, url: Url, headers: Sequence[tuple[str, str]], body: bytes | None) -> Response:
        seconds, by_deadline = (
            self.deadline.window(self.timeout, method, url, headers) if self.deadline else (self.timeout, False)
        )
        try:
            return self._send(method, url, headers, body, time.monotonic() + seconds)
        except TransportError as exc:
            if by_deadline and exc.net_error in _TIMED_OUT and self.deadline is not None:
                raise self.deadline.exceeded(method, url, headers) from None
            raise

    def _send(
        self, method: str, url: Url, headers: Sequence[tuple[str, str]], body: bytes | None, deadline: float
    ) -> Response:
        try:
            return self._exchange(method, url, headers, body, deadline)
        except TransportError:
            raise
        except ssl.SSLCertVerificationError as exc:
            raise TransportError(
                "ERR_CERT_AUTHORITY_INVALID", f"TLS certificate refused: {exc.verify_message}"
            ) from None
        except ssl.SSLError as exc:
            raise TransportError("ERR_SSL_PROTOCOL_ERROR", f"TLS failed: {exc.reason or exc}") from None
        except TimeoutError:
            raise TransportError("ERR_TIMED_OUT", "no complete answer within the timeout") from None
        except ConnectionResetError:
            raise TransportError("ERR_CONNECTION_RESET", "the server reset the connection") from None
        except OSError as exc:
            raise TransportError("ERR_FAILED", f"{type(exc).__name__}: {exc}") from None
        except ValueError as exc:  # UnicodeError included: a host the resolver or TLS cannot encode
            raise TransportError("ERR_FAILED", f"{type(exc).__name__}: {exc}") from None

    def _exchange(
        self, method: str, url: Url, headers: Sequence[tuple[str, str]], body: bytes | None, deadline: float
    ) -> Response:
        sock = _connect(url, deadline)
        try:
            if url.scheme == "https":
                context = self.context or ssl.create_default_context()
                sock.settimeout(max(0.001, deadline - time.monotonic()))
                sock = context.wrap_socket(sock, server_hostname=url.host)
            sock.settimeout(max(0.001, deadline - time.monotonic()))
            sock.sendall(_request_bytes(method, url, headers, body))
            return read_answer(sock, method, deadline)
        finally:
            sock.close()


def read_answer(sock: socket.socket, method: str, deadline: float) -> Response:
    """The answer on ``sock`` (interim 1xx skipped), by ``deadline``; ``TransportError`` if it is malformed."""
    reader = _Reader(sock, deadline)
    while True:
        status, reason, fields = parse_head(reader.head())
        if status >= 200 or status == 101:
            break  # 1xx interim answers (100 Continue, 103 Early Hints) are skipped
    return Response(status, reason, fields, _body(reader, method, status, fields))
