"""The in-process transport: a WSGI application called like a server would, no socket opened.

The URL's scheme, host and path become the environ (PEP 3333); an exception
that escapes the app becomes what a server answers (its own 500, without any
CORS header). The app runs in a worker thread so ``--timeout`` bounds it too.
"""

from __future__ import annotations

import importlib
import io
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_to_bytes

from ..digits import ascii_decimal
from .checks import Response
from .engine_log import capture_engine_log
from .request import Url, UsageError, is_token
from .transport import MAX_BODY, TransportError

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication, WSGIEnvironment

    from .deadline import Deadline

__all__ = ["WsgiTransport", "load_app", "make_environ"]

_SERVER_ERROR = b"A server error occurred.  Please contact the administrator."


def load_app(spec: str) -> Any:
    """``module:attr`` (``attr`` may be dotted, or end in ``()`` to call a factory) -> the app (WSGI or ASGI)."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise UsageError(f"--app {spec!r}: expected module:attr (e.g. myproject.wsgi:application)")
    if "" not in sys.path and "." not in sys.path:
        sys.path.insert(0, "")  # like `python -m`: the current directory's modules are importable
    call = attr.endswith("()")
    try:
        target: Any = importlib.import_module(module_name)
        for part in attr.removesuffix("()").split("."):
            target = getattr(target, part)
        if call:
            target = target()
    except Exception as exc:
        raise UsageError(f"--app {spec!r} cannot be loaded: {type(exc).__name__}: {exc}") from None
    if not callable(target):
        raise UsageError(f"--app {spec!r} is not callable (a WSGI or ASGI application is)")
    return target


def make_environ(method: str, url: Url, headers: Sequence[tuple[str, str]], body: bytes | None) -> WSGIEnvironment:
    """The WSGI environ a server would build for this request."""
    default = 443 if url.scheme == "https" else 80
    path, _, query = url.target.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": url.host,
        "SERVER_PORT": str(url.port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": url.host if url.port == default else f"{url.host}:{url.port}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": url.scheme,
        "wsgi.input": io.BytesIO(body or b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if body is not None:
        environ["CONTENT_LENGTH"] = str(len(body))
    for name, value in headers:
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            environ[key] = value
            continue
        key = "HTTP_" + key
        environ[key] = f"{environ[key]}, {value}" if key in environ else value
    return environ


class _Call:
    """One call of the app, as a server makes it: start_response, the body, close()."""

    def __init__(self, app: WSGIApplication, environ: WSGIEnvironment) -> None:
        self.app = app
        self.environ = environ
        self.status: object = ""
        self.headers: object = []
        self.body = b""
        self.raised: BaseException | None = None
        self.engine: list[str] = []

    def start_response(
        self, status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], object]:
        if exc_info is not None and self.body:
            raise exc_info[1].with_traceback(exc_info[2])  # PEP 3333: headers already sent
        self.status, self.headers = status, headers  # checked once the app is done (_status, _fields)
        return self._write

    def _write(self, data: bytes) -> None:
        if not isinstance(data, bytes):
            raise TypeError(f"the app wrote a {type(data).__name__}, not bytes (PEP 3333)")
        self.body += data[: MAX_BODY - len(self.body)]

    def run(self) -> None:
        with capture_engine_log() as messages:
            try:
                result: Iterable[bytes] = self.app(self.environ, self.start_response)
                try:
                    for chunk in result:
                        self._write(chunk)
                        if len(self.body) >= MAX_BODY:
                            break
                finally:
                    close = getattr(result, "close", None)
                    if close is not None:
                        close()
            except BaseException as exc:  # handed to the caller's thread, reported
                self.raised = exc
            self.engine = list(messages)


def _status(status: object) -> tuple[int, str]:
    """PEP 3333: a native string ``'NNN reason'``; the code in ASCII digits (``'2²0'`` is not a status)."""
    if not isinstance(status, str) or not status:
        what = "did not call start_response" if status == "" else f"gave the status {status!r}, not a str"
        raise TransportError("ERR_INVALID_HTTP_RESPONSE", f"the app {what} (PEP 3333)")
    code, sep, reason = status.partition(" ")
    number = ascii_decimal(code) if len(code) == 3 else None
    if number is None or number < 100 or not sep or any(ch in status for ch in "\r\n\x00"):
        raise TransportError("ERR_INVALID_HTTP_RESPONSE", f"the app's status {status[:80]!r} is not 'NNN reason'")
    return number, reason


def _fields(headers: object) -> list[tuple[str, str]]:
    """PEP 3333: a list of (str, str), names tokens, values without CR or LF; as read off the wire, a
    value's leading and trailing whitespace is not part of it (RFC 9110 5.5)."""
    if not isinstance(headers, list):
        raise TransportError(
            "ERR_INVALID_HTTP_RESPONSE", f"the app's headers are a {type(headers).__name__}, not a list"
        )
    fields = []
    for item in headers:
        if not (isinstance(item, tuple) and len(item) == 2 and all(isinstance(part, str) for part in item)):
            raise TransportError("ERR_INVALID_HTTP_RESPONSE", f"the app's header {item!r:.80} is not a (str, str) pair")
        name, value = item
        if not is_token(name) or any(ch in value for ch in "\r\n"):
            raise TransportError("ERR_INVALID_HTTP_RESPONSE", f"the app's header {item!r:.80} cannot be sent")
        fields.append((name, value.strip(" \t")))
    return fields


class WsgiTransport:
    """Calls ``app`` in-process for every request; ``timeout`` seconds per call (less if ``deadline`` is near)."""

    def __init__(self, app: WSGIApplication, timeout: float = 10.0, deadline: Deadline | None = None) -> None:
        self.app = app
        self.timeout = timeout
        self.deadline = deadline

    def send(self, method: str, url: Url, headers: Sequence[tuple[str, str]], body: bytes | None) -> Response:
        seconds, by_deadline = (
            self.deadline.window(self.timeout, method, url, headers) if self.deadline else (self.timeout, False)
        )
        call = _Call(self.app, make_environ(method, url, headers, body))
        worker = threading.Thread(target=call.run, name="cors-doctor-app", daemon=True)
        worker.start()
        worker.join(seconds)
        if worker.is_alive():
            if by_deadline and self.deadline is not None:
                raise self.deadline.exceeded(method, url, headers)
            raise TransportError("ERR_TIMED_OUT", f"the app did not answer within {self.timeout:g} s")
        if call.raised is not None and (not call.status or not call.body):
            # What a WSGI server (wsgiref, gunicorn) sends: its own 500, no CORS header.
            note = f"the app raised {type(call.raised).__name__}: {call.raised}; the server answers its own 500"
            headers_out = [("Content-Type", "text/plain"), ("Content-Length", str(len(_SERVER_ERROR)))]
            return Response(500, "Internal Server Error", headers_out, _SERVER_ERROR, [note], call.engine)
        if call.raised is not None:
            raise TransportError(
                "ERR_CONNECTION_CLOSED", f"the app raised while sending the body: {call.raised!r:.200}"
            )
        status, reason = _status(call.status)
        return Response(status, reason, _fields(call.headers), call.body, [], call.engine)
