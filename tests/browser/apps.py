"""The same small app behind each door: a bare WSGI app, a Flask app, a Django project.

Each builder is a context manager ``build(options, seen)`` that yields the
WSGI application (the door already wrapped around the app); ``seen``
collects ``(method, path)`` for every request that reached one of the app's
views. The behaviour is described in ``scenarios.py``'s docstring.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from .scenarios import data_body

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from flask import Flask

__all__ = ["DOORS", "AppError", "DoorUnavailable", "bare_raising_app", "door_builder"]

Seen = list[tuple[str, str]]
Builder = Callable[[Mapping[str, Any], Seen], AbstractContextManager["WSGIApplication"]]

DATA_PATHS = frozenset({"/data", "/public/data", "/private/data"})
REFUSING_PATH = "/options-refused/data"
APP_HEADERS = [("X-Exposed", "shown"), ("X-Hidden", "hidden")]
COOKIE = ("sid", "s3cr3t")
ERROR_BODY = '{"error":"handled"}'


class AppError(Exception):
    """Raised by /error-handled; each app's own error handler turns it into a 500."""


class DoorUnavailable(Exception):
    """The door's package does not provide its entry point (yet)."""


def cookie_body(value: str | None) -> str:
    return json.dumps({"cookie": value}, separators=(",", ":"))


# --- the WSGI door --------------------------------------------------------------------------


def _wsgi_views(seen: Seen) -> WSGIApplication:
    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")

        def answer(status: str, headers: list[tuple[str, str]], body: str = "") -> list[bytes]:
            data = body.encode()
            if not status.startswith("204"):
                headers = [*headers, ("Content-Length", str(len(data)))]
            start_response(status, headers)
            return [data] if data else []

        if path in DATA_PATHS or path == REFUSING_PATH:
            seen.append((method, path))
            if method == "OPTIONS":
                if path == REFUSING_PATH:
                    return answer("403 Forbidden", [("Content-Type", "text/plain")], "no")
                return answer("204 No Content", [("X-App-Options", "yes")])
            length = int(environ.get("CONTENT_LENGTH") or 0)
            text = environ["wsgi.input"].read(length).decode() if length else ""
            return answer("200 OK", [("Content-Type", "application/json"), *APP_HEADERS], data_body(method, path, text))
        if path in ("/cookie/set", "/cookie/echo") and method not in ("GET", "HEAD"):
            # GET-only views: what Flask's routing and Django's require_GET answer.
            return answer("405 Method Not Allowed", [("Content-Type", "text/plain"), ("Allow", "GET, HEAD")])
        if path == "/cookie/set":
            seen.append((method, path))
            return answer(
                "200 OK",
                [("Content-Type", "application/json"), ("Set-Cookie", "sid=s3cr3t; Path=/; SameSite=Lax")],
                '{"set":true}',
            )
        if path == "/cookie/echo":
            seen.append((method, path))
            jar = SimpleCookie(environ.get("HTTP_COOKIE", ""))
            value = jar["sid"].value if "sid" in jar else None
            return answer("200 OK", [("Content-Type", "application/json")], cookie_body(value))
        if path == "/error-handled":
            seen.append((method, path))
            raise AppError("handled by the app's error handler")
        if path == "/raise":
            seen.append((method, path))
            raise RuntimeError("turned into a 500 by the framework")
        if path == "/redirect":
            seen.append((method, path))
            target = parse_qs(environ.get("QUERY_STRING", "")).get("to", ["/"])[0]
            return answer("302 Found", [("Location", target), ("Content-Type", "text/plain")])
        return answer("404 Not Found", [("Content-Type", "text/plain")], "Not Found")

    return app


def _error_layer(app: WSGIApplication) -> WSGIApplication:
    """What a framework does inside the CORS door: exceptions become 500 responses."""

    def with_errors(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            return app(environ, start_response)
        except AppError:
            body = ERROR_BODY.encode()
            start_response(
                "500 Internal Server Error",
                [
                    ("Content-Type", "application/json"),
                    ("X-Error", "handled"),
                    ("Content-Length", str(len(body))),
                ],
            )
            return [body]
        except Exception:
            body = b"Internal Server Error"
            start_response(
                "500 Internal Server Error",
                [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))],
            )
            return [body]

    return with_errors


