"""flask-cors's CORS_* keys and precedence, ``resources`` as routes in flask-cors's order,
stacked ``CORS()`` calls, ``init_app`` and blueprints."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Blueprint, Flask

from flask_ext.compat import CORS
from tests.flask.conftest import MakeClient
from tests.flask.util import cors

from .util import EVIL, A, B, compat_app, make_app, preflight

pytestmark = [
    pytest.mark.filterwarnings("error::wsgiref.validate.WSGIWarning"),
    pytest.mark.filterwarnings("ignore::wsgicors.CORSConfigWarning"),
]
ACAO = "Access-Control-Allow-Origin"

# (flask-cors CORS_* key, value, request, header, expected value)
CONFIG_KEYS: list[tuple[str, Any, dict[str, str], str, str | None]] = [
    ("CORS_ORIGINS", [A], {"Origin": A}, ACAO, A),
    ("CORS_ORIGINS", [A], {"Origin": B}, ACAO, None),
    ("CORS_METHODS", ["GET", "PUT"], preflight(), "Access-Control-Allow-Methods", "GET, PUT"),
    (
        "CORS_ALLOW_HEADERS",
        ["X-A"],
        preflight(**{"Access-Control-Request-Headers": "x-a"}),
        "Access-Control-Allow-Headers",
        "x-a",
    ),
    ("CORS_EXPOSE_HEADERS", "X-Total", {"Origin": A}, "Access-Control-Expose-Headers", "X-Total"),
    ("CORS_MAX_AGE", "60", preflight(), "Access-Control-Max-Age", "60"),
    ("CORS_SEND_WILDCARD", True, {"Origin": A}, ACAO, "*"),
    ("CORS_AUTOMATIC_OPTIONS", False, {"Origin": A}, ACAO, "*"),
    ("CORS_VARY_HEADER", False, {"Origin": A}, ACAO, "*"),
    ("CORS_RESOURCES", r"/api/*", {"Origin": A}, ACAO, None),  # /x is not under /api
    ("CORS_INTERCEPT_EXCEPTIONS", False, {"Origin": A}, ACAO, "*"),
    ("CORS_ALWAYS_SEND", False, {}, ACAO, None),
    (
        "CORS_ALLOW_PRIVATE_NETWORK",
        True,
        preflight(**{"Access-Control-Request-Private-Network": "true"}),
        "Access-Control-Allow-Private-Network",
        "true",
    ),
    ("CORS_ORIGINS", None, {"Origin": A}, ACAO, "*"),  # None means unset, as in flask-cors
]


@pytest.mark.parametrize(("key", "value", "headers", "name", "expected"), CONFIG_KEYS)
def test_config_key(
    make_client: MakeClient, key: str, value: Any, headers: dict[str, str], name: str, expected: str | None
) -> None:
    app, _ = compat_app({key: value})
    method = "OPTIONS" if "Access-Control-Request-Method" in headers else "GET"
    assert make_client(app).open("/x", method=method, headers=headers).headers.get(name) == expected


def test_precedence_resource_over_keyword_over_config(make_client: MakeClient) -> None:
    app, _ = compat_app(
        {"CORS_ORIGINS": [EVIL], "CORS_EXPOSE_HEADERS": "X-Config", "CORS_MAX_AGE": 5},
        origins=[B],
        expose_headers="X-Keyword",
        resources={r"/api/*": {"origins": [A]}, "/x": {}},
    )
    client = make_client(app)
    api = client.get("/api/v1/x", headers={"Origin": A})
    assert (api.headers[ACAO], api.headers["Access-Control-Expose-Headers"]) == (A, "X-Keyword")
    assert client.get("/x", headers={"Origin": B}).headers[ACAO] == B
    assert ACAO not in client.get("/x", headers={"Origin": EVIL}).headers
    assert client.options("/x", headers=preflight(B)).headers["Access-Control-Max-Age"] == "5"


def test_init_app_merges_constructor_and_call_options(make_client: MakeClient) -> None:
    extension = CORS(origins=[A], expose_headers="X-One")
    app = make_app()
    extension.init_app(app, expose_headers="X-Two")
    response = make_client(app).get("/x", headers={"Origin": A})
    assert (response.headers[ACAO], response.headers["Access-Control-Expose-Headers"]) == (A, "X-Two")


def test_one_extension_two_apps_each_with_its_config(make_client: MakeClient) -> None:
    extension = CORS(expose_headers="X-T")
    first, second = make_app({"CORS_ORIGINS": [A]}), make_app({"CORS_ORIGINS": [B]})
    extension.init_app(first)
    extension.init_app(second)
    assert make_client(first).get("/x", headers={"Origin": A}).headers[ACAO] == A
    assert ACAO not in make_client(second).get("/x", headers={"Origin": A}).headers


# (resources, path, origin allowed there or None when no resource covers the path)
RESOURCES: list[tuple[str, Any, str, str | None]] = [
    ("regex-prefix", {r"/api/*": {"origins": [A]}}, "/api/v1/x", A),
    ("regex-start-anchored", {r"/api/*": {"origins": [A]}}, "/other", None),
    ("literal-is-exact", {"/api": {"origins": [A]}}, "/api/v1/x", None),
    ("literal-exact-hit", {"/other": {"origins": [A]}}, "/other", A),
    ("literal-case-sensitive", {"/OTHER": {"origins": [A]}}, "/other", None),
    ("star", {"*": {"origins": [A]}}, "/other", A),
    ("string", r"/api/.*", "/api/v1/x", "*"),
    ("list", ["/other", r"/api/v1/.*"], "/api/v1/x", "*"),
    ("compiled", re.compile(r"/api/v\d"), "/api/v1/x", "*"),
    ("compiled-flags", re.compile(r"(?i)/API/v1"), "/api/v1/x", "*"),
    ("dot-segments-never-covered", {r"/api/*": {"origins": [A]}}, "/api/../other", None),
    # flask-cors's order: literals first, then compiled patterns, then regex strings, longest first
    ("literal-before-regex", {r"/.*": {"origins": [B]}, "/other": {"origins": [A]}}, "/other", A),
    ("longer-regex-first", {r"/api/.*": {"origins": [B]}, r"/api/private/.*": {"origins": [A]}}, "/api/private/x", A),
    ("more-slashes-first", {r"/api/v1.*": {"origins": [B]}, r"/api/v1/x": {"origins": [A]}}, "/api/v1/x", A),
    ("compiled-before-string", {r"/api/.*": {"origins": [B]}, re.compile(r"/a.*"): {"origins": [A]}}, "/api/v1/x", A),
]


@pytest.mark.parametrize(("resources", "path", "allowed"), [r[1:] for r in RESOURCES], ids=[r[0] for r in RESOURCES])
def test_resources(make_client: MakeClient, resources: Any, path: str, allowed: str | None) -> None:
    app, _ = compat_app(resources=resources)
    origin = allowed if allowed not in (None, "*") else A
    response = make_client(app).get(path, headers={"Origin": origin})
    assert response.headers.get(ACAO) == allowed
    if allowed is None:
        assert cors(response) == {}  # not covered: untouched, no Vary either


def test_stacked_calls_later_wins_where_paths_overlap(make_client: MakeClient) -> None:
    app = make_app()
    CORS(app, resources={r"/api/*": {"origins": [A]}, "/other": {"origins": [A]}})
    CORS(app, resources={r"/api/*": {"origins": [B]}})
    client = make_client(app)
    assert client.get("/api/v1/x", headers={"Origin": B}).headers[ACAO] == B
    assert ACAO not in client.get("/api/v1/x", headers={"Origin": A}).headers
    assert client.get("/other", headers={"Origin": A}).headers[ACAO] == A


def test_stacked_catch_all_hides_what_comes_after(make_client: MakeClient) -> None:
    app = make_app()
    CORS(app, resources={"/other": {"origins": [A]}})
    CORS(app, origins=[B])
    client = make_client(app)
    assert client.get("/other", headers={"Origin": B}).headers[ACAO] == B
    assert ACAO not in client.get("/other", headers={"Origin": A}).headers


def _blueprint_app(blueprint: Blueprint, config: dict[str, Any] | None = None) -> Flask:
    @blueprint.route("/api/v1/ping")
    def ping() -> str:
        return "pong"

    @blueprint.route("/no_cors")
    def no_cors() -> str:
        return "no"

    app = make_app(config)
    app.register_blueprint(blueprint, url_prefix="/bp")
    return app


def test_blueprint_target_and_its_resources(make_client: MakeClient) -> None:
    blueprint = Blueprint("bp", __name__)
    CORS(blueprint, resources={r"/bp/api/*": {"origins": A}})
    client = make_client(_blueprint_app(blueprint))
    assert client.get("/bp/api/v1/ping", headers={"Origin": A}).headers[ACAO] == A
    assert cors(client.get("/bp/no_cors", headers={"Origin": A})) == {}
    assert cors(client.get("/x", headers={"Origin": A})) == {}  # not the blueprint's view


def test_blueprint_ignores_app_config_as_flask_cors_does(make_client: MakeClient) -> None:
    blueprint = Blueprint("bp", __name__)
    CORS().init_app(blueprint, origins=[A])
    app = _blueprint_app(blueprint, {"CORS_ORIGINS": [B], "CORS_EXPOSE_HEADERS": "X-Config"})
    response = make_client(app).get("/bp/no_cors", headers={"Origin": A})
    assert cors(response) == {ACAO: A, "Vary": "Origin"}


def test_app_config_is_never_read_as_native_keys(make_client: MakeClient) -> None:
    """flask_ext reads CORS_ORIGINS natively (None would be an error there); the compat door skips None."""
    app, _ = compat_app({"CORS_ORIGINS": None, "CORS_ALLOW_HEADERS": None}, origins=[A])
    response = make_client(app).options("/x", headers=preflight(**{"Access-Control-Request-Headers": "x-a"}))
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Headers"] == "x-a"
