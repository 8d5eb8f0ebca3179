"""Configuration of the Flask door: app.config keys, keyword arguments, errors, several apps."""

from __future__ import annotations

import re
import warnings
from typing import Any

import pytest
from flask import Blueprint

from flask_ext import CONFIG_KEYS, CORS, CORSConfigError, cross_origin
from wsgicors import OPTION_NAMES, Policy

from .conftest import MakeClient
from .util import cors, hello_app

A = "https://a.example"
B = "https://b.example"


def test_every_option_has_a_config_key() -> None:
    assert dict(CONFIG_KEYS) == {
        "origins": "CORS_ORIGINS",
        "methods": "CORS_METHODS",
        "headers": "CORS_HEADERS",
        "exposed_headers": "CORS_EXPOSED_HEADERS",
        "credentials": "CORS_CREDENTIALS",
        "max_age": "CORS_MAX_AGE",
        "private_network": "CORS_PRIVATE_NETWORK",
        "preflight_continue": "CORS_PREFLIGHT_CONTINUE",
        "allow_origin_absent": "CORS_ALLOW_ORIGIN_ABSENT",
        "preflight_status": "CORS_PREFLIGHT_STATUS",
        "routes": "CORS_ROUTES",
    }
    assert tuple(CONFIG_KEYS) == OPTION_NAMES


def test_config_keys_reach_the_policy(make_client: MakeClient) -> None:
    app = hello_app(
        CORS_ORIGINS=[A],
        CORS_METHODS=["GET", "PUT"],
        CORS_HEADERS=["X-Token"],
        CORS_EXPOSED_HEADERS=["X-Total"],
        CORS_CREDENTIALS=True,
        CORS_MAX_AGE=120,
        CORS_PRIVATE_NETWORK=True,
        CORS_PREFLIGHT_STATUS=204,
        CORS_ROUTES=[{"paths": ["/hello"]}],
    )
    CORS(app)
    assert app.extensions["corsgate"].policy.options["origins"] == [A]
    client = make_client(app)
    response = client.options(
        "/hello",
        headers={
            "Origin": A,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Private-Network": "true",
        },
    )
    assert response.status_code == 204
    assert cors(response) == {
        "Access-Control-Allow-Origin": A,
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Allow-Methods": "GET, PUT",
        "Access-Control-Allow-Headers": "X-Token",
        "Access-Control-Max-Age": "120",
        "Access-Control-Allow-Private-Network": "true",
        "Vary": "Origin, Access-Control-Request-Private-Network",
    }
    assert cors(client.get("/hello", headers={"Origin": A})) == {
        "Access-Control-Allow-Origin": A,
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Expose-Headers": "X-Total",
        "Vary": "Origin",
    }
    # CORS_ROUTES: /elsewhere is covered by no route, so it passes through untouched
    assert cors(client.get("/elsewhere", headers={"Origin": A})) == {}


def test_allow_origin_absent_and_preflight_continue_keys(make_client: MakeClient) -> None:
    app = hello_app(CORS_ALLOW_ORIGIN_ABSENT=False, CORS_PREFLIGHT_CONTINUE=True)
    CORS(app)
    client = make_client(app)
    assert cors(client.get("/hello")) == {"Vary": "Origin"}
    continued = client.options("/hello", headers={"Origin": A, "Access-Control-Request-Method": "PUT"})
    assert "Allow" in continued.headers  # Flask's automatic OPTIONS answered it


def test_keyword_arguments_override_config(make_client: MakeClient) -> None:
    app = hello_app(CORS_ORIGINS=[A], CORS_MAX_AGE=5)
    CORS(app, origins=[B])
    policy = app.extensions["corsgate"].policy
    assert policy.options["origins"] == [B]
    assert policy.options["max_age"] == 5
    client = make_client(app)
    assert client.get("/hello", headers={"Origin": B}).headers["Access-Control-Allow-Origin"] == B
    assert "Access-Control-Allow-Origin" not in client.get("/hello", headers={"Origin": A}).headers


