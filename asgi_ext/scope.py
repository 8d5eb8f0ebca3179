"""An ASGI scope read once into the WSGI-environ-like mapping the engine's ``decide`` reads.

The engine reads REQUEST_METHOD, PATH_INFO, HTTP_HOST (or SERVER_NAME), HTTP_ORIGIN
and the HTTP_ACCESS_CONTROL_REQUEST_* keys; only those are translated, as a WSGI
server would present them (PEP 3333): header values decoded as latin-1, a repeated
header joined with ',' (so two Origin lines are not one serialised origin and are
never allowed), PATH_INFO the path the app sees (``path`` less ``root_path``) as
latin-1-decoded UTF-8. A policy with a callable origin check gets the full
translation (:func:`full_environ`), since such a check may read any header.
"""

from __future__ import annotations

from typing import Any

from .types import Scope

__all__ = ["WANTED", "environ_of", "full_environ", "route_path", "same_origin"]

#: Request header (as ASGI spells it: lower case bytes) -> the environ key the engine reads.
WANTED: dict[bytes, str] = {
    b"origin": "HTTP_ORIGIN",
    b"host": "HTTP_HOST",
    b"access-control-request-method": "HTTP_ACCESS_CONTROL_REQUEST_METHOD",
    b"access-control-request-headers": "HTTP_ACCESS_CONTROL_REQUEST_HEADERS",
    b"access-control-request-private-network": "HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK",
}

_wanted = WANTED.get
_DEFAULT_PORTS = {"http": ":80", "ws": ":80", "https": ":443", "wss": ":443"}


def route_path(scope: Scope) -> str:
    """The path the app routes on: ``path`` less ``root_path`` (as Starlette's ``get_route_path``),
    in PEP 3333's form (UTF-8 bytes decoded as latin-1), so routes match as under the WSGI door."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        if path == root:
            path = ""
        elif path[len(root)] == "/":
            path = path[len(root) :]
    if not path.isascii():
        path = path.encode("utf-8", "surrogatepass").decode("latin-1")
    return path


def environ_of(scope: Scope, method: str) -> dict[str, Any]:
    """The engine's inputs for one request or handshake (``method``: "GET" for a websocket)."""
    path: str = scope["path"]
    if scope.get("root_path") or not path.isascii():
        path = route_path(scope)
    environ: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": path}
    for name, value in scope["headers"]:
        key = _wanted(name)
        if key is not None:
            if key in environ:  # a repeated header, joined as WSGI servers join it
                environ[key] += "," + value.decode("latin-1")
            else:
                environ[key] = value.decode("latin-1")
    if "HTTP_HOST" not in environ:
        server = scope.get("server")
        if server:
            environ["SERVER_NAME"] = str(server[0])
    return environ


def full_environ(scope: Scope, method: str) -> dict[str, Any]:
    """Every request header as ``HTTP_*`` and the CGI keys a WSGI server sets, plus ``asgi.scope``:
    what a callable origin check written for the WSGI door may read."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": scope.get("root_path", "").encode("utf-8", "surrogatepass").decode("latin-1"),
        "PATH_INFO": route_path(scope),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_PROTOCOL": "HTTP/" + scope.get("http_version", "1.1"),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "asgi.scope": scope,
    }
    server = scope.get("server")
    if server:
        environ["SERVER_NAME"] = str(server[0])
        environ["SERVER_PORT"] = str(server[1]) if server[1] is not None else ""
    client = scope.get("client")
    if client:
        environ["REMOTE_ADDR"] = str(client[0])
    for name, value in scope["headers"]:
        text = name.decode("latin-1").upper().replace("-", "_")
        key = text if text in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + text
        if key in environ:
            environ[key] += "," + value.decode("latin-1")
        else:
            environ[key] = value.decode("latin-1")
    return environ


def same_origin(origin: str, host: str | None) -> bool:
    """Is ``origin``'s host[:port] the ``Host`` the request came to (a default port written or not)?"""
    scheme, sep, authority = origin.partition("://")
    if not sep or not host:
        return False
    authority = authority.lower()
    host = host.lower()
    if authority == host:
        return True
    default = _DEFAULT_PORTS.get(scheme.lower())
    return default is not None and "/" not in authority and authority + default == host
