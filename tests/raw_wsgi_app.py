"""The WSGI door with ``tests.rawhttp.RAW_POLICY`` around a hello app: what gunicorn and waitress serve
to the raw-socket corpus (``tests/core/test_raw_sockets_wsgi.py``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from wsgicors import CORSMiddleware

from .rawhttp import RAW_POLICY

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

BODY = b"hello from the app"


def hello(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """Reads the request body (so a pipelined next request is framed right), answers 200 text."""
    length = environ.get("CONTENT_LENGTH") or ""
    if length.isdigit():
        environ["wsgi.input"].read(int(length))
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))])
    return [BODY]


def make_app() -> WSGIApplication:
    return CORSMiddleware(hello, **RAW_POLICY)


app = make_app()