@pytest.mark.parametrize(
    ("key", "value", "hint"),
    [
        ("CORS_ORIGIN", [A], 'did you mean app.config["CORS_ORIGINS"]?'),
        ("CORS_ORIGNS", [A], 'did you mean app.config["CORS_ORIGINS"]?'),
        ("CORS_MAXAGE", 10, 'did you mean app.config["CORS_MAX_AGE"]?'),
        (
            "CORS_SUPPORTS_CREDENTIALS",
            True,
            """'supports_credentials' is flask-cors's name: use app.config["CORS_CREDENTIALS"] = True; """
            "or keep flask-cors's keys and import CORS from flask_ext.compat",
        ),
        (
            "CORS_EXPOSE_HEADERS",
            ["X-Id"],
            """'expose_headers' is flask-cors's name: use app.config["CORS_EXPOSED_HEADERS"] = ['X-Id']""",
        ),
        (
            "CORS_RESOURCES",
            {r"/api/*": {"origins": [A]}},
            """'resources' is flask-cors's name: use app.config["CORS_ROUTES"] (a list of""",
        ),
        (
            "CORS_ALLOWED_ORIGINS",
            [A],
            f"""'allowed_origins' is django-cors-headers' name: use app.config["CORS_ORIGINS"] = ['{A}']""",
        ),
    ],
)
@pytest.mark.parametrize("install", ["CORS(app)", "init_app", "blueprint"])
def test_unknown_config_key_is_an_error_naming_the_key_meant(key: str, value: object, hint: str, install: str) -> None:
    """A typo never widens the policy: without the error, an evil origin would get '*'."""
    app = hello_app(**{key: value, "CORSAIR": 1, "OTHER": 2})
    with warnings.catch_warnings(), pytest.raises(CORSConfigError) as info:
        warnings.simplefilter("error")  # an error, not a warning
        if install == "CORS(app)":
            CORS(app)
        elif install == "init_app":
            CORS(origins=[A]).init_app(app)
        else:
            blueprint = Blueprint("bp", __name__)
            CORS(blueprint, origins=[A])
            app.register_blueprint(blueprint)
    assert info.value.option == f'app.config["{key}"]'
    assert info.value.value == value
    assert "unknown CORS_* key" in info.value.problem
    assert hint in info.value.fix
    evil = app.test_client().get("/hello", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in evil.headers


def test_known_keys_do_not_warn() -> None:
    app = hello_app(CORS_ORIGINS=[A])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        CORS(app)


@pytest.mark.parametrize(
    ("config", "option", "problem"),
    [
        ({"CORS_MAX_AGE": "10"}, "CORS_MAX_AGE", "whole number of seconds"),
        ({"CORS_ORIGINS": ["example.com"]}, "CORS_ORIGINS", "no scheme"),
        ({"CORS_CREDENTIALS": "yes"}, "CORS_CREDENTIALS", "True or False"),
        ({"CORS_ORIGINS": "*", "CORS_CREDENTIALS": True}, "CORS_ORIGINS", "'*' with credentials"),
        ({"CORS_ROUTES": [{"paths": ["api"]}]}, "CORS_ROUTES[0].paths", "prefix starting with '/'"),
        ({"CORS_PREFLIGHT_STATUS": 404}, "CORS_PREFLIGHT_STATUS", "ok status"),
    ],
)
def test_invalid_config_value_raises_at_init_app_naming_the_key(
    config: dict[str, Any], option: str, problem: str
) -> None:
    app = hello_app(**config)
    ext = CORS()
    with pytest.raises(CORSConfigError) as info:
        ext.init_app(app)
    assert info.value.option == option
    assert problem in info.value.problem
    assert f"CORS option {option!r}" in str(info.value)


def test_invalid_keyword_names_the_option() -> None:
    with pytest.raises(CORSConfigError) as info:
        CORS(hello_app(CORS_MAX_AGE=10), max_age=-1)
    assert info.value.option == "max_age"


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("origin", "did you mean 'origins'?"),
        ("supports_credentials", "'supports_credentials' is flask-cors's name: use credentials=True"),
        ("allow_headers", "'allow_headers' is flask-cors's name: use headers=True"),
        ("expose_headers", "'expose_headers' is flask-cors's name: use exposed_headers=True"),
    ],
)
def test_unknown_keyword_raises_with_hint(name: str, hint: str) -> None:
    with pytest.raises(CORSConfigError, match=re.escape(hint)):
        CORS(**{name: True})
    with pytest.raises(CORSConfigError, match=re.escape(hint)):
        cross_origin(**{name: True})


