"""Helpers of the flask_ext.compat tests: an app with a few views, requests, warnings caught."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, abort

from flask_ext.compat import CORS
from wsgicors import CORSConfigWarning

A = "https://a.example"
B = "https://b.example"
EVIL = "https://evil.example"


def views(app: Flask) -> Flask:
    """``/x`` (GET, PUT), ``/api/v1/x``, ``/api/private/x``, ``/other``, ``/abort`` (401), ``/boom`` (500)."""

    @app.route("/x", methods=["GET", "PUT"])
    def x() -> str:
        return "x"

    @app.route("/api/v1/x")
    def api_v1() -> Response:
        return Response("v1", headers={"X-Total": "3", "X-Other": "o"})

    @app.route("/api/private/x")
    def api_private() -> str:
        return "private"

    @app.route("/other")
    def other() -> str:
        return "other"

    @app.route("/abort")
    def aborts() -> str:
        abort(401)

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    return app


def make_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config.update(config or {})
    return views(app)


def caught(call: Callable[[], Any]) -> tuple[Any, list[str]]:
    """``call()``'s result and the messages of the CORSConfigWarnings it raised."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        result = call()
    return result, [str(w.message) for w in seen if issubclass(w.category, CORSConfigWarning)]


def compat_app(config: dict[str, Any] | None = None, **options: Any) -> tuple[Flask, list[str]]:
    """``make_app(config)`` with ``CORS(app, **options)``, and the warnings it gave."""
    app = make_app(config)
    _, messages = caught(lambda: CORS(app, **options))
    return app, messages


def preflight(origin: str = A, method: str = "PUT", **headers: str) -> dict[str, str]:
    return {"Origin": origin, "Access-Control-Request-Method": method, **headers}
