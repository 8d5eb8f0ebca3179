"""Helpers shared by the Flask door's tests."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.test import TestResponse


def hello_app(**config: Any) -> Flask:
    """A Flask app with ``config`` and one route, ``/hello`` (GET and PUT), answering 'hello'."""
    app = Flask(__name__)
    app.config.update(config)

    @app.route("/hello", methods=["GET", "PUT"])
    def hello() -> str:
        return "hello"

    return app


def cors(response: TestResponse) -> dict[str, str]:
    """Every Access-Control-* header and Vary of a response (each must be single)."""
    found: dict[str, str] = {}
    for name, value in response.headers.items():
        if name.lower().startswith("access-control-") or name.lower() == "vary":
            assert name not in found, f"{name} sent twice: {response.headers.getlist(name)}"
            found[name] = value
    return found


PREFLIGHT = {"Access-Control-Request-Method": "PUT"}