@pytest.mark.parametrize(
    ("config", "fix"),
    [
        ({"CORS_MAX_AGE": "10"}, 'app.config["CORS_MAX_AGE"] = 3600'),
        ({"CORS_CREDENTIALS": "yes", "CORS_ORIGINS": [A]}, 'app.config["CORS_CREDENTIALS"] = True'),
        ({"CORS_CREDENTIALS": "yes"}, 'app.config["CORS_CREDENTIALS"] = False'),  # True is refused with '*'
        (
            {"CORS_CREDENTIALS": True},  # with the default origins, '*'
            'list the trusted origins explicitly, or set app.config["CORS_CREDENTIALS"] = False',
        ),
        (
            {"CORS_ROUTES": [{"paths": ["/a"]}, {"paths": ["api"]}]},
            """app.config["CORS_ROUTES"][1]["paths"] = ['/api']""",
        ),
    ],
)
def test_invalid_config_value_fix_is_written_as_a_config_key(config: dict[str, Any], fix: str) -> None:
    with pytest.raises(CORSConfigError) as info:
        CORS(hello_app(**config))
    assert info.value.fix == fix


def test_invalid_keyword_value_fix_is_written_as_a_keyword() -> None:
    with pytest.raises(CORSConfigError) as info:
        CORS(hello_app(), max_age="10")
    assert info.value.fix == "max_age=3600"


def test_route_keys_in_config_are_hinted_as_config_keys() -> None:
    app = hello_app(CORS_ROUTES=[{"paths": ["/hello"]}, {"paths": ["/x"], "expose_headers": ["X-Id"]}])
    with pytest.raises(CORSConfigError) as info:
        CORS(app)
    assert info.value.option == 'app.config["CORS_ROUTES"][1]["expose_headers"]'
    assert info.value.fix == (
        """'expose_headers' is flask-cors's name: use app.config["CORS_ROUTES"][1]["exposed_headers"] = ['X-Id']"""
    )


def test_route_keys_in_keywords_are_hinted_as_route_dict_keys() -> None:
    with pytest.raises(CORSConfigError) as info:
        CORS(hello_app(), routes=[{"paths": ["/hello"], "expose_headers": ["X-Id"]}])
    assert info.value.fix == """'expose_headers' is flask-cors's name: use routes[0]["exposed_headers"] = ['X-Id']"""


def test_invalid_view_policy_raises_at_init_app_naming_the_view() -> None:
    app = hello_app()

    @app.route("/creds")
    @cross_origin(credentials=True)  # with the app's default origins ['*']: refused
    def creds() -> str:
        return "creds"

    with pytest.raises(CORSConfigError) as info:
        CORS(app)
    assert info.value.option == "origins"
    assert "(in the policy of view 'creds')" in str(info.value)


def test_invalid_view_added_later_fails_on_first_request_and_every_one_after() -> None:
    # Flask has no hook after the last view is registered: docs/flask.md says so.
    app = hello_app()
    CORS(app)

    @app.route("/bad")
    @cross_origin(max_age="forever")
    def bad() -> str:
        return "bad"

    client = app.test_client()
    for path in ("/hello", "/hello", "/bad", "/nowhere"):
        with pytest.raises(CORSConfigError, match="in the policy of view 'bad'"):
            client.get(path, headers={"Origin": A})


def test_init_app_after_the_views_reports_a_bad_view_at_start_up() -> None:
    ext = CORS()
    app = hello_app()

    @app.route("/bad")
    @cross_origin(max_age="forever")
    def bad() -> str:
        return "bad"

    with pytest.raises(CORSConfigError, match="in the policy of view 'bad'"):
        ext.init_app(app)


def test_invalid_blueprint_policy_raises_at_registration() -> None:
    app = hello_app(CORS_ORIGINS=[A])
    CORS(app)
    bp = Blueprint("api", __name__)
    CORS(bp, max_age=-5)
    with pytest.raises(CORSConfigError) as info:
        app.register_blueprint(bp)
    assert info.value.option == "max_age"
    assert "(in the policy of blueprint 'api')" in str(info.value)


def test_view_overrides_config_key_and_error_names_the_view() -> None:
    app = hello_app(CORS_ORIGINS=[A], CORS_MAX_AGE=10)

    @app.route("/v")
    @cross_origin(max_age=1.5)
    def v() -> str:
        return "v"

    with pytest.raises(CORSConfigError) as info:
        CORS(app)
    assert info.value.option == "max_age"
    assert "view 'v'" in str(info.value)


