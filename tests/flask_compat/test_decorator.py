"""``cross_origin`` as in flask-cors: on an app without ``CORS(app)`` it governs every response of its
view (automatic OPTIONS and HEAD included); with the door on the app, the door writes its policy."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask, Response, abort, request

from flask_ext.compat import CORS, cross_origin
from tests.flask.conftest import MakeClient
from tests.flask.util import cors

from .util import A, B, preflight

pytestmark = [
    pytest.mark.filterwarnings("error::wsgiref.validate.WSGIWarning"),
    pytest.mark.filterwarnings("ignore::wsgicors.CORSConfigWarning"),
]
ACAO = "Access-Control-Allow-Origin"
PEER_METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"


def decorated_app(
    with_door: bool = False, config: dict[str, Any] | None = None, **options: Any
) -> tuple[Flask, list[str]]:
    """``/v`` decorated with ``cross_origin(**options)``, ``/plain`` not; ``seen`` lists what the view ran for."""
    app = Flask(__name__)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config.update(config or {})
    seen: list[str] = []

    @app.before_request
    def hook() -> None:
        seen.append(f"before {request.method}")

    @app.route("/v", methods=["GET", "PUT"])
    @cross_origin(**options)
    def view() -> Response:
        seen.append(f"view {request.method}")
        if request.args.get("abort"):
            abort(403)
        return Response("v", headers={"X-Total": "1", "Vary": "Accept-Encoding"})

    @app.route("/plain")
    def plain() -> str:
        return "plain"

    if with_door:
        CORS(app, resources={"/plain": {"origins": [B]}, "/v": {"origins": [B]}}, expose_headers="X-Total")
    return app, seen


@pytest.mark.parametrize("with_door", [False, True], ids=["decorator-only", "with-CORS(app)"])
class TestEveryResponseOfTheView:
    def test_get_head_options(self, make_client: MakeClient, with_door: bool) -> None:
        app, seen = decorated_app(with_door, origins=[A])
        client = make_client(app)
        for method in ("GET", "HEAD", "OPTIONS"):
            response = client.open("/v", method=method, headers={"Origin": A})
            assert response.status_code == 200
            assert cors(response)[ACAO] == A, method
        allow = client.options("/v").headers["Allow"]  # Flask's automatic answer
        assert set(allow.split(", ")) == {"GET", "HEAD", "OPTIONS", "PUT"}
        assert seen.count("view GET") == 1 and "view HEAD" in seen and "view OPTIONS" not in seen

    def test_preflight(self, make_client: MakeClient, with_door: bool) -> None:
        app, _ = decorated_app(with_door, origins=[A], max_age=60)
        response = make_client(app).options("/v", headers=preflight())
        assert (response.status_code, response.data) == (200, b"")
        assert cors(response) == {
            ACAO: A,
            "Access-Control-Allow-Methods": PEER_METHODS,
            "Access-Control-Max-Age": "60",
            "Vary": "Origin, Access-Control-Request-Headers",
        }

    def test_denied_and_vary_merged(self, make_client: MakeClient, with_door: bool) -> None:
        app, _ = decorated_app(with_door, origins=[A])
        response = make_client(app).get("/v", headers={"Origin": B})
        assert cors(response) == {"Vary": "Accept-Encoding, Origin"}

    def test_abort_in_the_view(self, make_client: MakeClient, with_door: bool) -> None:
        app, _ = decorated_app(with_door, origins=[A])
        response = make_client(app).get("/v?abort=1", headers={"Origin": A})
        assert response.status_code == 403
        assert cors(response) == {ACAO: A, "Vary": "Origin"}

    def test_app_keywords_are_not_inherited(self, make_client: MakeClient, with_door: bool) -> None:
        """flask-cors: the view's policy is defaults + app.config + decorator, not CORS(app)'s keywords."""
        app, _ = decorated_app(with_door, {"CORS_MAX_AGE": 30}, origins=[A])
        client = make_client(app)
        assert "Access-Control-Expose-Headers" not in client.get("/v", headers={"Origin": A}).headers
        assert client.options("/v", headers=preflight()).headers["Access-Control-Max-Age"] == "30"
        plain = client.get("/plain", headers={"Origin": B})
        assert plain.headers.get(ACAO) == (B if with_door else None)


def test_decorator_only_preflight_comes_after_hooks(make_client: MakeClient) -> None:
    """Without the door the view answers the preflight, after before_request hooks (as flask-cors)."""
    app, seen = decorated_app(origins=[A])
    make_client(app).options("/v", headers=preflight())
    assert seen == ["before OPTIONS"]


def test_with_door_preflight_comes_before_hooks(make_client: MakeClient) -> None:
    app, seen = decorated_app(True, origins=[A])
    make_client(app).options("/v", headers=preflight())
    assert seen == []


def test_unknown_origin_values_get_the_star(make_client: MakeClient) -> None:
    app, _ = decorated_app()
    assert cors(make_client(app).get("/v", headers={"Origin": "www.example.com"})) == {
        ACAO: "*",
        "Vary": "Accept-Encoding",
    }


@pytest.mark.parametrize("with_door", [False, True], ids=["decorator-only", "with-CORS(app)"])
def test_automatic_options_false(make_client: MakeClient, with_door: bool) -> None:
    """Flask (or the view, when it declares OPTIONS) answers OPTIONS, preflights included."""
    app = Flask(__name__)

    @app.route("/auto")
    @cross_origin(automatic_options=False, origins=[A])
    def auto() -> str:
        return "auto"

    @app.route("/own", methods=["PUT", "OPTIONS"])
    @cross_origin(automatic_options=False, origins=[A])
    def own() -> str:
        return "own"

    if with_door:
        CORS(app, resources={"/nothing": {}})
    client = make_client(app)
    own_answer = client.options("/own", headers=preflight())
    assert (own_answer.data, own_answer.headers[ACAO]) == (b"own", A)
    auto_answer = client.options("/auto", headers={"Origin": A})
    assert set(auto_answer.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
    assert auto_answer.headers.get(ACAO) == (A if with_door else None)


def test_bare_decorator_and_wrapping(make_client: MakeClient) -> None:
    app = Flask(__name__)

    @app.route("/bare")
    @cross_origin
    def bare() -> str:
        """Docstring kept."""
        return "bare"

    assert bare.__name__ == "bare" and bare.__doc__ == "Docstring kept."
    assert make_client(app).get("/bare", headers={"Origin": A}).headers[ACAO] == "*"


def test_app_config_reaches_the_decorator(make_client: MakeClient) -> None:
    app, _ = decorated_app(config={"CORS_ORIGINS": [B], "CORS_EXPOSE_HEADERS": ["X-Total"]})
    response = make_client(app).get("/v", headers={"Origin": B})
    assert cors(response) == {ACAO: B, "Access-Control-Expose-Headers": "X-Total", "Vary": "Accept-Encoding, Origin"}


def test_same_view_on_two_apps_with_their_own_config(make_client: MakeClient) -> None:
    @cross_origin(expose_headers="X-T")
    def shared() -> str:
        return "shared"

    apps = []
    for origin in (A, B):
        app = Flask(__name__)
        app.config["CORS_ORIGINS"] = [origin]
        app.add_url_rule("/s", view_func=shared)
        apps.append(app)
    assert make_client(apps[0]).get("/s", headers={"Origin": A}).headers[ACAO] == A
    assert ACAO not in make_client(apps[1]).get("/s", headers={"Origin": A}).headers
