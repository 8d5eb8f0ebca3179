"""Real HTTP servers for the browser suite: threaded wsgiref on 127.0.0.x, ephemeral ports.

``Recorder`` wraps the door-wrapped app from the outside and notes every
request the server received and the status and headers it answered with;
``RunningServer`` is the handle a fixture stops in its teardown.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["Exchange", "Recorder", "RunningServer", "page_app", "start_server"]

#: Request headers worth recording (lower-case HTTP names).
RECORDED_REQUEST_HEADERS = (
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
    "cookie",
    "content-type",
    "x-custom",
)


@dataclass
class Exchange:
    """One request the server received and what it answered."""

    method: str
    path: str
    request_headers: dict[str, str]
    status: int = 0
    response_headers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def origin(self) -> str | None:
        return self.request_headers.get("origin")

    def response_header(self, name: str) -> str | None:
        """The response header's value (several joined by ', '), or None."""
        values = [v for k, v in self.response_headers if k.lower() == name.lower()]
        return ", ".join(values) if values else None


class Recorder:
    """Outermost WSGI layer: records what reached the server, and the answer."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        headers = {}
        for name in RECORDED_REQUEST_HEADERS:
            key = "CONTENT_TYPE" if name == "content-type" else "HTTP_" + name.upper().replace("-", "_")
            value = environ.get(key)
            if value:
                headers[name] = value
        exchange = Exchange(environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), headers)
        with self._lock:
            self.exchanges.append(exchange)

        def recording_start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            exchange.status = int(status.split(" ", 1)[0])
            exchange.response_headers = list(response_headers)
            return start_response(status, response_headers, exc_info)

        try:
            return self.app(environ, recording_start_response)
        except Exception:
            # The exception reaches the server, which answers with its own error
            # page (wsgiref: 500, text/plain, no CORS header): record that answer.
            exchange.status = 500
            exchange.response_headers = [("Content-Type", "text/plain"), ("X-Recorded", "server error page")]
            raise


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class RunningServer:
    """A server thread; ``stop()`` shuts it down and joins the thread."""

    def __init__(self, host: str, app: WSGIApplication) -> None:
        self.server = make_server(host, 0, app, server_class=_ThreadingServer, handler_class=_QuietHandler)
        self.host = host
        self.port: int = self.server.server_port
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"http-{host}:{self.port}"
        )
        self.thread.daemon = True
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def start_server(host: str, app: WSGIApplication) -> RunningServer:
    return RunningServer(host, app)


PAGE = b"<!doctype html><html><head><meta charset=utf-8><title>cors page</title></head><body></body></html>"


def page_app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """The page origin: an empty HTML page on every path (no favicon)."""
    if environ.get("PATH_INFO") == "/favicon.ico":
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "0")])
        return []
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(PAGE)))])
    return [PAGE]
