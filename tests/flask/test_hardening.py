"""Issue 17 through the Flask door (``flask_ext.CORS``): keyword arguments and app.config keys,
each refusal written in the vocabulary used; the allowed cases through Flask's test client
and through ``wsgiref.validate``."""

from __future__ import annotations

from typing import Any

import pytest

from flask_ext import CORS, CORSConfigError
from wsgicors import CORSConfigWarning

from .conftest import MakeClient
from .util import cors, hello_app

MINE = "https://a.myapp.github.io"
ATTACKER = "https://attacker.github.io"


REFUSED = [
    (
        {"origins": ["https://*.github.io"], "credentials": True},
        "origins",
        "anyone can register a name under github.io",
    ),
    ({"origins": [r"~https://.*\.vercel\.app"]}, "origins", "anyone can register a name under vercel.app"),
    ({"origins": [r"~https://a\.example\.com.*"]}, "origins", "it would let in 'https://a.example.com.attacker.com'"),
    ({"origins": [r"~https://.*example\.com"]}, "origins", "it would let in 'https://attackerexample.com'"),
    ({"origins": ["null"], "credentials": True}, "origins", "sandboxed iframe"),
    ({"max_age": 10**100}, "max_age", "Chromium at most 7200 s"),
    ({"methods": []}, "methods", "allows no method"),
]


@pytest.mark.parametrize(("options", "option", "problem"), REFUSED)
def test_refused_as_keywords(options: dict[str, Any], option: str, problem: str) -> None:
    with pytest.raises(CORSConfigError) as info:
        CORS(hello_app(), **options)
    assert info.value.option == option
    assert problem in info.value.problem


@pytest.mark.parametrize(("options", "option", "problem"), REFUSED)
def test_refused_as_config_keys_with_the_fix_as_a_config_key(
    options: dict[str, Any], option: str, problem: str
) -> None:
    app = hello_app(**{f"CORS_{name.upper()}": value for name, value in options.items()})
    with pytest.raises(CORSConfigError) as info:
        CORS(app)
    assert info.value.option == f"CORS_{option.upper()}"
    assert problem in info.value.problem
    assert "=" not in info.value.fix or 'app.config["CORS_' in info.value.fix


def test_null_with_credentials_fix_names_the_config_key() -> None:
    with pytest.raises(CORSConfigError) as info:
        CORS(hello_app(CORS_ORIGINS=["null"], CORS_CREDENTIALS=True))
    assert info.value.fix == """remove 'null' from origins, or set app.config["CORS_CREDENTIALS"] = False"""


def test_a_wildcard_under_a_site_of_a_public_suffix_answers_exactly(make_client: MakeClient) -> None:
    app = hello_app(CORS_ORIGINS=["https://*.myapp.github.io"], CORS_CREDENTIALS=True)
    CORS(app)
    client = make_client(app)
    mine = client.get("/hello", headers={"Origin": MINE})
    assert cors(mine) == {
        "Access-Control-Allow-Origin": MINE,
        "Access-Control-Allow-Credentials": "true",
        "Vary": "Origin",
    }
    assert cors(client.get("/hello", headers={"Origin": ATTACKER})) == {"Vary": "Origin"}
    preflight = client.options("/hello", headers={"Origin": ATTACKER, "Access-Control-Request-Method": "PUT"})
    assert {k for k in cors(preflight) if k.startswith("Access-Control-")} == set()


def test_max_age_at_the_limit_is_sent(make_client: MakeClient) -> None:
    app = hello_app(CORS_ORIGINS=[MINE], CORS_MAX_AGE=2**31 - 1, CORS_METHODS=["GET", "HEAD", "POST"])
    CORS(app)
    preflight = make_client(app).options("/hello", headers={"Origin": MINE, "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Max-Age"] == "2147483647"
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD, POST"


def test_an_http_wildcard_with_credentials_warns() -> None:
    with pytest.warns(CORSConfigWarning, match=r"write 'https://\*\.example\.com'"):
        CORS(hello_app(CORS_ORIGINS=["http://*.example.com"], CORS_CREDENTIALS=True))