def test_one_cors_object_serves_two_apps_with_different_config(make_client: MakeClient) -> None:
    ext = CORS(methods=["GET"])
    first = hello_app(CORS_ORIGINS=[A])
    second = hello_app(CORS_ORIGINS=[B], CORS_CREDENTIALS=True)
    ext.init_app(first)
    ext.init_app(second)
    one, two = make_client(first), make_client(second)
    assert cors(one.get("/hello", headers={"Origin": A})) == {
        "Access-Control-Allow-Origin": A,
        "Vary": "Origin",
    }
    assert cors(one.get("/hello", headers={"Origin": B})) == {"Vary": "Origin"}
    assert cors(two.get("/hello", headers={"Origin": B})) == {
        "Access-Control-Allow-Origin": B,
        "Access-Control-Allow-Credentials": "true",
        "Vary": "Origin",
    }
    assert cors(two.get("/hello", headers={"Origin": A})) == {"Vary": "Origin"}
    preflight = {"Origin": B, "Access-Control-Request-Method": "GET"}
    assert two.options("/x", headers=preflight).headers["Access-Control-Allow-Methods"] == "GET"
    assert first.extensions["corsgate"] is not second.extensions["corsgate"]


def test_init_app_twice_reconfigures_without_wrapping_twice(make_client: MakeClient) -> None:
    app = hello_app()
    CORS(app, origins=[A])
    door = app.wsgi_app
    CORS(app, origins=[B])
    assert app.wsgi_app is door
    response = make_client(app).get("/hello", headers={"Origin": B})
    assert response.headers.getlist("Access-Control-Allow-Origin") == [B]
    assert response.headers.getlist("Vary") == ["Origin"]


def test_config_is_read_at_init_app() -> None:
    app = hello_app(CORS_ORIGINS=[A])
    CORS(app)
    app.config["CORS_ORIGINS"] = [B]
    response = app.test_client().get("/hello", headers={"Origin": A})
    assert response.headers["Access-Control-Allow-Origin"] == A


def test_undecorated_view_shares_the_app_policy() -> None:
    app = hello_app(CORS_ORIGINS=[A])

    @app.route("/same")
    @cross_origin()
    def same() -> str:
        return "same"

    CORS(app)
    door = app.extensions["corsgate"]
    assert isinstance(door.policy, Policy)
    app.test_client().get("/hello")
    # nothing overridden: no routing needed, the plain middleware serves every request
    assert not door._table


def test_door_steps_aside_once_setup_is_frozen(make_client: MakeClient) -> None:
    app = hello_app(CORS_ORIGINS=[A])
    CORS(app)
    door = app.wsgi_app
    client = make_client(app)
    client.options("/hello", headers={"Origin": A, "Access-Control-Request-Method": "GET"})
    assert app.wsgi_app is door  # a preflight never reached Flask: views may still be added

    @app.route("/late")
    @cross_origin(origins=[B])
    def late() -> str:
        return "late"

    assert cors(client.get("/late", headers={"Origin": B})) == {
        "Access-Control-Allow-Origin": B,
        "Vary": "Origin",
    }
    client.get("/hello")  # Flask has now served a request: its setup is frozen
    assert app.wsgi_app is not door
    assert cors(client.get("/late", headers={"Origin": B})) == {
        "Access-Control-Allow-Origin": B,
        "Vary": "Origin",
    }
    assert cors(client.get("/hello", headers={"Origin": A})) == {
        "Access-Control-Allow-Origin": A,
        "Vary": "Origin",
    }
    # re-configuring puts the door back
    CORS(app, origins=[B])
    assert app.wsgi_app is door
    assert cors(client.get("/hello", headers={"Origin": B})) == {
        "Access-Control-Allow-Origin": B,
        "Vary": "Origin",
    }


def test_door_stays_when_wrapped_by_another_middleware(make_client: MakeClient) -> None:
    app = hello_app(CORS_ORIGINS=[A])
    CORS(app)
    door = app.wsgi_app
    seen: list[str] = []

    def outer(environ: dict[str, Any], start_response: Any) -> Any:
        seen.append(environ["PATH_INFO"])
        return door(environ, start_response)

    app.wsgi_app = outer  # type: ignore[method-assign]
    client = make_client(app)
    for _ in range(2):
        response = client.get("/hello", headers={"Origin": A})
        assert cors(response) == {"Access-Control-Allow-Origin": A, "Vary": "Origin"}
    assert app.wsgi_app is outer
    assert seen == ["/hello", "/hello"]
