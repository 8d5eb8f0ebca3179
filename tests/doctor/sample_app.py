"""WSGI apps for the doctor's ``--app`` tests (``tests.doctor.sample_app:strict`` and friends).

Every one is wrapped in ``wsgiref.validate``, so the doctor's in-process server is checked too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from wsgiref.validate import validator

from wsgicors import CORSMiddleware

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

ORIGIN = "https://app.example"
BODY = b'{"hello":"world"}'


def views(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """A JSON endpoint; /raise raises (a server then answers its own 500)."""
    if environ.get("PATH_INFO") == "/raise":
        raise RuntimeError("boom")
    start_response(
        "200 OK",
        [("Content-Type", "application/json"), ("X-Request-Id", "42"), ("Content-Length", str(len(BODY)))],
    )
    return [BODY]


#: Only https://app.example, with credentials, Content-Type allowed, X-Request-Id exposed.
strict: WSGIApplication = validator(
    CORSMiddleware(
        views, origins=[ORIGIN], credentials=True, headers=["content-type"], exposed_headers=["X-Request-Id"],
        max_age=600,
    )
)  # fmt: skip


def _reflect(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """Broken on purpose: echoes any Origin with credentials, and forgets Vary: Origin."""
    origin = environ.get("HTTP_ORIGIN", "")
    headers = [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true")]
    if environ["REQUEST_METHOD"] == "OPTIONS":
        asked = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")
        start_response(
            "204 No Content",
            [*headers, ("Access-Control-Allow-Methods", "GET, PUT"), ("Access-Control-Allow-Headers", asked)],
        )
        return []
    start_response("200 OK", [*headers, ("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


reflecting: WSGIApplication = validator(_reflect)


def create_app() -> WSGIApplication:
    """A factory, as ``--app tests.doctor.sample_app:create_app()`` calls it."""
    return strict
