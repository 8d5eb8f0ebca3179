"""A small JSON API behind CORSMiddleware, served on 127.0.0.1 for curl.

Run ``python3 -m wsgicors.demo [port]`` and follow the printed curl commands.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING
from wsgiref.simple_server import WSGIRequestHandler, make_server

from ._version import banner
from .clash import warn_if_clashing
from .middleware import CORSMiddleware

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["api", "make_app", "main"]

ALLOWED = ["http://localhost:3000", "https://*.example.com"]


def api(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """A tiny API: GET /api/hello answers JSON, anything else is a JSON 404."""
    path = environ.get("PATH_INFO", "/")
    if path == "/api/hello":
        status, payload = "200 OK", {"hello": "world", "method": environ["REQUEST_METHOD"]}
    else:
        status, payload = "404 Not Found", {"error": "not found", "path": path}
    body = json.dumps(payload).encode()
    start_response(
        status,
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("X-Request-Id", "demo-1"),
        ],
    )
    return [body]


def make_app() -> WSGIApplication:
    """The demo API wrapped with a typical policy."""
    return CORSMiddleware(
        api,
        origins=ALLOWED,
        credentials=True,
        methods=["GET", "POST", "PUT", "DELETE"],
        headers=["Content-Type", "Authorization"],
        exposed_headers=["X-Request-Id"],
        max_age=600,
    )


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write("%s\n" % (format % args))


def main(argv: list[str] | None = None) -> None:
    """Serve the demo on 127.0.0.1 (port from argv, default 8000; 0 picks a free one)."""
    args = sys.argv[1:] if argv is None else argv
    print(banner("wsgicors.demo"), flush=True)
    warn_if_clashing()
    if len(args) > 1 or (args and not (args[0].isdigit() and int(args[0]) <= 65535)):
        print(f"usage: python -m wsgicors.demo [port]   (a number 0-65535; got {' '.join(args)!r})", file=sys.stderr)
        raise SystemExit(2)
    port = int(args[0]) if args else 8000
    logging.basicConfig(level=logging.DEBUG, format="%(name)s %(levelname)s %(message)s")
    with make_server("127.0.0.1", port, make_app(), handler_class=_QuietHandler) as server:
        url = f"http://127.0.0.1:{server.server_port}/api/hello"
        print(f"Serving the demo API on {url} (Ctrl-C stops it). Try:\n")
        print(f"  curl -i -X OPTIONS {url} -H 'Origin: http://localhost:3000' \\")
        print("       -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type'")
        print(f"  curl -i {url} -H 'Origin: https://app.example.com'")
        print(
            f"  curl -i {url} -H 'Origin: https://evil.example.org'   # denied: see the DEBUG log\n",
            flush=True,
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
