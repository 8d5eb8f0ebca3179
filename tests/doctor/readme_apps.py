"""The apps behind the worked examples of docs/doctor.md (``--app tests.doctor.readme_apps:NAME``).

Some use this library, some are broken the way real servers are (an auth layer
in front of CORS, a wildcard with credentials, a trailing-slash redirect).
test_docs_examples.py runs every example and compares the output with docs/doctor.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from wsgiref.validate import validator

from wsgicors import CORSMiddleware

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

APP = "https://app.example.com"
BODY = b'{"items":[]}'


def items(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """The API: JSON on every path."""
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))])
    return [BODY]


#: wsgicors in front of the API: one origin, cookies allowed, JSON bodies allowed.
api: WSGIApplication = validator(CORSMiddleware(items, origins=[APP], credentials=True, headers=["content-type"]))

#: wsgicors without credentials=True: cookies cannot be used.
no_credentials: WSGIApplication = validator(CORSMiddleware(items, origins=[APP]))


def _wildcard(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """A hand-written rule: '*' and credentials together (browsers refuse it)."""
    start_response(
        "200 OK",
        [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Credentials", "true"),
         ("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))],
    )  # fmt: skip
    return [BODY]


wildcard_credentials: WSGIApplication = validator(_wildcard)


def _auth_layer(app: WSGIApplication) -> WSGIApplication:
    """Authentication wrapped around the CORS layer: it refuses the preflight (it carries no token)."""

    def guarded(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if not environ.get("HTTP_AUTHORIZATION"):
            body = b'{"error":"unauthorized"}'
            start_response(
                "401 Unauthorized",
                [("WWW-Authenticate", "Bearer"), ("Content-Type", "application/json"),
                 ("Content-Length", str(len(body)))],
            )  # fmt: skip
            return [body]
        return app(environ, start_response)

    return guarded


auth_in_front: WSGIApplication = validator(
    _auth_layer(CORSMiddleware(items, origins=[APP], headers=["authorization", "content-type"]))
)


def _append_slash(app: WSGIApplication) -> WSGIApplication:
    """A trailing-slash redirect (Django's APPEND_SLASH) in front of the CORS layer."""

    def redirecting(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.endswith("/"):
            host = environ.get("HTTP_HOST", "")
            start_response(
                "301 Moved Permanently",
                [("Location", f"{environ['wsgi.url_scheme']}://{host}{path}/"), ("Content-Type", "text/plain"),
                 ("Content-Length", "0")],
            )  # fmt: skip
            return []
        return app(environ, start_response)

    return redirecting


append_slash: WSGIApplication = validator(_append_slash(CORSMiddleware(items, origins=[APP], headers=["content-type"])))


def _reflect(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """The classic mistake: echo whatever Origin came, with credentials."""
    start_response(
        "200 OK",
        [("Access-Control-Allow-Origin", environ.get("HTTP_ORIGIN", "")), ("Access-Control-Allow-Credentials", "true"),
         ("Vary", "Origin"), ("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))],
    )  # fmt: skip
    return [BODY]


reflect_any_origin: WSGIApplication = validator(_reflect)