@contextmanager
def build_wsgi(options: Mapping[str, Any], seen: Seen) -> Iterator[WSGIApplication]:
    from wsgicors import CORSMiddleware

    yield CORSMiddleware(_error_layer(_wsgi_views(seen)), **options)


def bare_raising_app(options: Mapping[str, Any], seen: Seen) -> WSGIApplication:
    """The WSGI door around an app whose exceptions reach the server (no error layer)."""
    from wsgicors import CORSMiddleware

    return CORSMiddleware(_wsgi_views(seen), **options)


# --- the Flask door -------------------------------------------------------------------------


@contextmanager
def build_flask(options: Mapping[str, Any], seen: Seen) -> Iterator[WSGIApplication]:
    try:
        from flask_ext import CORS
    except ImportError as exc:
        raise DoorUnavailable(f"flask_ext.CORS cannot be imported: {exc}") from exc

    app = flask_app(seen)
    CORS(app, **options)
    yield app


def flask_app(seen: Seen) -> Flask:
    """The Flask app behind the Flask doors (native and compat), without CORS."""
    from flask import Flask, Response, redirect, request

    app = Flask("corsgate_browser")
    all_methods = ["GET", "PUT", "PATCH", "DELETE", "POST", "OPTIONS"]

    def data() -> Response:
        seen.append((request.method, request.path))
        if request.method == "OPTIONS":
            if request.path == REFUSING_PATH:
                return Response("no", status=403, mimetype="text/plain")
            return Response(status=204, headers={"X-App-Options": "yes"})
        text = request.get_data(as_text=True)
        return Response(data_body(request.method, request.path, text), mimetype="application/json", headers=APP_HEADERS)

    for path in (*sorted(DATA_PATHS), REFUSING_PATH):
        app.add_url_rule(path, endpoint=path, view_func=data, methods=all_methods)

    @app.get("/cookie/set")
    def cookie_set() -> Response:
        seen.append((request.method, request.path))
        response = Response('{"set":true}', mimetype="application/json")
        response.set_cookie(*COOKIE, path="/", samesite="Lax")
        return response

    @app.get("/cookie/echo")
    def cookie_echo() -> Response:
        seen.append((request.method, request.path))
        return Response(cookie_body(request.cookies.get("sid")), mimetype="application/json")

    @app.get("/error-handled")
    def error_handled() -> Response:
        seen.append((request.method, request.path))
        raise AppError("handled by the app's error handler")

    @app.get("/raise")
    def raise_() -> Response:
        seen.append((request.method, request.path))
        raise RuntimeError("turned into a 500 by the framework")

    @app.get("/redirect")
    def redirect_() -> Any:
        seen.append((request.method, request.path))
        return redirect(request.args["to"], code=302)

    @app.errorhandler(AppError)
    def on_app_error(exc: AppError) -> Response:
        return Response(ERROR_BODY, status=500, mimetype="application/json", headers={"X-Error": "handled"})

    return app


# --- the Django door ------------------------------------------------------------------------

DJANGO_MIDDLEWARE = [
    "django_ext.middleware.CORSMiddleware",
    "tests.browser.django_app.AppErrorMiddleware",
]


@contextmanager
def build_django(options: Mapping[str, Any], seen: Seen) -> Iterator[WSGIApplication]:
    try:
        import django_ext.middleware as door
    except ImportError as exc:
        raise DoorUnavailable(f"django_ext.middleware cannot be imported: {exc}") from exc
    if not hasattr(door, "CORSMiddleware"):
        raise DoorUnavailable("django_ext.middleware has no CORSMiddleware")

    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    from . import django_app

    django_app.ensure_configured()
    # Settings are process-global: the override stays on while this scenario's
    # server runs (scenarios run one after another), and the handler built
    # inside it loads the door with this scenario's CORS policy.
    with override_settings(
        ROOT_URLCONF="tests.browser.django_app",
        MIDDLEWARE=DJANGO_MIDDLEWARE,
        CORS=dict(options),
        BROWSER_SEEN=seen,
        ALLOWED_HOSTS=["*"],
        DEBUG=False,
    ):
        yield WSGIHandler()


DOORS: Mapping[str, Builder] = {"wsgi": build_wsgi, "flask": build_flask, "django": build_django}


def door_builder(name: str) -> Builder:
    return DOORS[name]


def ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"
