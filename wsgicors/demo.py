"""The demo: a small JSON API behind CORSMiddleware, and a page on a second origin that calls it.

Run ``python3 -m wsgicors.demo [PORT]``. The API listens on 127.0.0.1:PORT
(default 8000), the page on 127.0.0.1:PORT+1 (both on free ports with 0). Open
the page in a browser: it makes cross-origin requests to the API and shows, for
each, what the browser decided, what went over the wire (``demo_wire``), and the
engine's reason for a denial. curl works too: the command prints examples.
"""

from __future__ import annotations

import errno
import json
import logging
import secrets
import sys
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from ._version import banner
from .clash import warn_if_clashing
from .demo_wire import EXCHANGES_PATH, Wire, page_app
from .digits import ascii_decimal
from .middleware import CORSMiddleware

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["ADMIN", "ALLOWED", "api", "main", "make_app"]

#: The origins the demo API allows (the page's origin is added when it is served).
ALLOWED = ["http://localhost:3000", "https://*.example.com"]
#: The only origin allowed to read ``/api/admin`` (a route of its own).
ADMIN = "https://admin.example.com"
_MAX_BODY = 64 * 1024


def _read_json(environ: WSGIEnvironment) -> object:
    """The request body, parsed as JSON when it is JSON (the demo echoes it)."""
    length = environ.get("CONTENT_LENGTH") or "0"
    size = ascii_decimal(length, cap=_MAX_BODY) or 0
    raw = environ["wsgi.input"].read(size) if size else b""
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")


def _session(environ: WSGIEnvironment) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """``/api/session``: the cookie the browser sent, and a new one when it sent none."""
    cookies = dict(part.strip().partition("=")[::2] for part in environ.get("HTTP_COOKIE", "").split(";") if part)
    received = cookies.get("demo_session")
    if received:
        return {"cookie_received": received}, []
    token = secrets.token_hex(4)
    cookie = f"demo_session={token}; Path=/; SameSite=Lax; HttpOnly"
    return {"cookie_received": None, "cookie_set": token}, [("Set-Cookie", cookie)]


def api(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """A tiny API: /api/hello (GET; PUT and POST echo their JSON), /api/admin, /api/session; else a JSON 404."""
    path = environ.get("PATH_INFO", "/")
    method = environ["REQUEST_METHOD"]
    extra: list[tuple[str, str]] = []
    payload: dict[str, object]
    status = "200 OK"
    if path == "/api/hello":
        payload = {"hello": "world", "method": method}
        if method in ("PUT", "POST"):
            payload["received"] = _read_json(environ)
    elif path == "/api/admin":
        payload = {"admin": f"only {ADMIN} may read this"}
    elif path == "/api/session":
        payload, extra = _session(environ)
    else:
        status, payload = "404 Not Found", {"error": "not found", "path": path}
    body = json.dumps(payload).encode()
    start_response(
        status,
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("X-Request-Id", "demo-1"),
            *extra,
        ],
    )
    return [body]


def _with_exchanges(app: WSGIApplication, exchanges: Callable[[WSGIEnvironment], bytes]) -> WSGIApplication:
    """The API plus ``/demo/exchanges`` (what the page shows), behind the same CORS policy."""

    def demo_api(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != EXCHANGES_PATH:
            return app(environ, start_response)
        body = exchanges(environ)
        start_response(
            "200 OK",
            [("Content-Type", "application/json"), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")],
        )
        return [body]

    return demo_api


def make_app(
    page_origin: str | None = None, exchanges: Callable[[WSGIEnvironment], bytes] | None = None
) -> WSGIApplication:
    """The demo API wrapped with a typical policy (plus the demo page's origin, when given)."""
    inner = api if exchanges is None else _with_exchanges(api, exchanges)
    return CORSMiddleware(
        inner,
        origins=[*ALLOWED, page_origin] if page_origin else ALLOWED,
        credentials=True,
        methods=["GET", "POST", "PUT", "DELETE"],
        headers=["Content-Type", "Authorization"],
        exposed_headers=["X-Request-Id"],
        max_age=600,
        routes=[{"paths": ["/api/admin"], "origins": [ADMIN]}, {"paths": ["/"]}],
    )


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write("%s\n" % (format % args))


def _bind(port: int, what: str, api_port: int) -> WSGIServer:
    """A server on 127.0.0.1:port, or one line naming the busy port and exit status 1."""
    try:
        return make_server("127.0.0.1", port, api, handler_class=_QuietHandler)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            reason = "is in use"
        elif error.errno == errno.EACCES:
            reason = "needs privileges"
        else:
            reason = f"cannot be opened ({error.strerror})"
        other = 8080 if api_port != 8080 else 8090
        print(
            f"wsgicors.demo: port {port} on 127.0.0.1 ({what}) {reason}: pick another port, "
            f"e.g. python -m wsgicors.demo {other} (the page takes the next one), or 0 for free ports",
            file=sys.stderr,
        )
        raise SystemExit(1) from None


def _usage(args: list[str]) -> int:
    port = ascii_decimal(args[0]) if len(args) == 1 else None
    if len(args) > 1 or (args and (port is None or port > 65534)):
        print(f"usage: python -m wsgicors.demo [port]   (a number 0-65534; got {' '.join(args)!r})", file=sys.stderr)
        raise SystemExit(2)
    return port if port is not None else 8000


def main(argv: list[str] | None = None) -> None:
    """Serve the API on 127.0.0.1:PORT and the page on PORT+1 (argv: the port; default 8000; 0: free ports)."""
    args = sys.argv[1:] if argv is None else argv
    print(banner("wsgicors.demo"), flush=True)
    warn_if_clashing()
    port = _usage(args)
    api_server = _bind(port, "the demo API", port)
    try:
        page_server = _bind(port + 1 if port else 0, "the demo page", port)
    except SystemExit:
        api_server.server_close()
        raise
    api_origin = f"http://127.0.0.1:{api_server.server_port}"
    page_origin = f"http://127.0.0.1:{page_server.server_port}"
    wire = Wire(make_app(page_origin, lambda environ: wire.exchanges_view(environ)))
    api_server.set_app(wire)
    page_server.set_app(page_app(api_origin))
    logging.basicConfig(level=logging.DEBUG, format="%(name)s %(levelname)s %(message)s")
    wire.attach()
    url = f"{api_origin}/api/hello"
    print(f"Serving the demo API on {url} (Ctrl-C stops it).")
    print(f"Allowed origins: {', '.join(ALLOWED)}, {page_origin} (the demo page); /api/admin: {ADMIN} only.")
    print(f"Open {page_origin}/ in a browser to watch its cross-origin requests. Or try:\n")
    print(f"  curl -i -X OPTIONS {url} -H 'Origin: http://localhost:3000' \\")
    print("       -H 'Access-Control-Request-Method: PUT' -H 'Access-Control-Request-Headers: content-type'")
    print(f"  curl -i {url} -H 'Origin: https://app.example.com'")
    print(f"  curl -i {url} -H 'Origin: https://evil.example.org'   # denied: see the DEBUG log\n", flush=True)
    page_thread = threading.Thread(target=page_server.serve_forever, name="demo-page", daemon=True)
    page_thread.start()
    try:
        api_server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        page_server.shutdown()
        page_thread.join(5)
        page_server.server_close()
        api_server.server_close()
        wire.detach()


if __name__ == "__main__":
    main()
