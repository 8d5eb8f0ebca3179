"""flask_ext's two hooks for the compat layer: a door that never reads app.config, and view
options that depend on the app."""

from __future__ import annotations

import warnings
from typing import Any

from flask import Flask

import flask_ext
from flask_ext.door import door_of

A = "https://a.example"


def test_door_without_config_ignores_cors_keys() -> None:
    app = Flask(__name__)
    app.config.update(CORS_ORIGINS=[A], CORS_SUPPORTS_CREDENTIALS=True)
    app.add_url_rule("/x", view_func=lambda: "x")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "not a corsgate setting" warning either
        door = door_of(app, read_config=False)
        flask_ext.CORS(app, origins=["https://b.example"])
    assert door.read_config is False
    response = app.test_client().get("/x", headers={"Origin": A})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_view_options_may_depend_on_the_app() -> None:
    asked: list[Flask] = []

    def options(app: Flask) -> dict[str, Any]:
        asked.append(app)
        return {"origins": [app.config["ALLOWED"]]}

    def view() -> str:
        return "v"

    setattr(view, flask_ext.VIEW_ATTRIBUTE, options)
    app = Flask(__name__)
    app.config["ALLOWED"] = A
    app.add_url_rule("/v", view_func=view)
    flask_ext.CORS(app, origins=[])
    response = app.test_client().get("/v", headers={"Origin": A})
    assert response.headers["Access-Control-Allow-Origin"] == A
    assert asked and all(a is app for a in asked)
