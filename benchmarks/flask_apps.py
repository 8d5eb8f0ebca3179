"""The Flask variants: a hello app bare, its floor (a do-nothing ``wsgi_app`` wrapper),
with flask_ext, and with flask-cors 6 (same policy)."""

from __future__ import annotations

from typing import Any

from .common import BODY, PolicySpec, WSGIApp
from .peers import flask_cors_options


class DoorMissing(RuntimeError):
    """Our Flask door cannot be imported or does not take the options yet."""


def make_app() -> Any:
    from flask import Flask

    app = Flask("bench")

    @app.route("/", methods=["GET", "POST"])
    def index() -> tuple[bytes, int, dict[str, str]]:
        return BODY, 200, {"Content-Type": "text/plain"}

    return app


def ours(policy: PolicySpec) -> WSGIApp:
    try:
        from flask_ext import CORS
    except ImportError as exc:
        raise DoorMissing(f"flask_ext.CORS is not importable: {exc}") from exc
    app = make_app()
    CORS(app, **policy.ours())
    wsgi: WSGIApp = app
    return wsgi


def flask_cors(policy: PolicySpec) -> WSGIApp:
    from flask_cors import CORS

    app = make_app()
    CORS(app, **flask_cors_options(policy))
    wsgi: WSGIApp = app
    return wsgi


class DoNothing:
    """Flask's own floor: a ``wsgi_app`` wrapper that only calls what it wraps
    (what any extension installed around ``app.wsgi_app`` costs at least)."""

    __slots__ = ("app",)

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.app(environ, start_response)


def floor() -> WSGIApp:
    app = make_app()
    app.wsgi_app = DoNothing(app.wsgi_app)
    wsgi: WSGIApp = app
    return wsgi


def variants(policy: PolicySpec) -> dict[str, WSGIApp]:
    apps: dict[str, WSGIApp] = {"bare": make_app(), "floor": floor()}
    apps["ours"] = ours(policy)
    apps["flask_cors"] = flask_cors(policy)
    return apps
