"""PasteDeploy's [filter:cors]: the WSGI door loaded from an .ini file, options read from strings (issue 18, item 6)."""

from __future__ import annotations

import re
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any
from wsgiref.validate import validator

import pytest
from paste.deploy import loadapp
from paste.deploy.converters import asbool

from tests.core.wsgi import call, environ_for
from wsgicors import CORSConfigError, CORSMiddleware
from wsgicors.paste import filter_factory

HERE = Path(__file__).resolve().parent
A = "https://a.example"


def _load(name: str) -> Any:
    return validator(loadapp(f"config:{name}", relative_to=str(HERE)))


def test_the_ini_file_wraps_the_app() -> None:
    app = _load("cors.ini")
    response = call(app, environ_for(ORIGIN=A))
    assert response.status == "200 OK"
    assert response.body == b"hello"
    assert response.headers == [
        ("Content-Type", "text/plain"),
        ("Content-Length", "5"),
        ("Access-Control-Allow-Origin", A),
        ("Access-Control-Allow-Credentials", "true"),
        ("Access-Control-Expose-Headers", "X-Total"),
        ("Vary", "Origin"),
    ]


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("https://b.example", True),
        ("https://x.y.example.org", True),  # the wildcard, after a line break in the value
        ("https://app12.example.net", True),  # the regex keeps its comma ({1,3})
        ("https://app1234.example.net", False),
        ("https://example.org", False),
        ("https://evil.example", False),
    ],
)
def test_every_listed_origin_is_read(origin: str, allowed: bool) -> None:
    response = call(_load("cors.ini"), environ_for(ORIGIN=origin))
    assert response.get("Access-Control-Allow-Origin") == (origin if allowed else None)
    assert response.get("Vary") == "Origin"


def test_preflight_is_answered_with_the_options_as_read() -> None:
    environ = environ_for(
        "OPTIONS", ORIGIN=A, ACCESS_CONTROL_REQUEST_METHOD="PUT", ACCESS_CONTROL_REQUEST_HEADERS="x-token"
    )
    response = call(_load("cors.ini"), environ)
    assert response.status == "200 OK"
    assert response.headers == [
        ("Access-Control-Allow-Origin", A),
        ("Access-Control-Allow-Credentials", "true"),
        ("Access-Control-Max-Age", "600"),
        ("Access-Control-Allow-Methods", "GET, POST, PUT"),
        ("Access-Control-Allow-Headers", "X-Token, Content-Type"),
        ("Content-Type", "text/plain"),
        ("Content-Length", "0"),
        ("Vary", "Origin"),
    ]


def test_a_bad_key_fails_at_load_time_naming_ours() -> None:
    with pytest.raises(CORSConfigError) as raised:
        loadapp("config:bad.ini", relative_to=str(HERE))
    assert raised.value.option == "origin"
    assert raised.value.fix == "'origin' is wsgicors 0.7's key: write origins = ..."


# (section's strings, the key named, a fragment of the message, the fix's line to paste back or None)
REFUSALS: list[tuple[dict[str, str], str, str, str | None]] = [
    ({"origins": A, "credentials": "maybe"}, "credentials", "true/false, yes/no", "credentials = false"),
    ({"origins": A, "private_network": ""}, "private_network", "true/false", "private_network = false"),
    ({"origins": A, "credentials": "true", "max_age": "10m"}, "max_age", "whole number", "max_age = 600"),
    ({"origins": A, "max_age": "-1"}, "max_age", "whole number", "max_age = 600"),
    ({"origins": A, "preflight_status": "ok"}, "preflight_status", "whole number", "preflight_status = 204"),
    ({"credentials": "false"}, "origins", "needs origins", "origins = https://app.example.com"),
    ({}, "origins", "an empty section must not allow every origin", "origins = *"),
    ({"origins": " , "}, "origins", "an empty list", "origins = *"),
    ({"origins": "*", "credentials": "true"}, "origins", "hand every site", "credentials = false"),
    ({"origns": A}, "origns", "unknown key", None),
    ({"maxage": "10"}, "maxage", "unknown key", None),
    ({"free_origin": "copy"}, "free_origin", "unknown key", None),
    ({"policy": "free"}, "policy", "unknown key", None),
    ({"routes": "/api"}, "routes", "unknown key", None),
    ({"origins": A, "methods": "GET;POST"}, "methods", "not a valid HTTP token", None),
]


@pytest.mark.parametrize(("conf", "option", "fragment", "fix"), REFUSALS)
def test_refusals_name_the_key_and_the_fix(conf: dict[str, str], option: str, fragment: str, fix: str | None) -> None:
    with pytest.raises(CORSConfigError) as raised:
        filter_factory({}, **conf)
    assert raised.value.option == option
    assert fragment in str(raised.value)
    if fix is not None:
        assert fix in raised.value.fix
        key, _, value = fix.partition(" = ")
        value = value.split(" (", 1)[0]
        filter_factory({}, **{**conf, key: value})  # pasted back: accepted


def test_unknown_keys_name_the_key_meant() -> None:
    hints = {}
    for key in ("origns", "maxage", "free_origin", "subdom_expose_headers", "policy"):
        with pytest.raises(CORSConfigError) as raised:
            filter_factory({}, **{key: "x"})
        hints[key] = raised.value.fix
    assert hints["origns"] == "did you mean origins = ...?"
    assert hints["maxage"] == "'maxage' is wsgicors 0.7's key: write max_age = ..."
    assert hints["free_origin"].startswith("'free_origin' is a wsgicors 0.7 policy key: write origins = ...")
    assert hints["subdom_expose_headers"].startswith(
        "'subdom_expose_headers' is a wsgicors 0.7 policy key: write exposed"
    )
    assert "one [filter:cors] section is one policy here" in hints["policy"]


@pytest.mark.parametrize("text", ["true", "True", " yes ", "on", "y", "t", "1", "false", "No", "off", "n", "f", "0"])
def test_switches_read_as_pastedeploy_reads_them(text: str) -> None:
    middleware = filter_factory({}, origins=A, credentials=text)(lambda environ, start_response: [])
    assert isinstance(middleware, CORSMiddleware)
    assert middleware.policy.credentials is asbool(text)


def test_global_conf_is_not_read_as_options() -> None:
    middleware = filter_factory({"credentials": "true", "origins": "*"}, origins=A)(lambda e, s: [])
    assert middleware.policy.credentials is False


def _egg_entry_point() -> Any:
    found = [
        ep for ep in entry_points(group="paste.filter_factory", name="cors") if ep.dist and ep.dist.name == "corsgate"
    ]
    return found[0] if found else None


@pytest.mark.skipif(
    _egg_entry_point() is None,
    reason="corsgate's entry points are not installed here (pip install -e '.[test]' installs them, as CI does)",
)
def test_the_egg_form_loads_the_installed_entry_point() -> None:
    assert _egg_entry_point().value == "wsgicors.paste:filter_factory"
    response = call(_load("egg.ini"), environ_for(ORIGIN=A))
    assert response.get("Access-Control-Allow-Origin") == A
    assert response.get("Access-Control-Allow-Credentials") == "true"


def test_the_entry_point_is_declared() -> None:
    pyproject = (HERE.parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    section = re.search(r'\[project\.entry-points\."paste\.filter_factory"\]\n(.*?)\n\n', pyproject + "\n\n", re.S)
    assert section is not None and section[1].strip() == 'cors = "wsgicors.paste:filter_factory"'
