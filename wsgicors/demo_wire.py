"""What the demo page shows beside the browser's verdict: what went over the wire, and the engine's reasons.

``Wire`` is the outermost WSGI layer of the demo API: it notes every request the
server received (the headers CORS reads, and the cookie) and the status and
headers it answered with, after the CORS layer; and, while that request runs,
every DEBUG record the engine logs on the ``wsgicors`` logger (why a request was
denied or a header left out: :func:`wsgicors.explain`). The page reads them back
from ``/demo/exchanges``. The engine decides; this only records.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from .digits import ascii_decimal

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["EXCHANGES_PATH", "Wire", "page_app"]

#: Where the page reads the exchanges (served by the API, behind its CORS policy).
EXCHANGES_PATH = "/demo/exchanges"
#: Request headers worth showing (WSGI names): what CORS reads, and the cookie.
_SHOWN = (
    ("Origin", "HTTP_ORIGIN"),
    ("Access-Control-Request-Method", "HTTP_ACCESS_CONTROL_REQUEST_METHOD"),
    ("Access-Control-Request-Headers", "HTTP_ACCESS_CONTROL_REQUEST_HEADERS"),
    ("Content-Type", "CONTENT_TYPE"),
    ("Cookie", "HTTP_COOKIE"),
)
_KEPT = 100  # exchanges remembered (a demo: bounded all the same)


def _sent(environ: WSGIEnvironment, key: str) -> bool:
    # wsgiref fills in CONTENT_TYPE "text/plain" for every request: shown only with a body.
    if key == "CONTENT_TYPE":
        return environ.get("CONTENT_LENGTH", "0") not in ("", "0")
    return bool(environ.get(key))


class Wire(logging.Handler):
    """Records exchanges and the engine's log records, for ``/demo/exchanges``."""

    def __init__(self, app: WSGIApplication) -> None:
        super().__init__(level=logging.DEBUG)
        self.app = app
        self._exchanges: deque[dict[str, Any]] = deque(maxlen=_KEPT)
        self._seq = itertools.count(1)
        self._lock = threading.Lock()
        self._current = threading.local()
        self._logger = logging.getLogger("wsgicors")
        self._level = self._logger.level

    def attach(self) -> None:
        """Listen to the engine's DEBUG records (the middleware logs only when DEBUG is on)."""
        self._logger.addHandler(self)
        if not self._logger.isEnabledFor(logging.DEBUG):
            self._logger.setLevel(logging.DEBUG)

    def detach(self) -> None:
        self._logger.removeHandler(self)
        self._logger.setLevel(self._level)

    def emit(self, record: logging.LogRecord) -> None:
        exchange = getattr(self._current, "exchange", None)
        if exchange is not None:
            exchange["engine"].append(record.getMessage())

    def since(self, after: int) -> list[dict[str, Any]]:
        """The exchanges recorded after sequence number ``after``, oldest first."""
        with self._lock:
            return [e for e in self._exchanges if e["seq"] > after]

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == EXCHANGES_PATH:  # the page's own reads are not shown
            return self.app(environ, start_response)
        exchange: dict[str, Any] = {
            "method": environ.get("REQUEST_METHOD", ""),
            "path": environ.get("PATH_INFO", ""),
            "request_headers": [[name, environ[key]] for name, key in _SHOWN if _sent(environ, key)],
            "status": "",
            "response_headers": [],
            "engine": [],
        }

        def recording_start_response(
            status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None
        ) -> Callable[[bytes], object]:
            exchange["status"] = status
            exchange["response_headers"] = [[name, value] for name, value in headers]
            return start_response(status, headers, exc_info)

        self._current.exchange = exchange
        try:
            result = self.app(environ, recording_start_response)
            try:
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        finally:
            self._current.exchange = None
            with self._lock:
                exchange["seq"] = next(self._seq)
                self._exchanges.append(exchange)
        return [body]

    def exchanges_view(self, environ: WSGIEnvironment) -> bytes:
        """The JSON body of ``/demo/exchanges?after=N``."""
        query = parse_qs(environ.get("QUERY_STRING", ""))
        after = query.get("after", ["0"])[0]
        return json.dumps(self.since(ascii_decimal(after) or 0)).encode()


def page_app(api_origin: str) -> WSGIApplication:
    """The demo page (``/``), served from a second origin; it calls ``api_origin``."""
    template = resources.files("wsgicors").joinpath("demo_page.html").read_text(encoding="utf-8")
    page = template.replace("__API_ORIGIN__", api_origin).encode()

    def serve(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != "/":
            start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
            return [b"not found"]
        headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))]
        start_response("200 OK", [*headers, ("Cache-Control", "no-store")])
        return [page]

    return serve
