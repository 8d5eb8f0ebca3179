"""Issue 17, items 3 and 7: 'null' with credentials, max_age past 2**31 - 1, methods=[], and
plain-HTTP wildcards with credentials; through the core and the WSGI middleware
(``wsgiref.validate`` on both sides)."""

from __future__ import annotations

import re
import warnings
from typing import Any

import pytest

from wsgicors import CORSConfigError, CORSConfigWarning, CORSMiddleware, Policy, decide_request
from wsgicors.options import MAX_AGE_LIMIT

from .wsgi import Recorder, call, environ_for, wrap

A = "https://app.example.com"
PREFLIGHT = {"Origin": A, "Access-Control-Request-Method": "PUT"}


def _refused(**options: Any) -> CORSConfigError:
    """The error both the core and the WSGI door raise for ``options``."""
    with pytest.raises(CORSConfigError) as core:
        Policy(**options)
    with pytest.raises(CORSConfigError) as door:
        CORSMiddleware(Recorder(), **options)
    assert str(door.value) == str(core.value)
    return core.value


# -- item 3: 'null' with credentials ----------------------------------------------------


@pytest.mark.parametrize("origins", [["null"], [A, "null"], ("null",), "null"])
def test_null_with_credentials_is_refused_with_the_reason_and_the_fix(origins: Any) -> None:
    error = _refused(origins=origins, credentials=True)
    assert error.option == "origins"
    assert "sandboxed iframe" in error.problem and "any site" in error.problem
    assert error.fix == "remove 'null' from origins, or set credentials=False"
    # Both fixes are accepted when pasted back, and neither answers 'null' with credentials.
    without_null = [o for o in ([origins] if isinstance(origins, str) else origins) if o != "null"]
    for fixed in (Policy(origins=without_null, credentials=True), Policy(origins=origins, credentials=False)):
        answer = decide_request(fixed, "GET", "/", {"Origin": "null"})
        assert answer.header("Access-Control-Allow-Credentials") is None


def test_null_without_credentials_is_still_allowed_exactly() -> None:
    response = call(wrap(Recorder(), origins=["null"]), environ_for(Origin="null"))
    assert response.cors() == {"Access-Control-Allow-Origin": "null"}


def test_a_route_with_null_and_credentials_is_refused_too() -> None:
    with pytest.raises(CORSConfigError, match="sandboxed iframe"):
        Policy(origins=[A], routes=[{"paths": ["/embed"], "origins": ["null"], "credentials": True}])


# -- item 7: max_age --------------------------------------------------------------------


@pytest.mark.parametrize("max_age", [10**100, 2**31, MAX_AGE_LIMIT + 1])
def test_max_age_past_2_31_minus_1_is_refused_naming_the_browsers_caps(max_age: int) -> None:
    error = _refused(origins=[A], max_age=max_age)
    assert error.option == "max_age"
    assert "2**31 - 1" in error.problem
    assert "Chromium at most 7200 s" in error.problem and "Firefox at most 86400 s" in error.problem
    assert error.fix == "max_age=7200"
    # The error quotes the value capped, not 101 digits.
    assert len(str(error)) < 600


@pytest.mark.parametrize("max_age", [0, 7200, 86400, MAX_AGE_LIMIT])
def test_max_age_up_to_2_31_minus_1_is_sent_as_given(max_age: int) -> None:
    response = call(wrap(Recorder(), origins=[A], max_age=max_age), environ_for("OPTIONS", **_wsgi(PREFLIGHT)))
    assert response.get("Access-Control-Max-Age") == str(max_age)


def _wsgi(headers: dict[str, str]) -> dict[str, str]:
    return {name.replace("-", "_"): value for name, value in headers.items()}


# -- item 7: methods=[] -----------------------------------------------------------------


@pytest.mark.parametrize("methods", [[], (), "", " , "])
def test_an_empty_methods_list_is_refused_never_sent_empty(methods: Any) -> None:
    error = _refused(origins=[A], methods=methods)
    assert error.option == "methods"
    assert error.value == methods
    assert "allows no method" in error.problem
    assert error.fix.startswith("methods=['GET', 'HEAD', 'POST']")
    pasted = Policy(origins=[A], methods=["GET", "HEAD", "POST"])
    response = call(wrap(Recorder(), policy=pasted), environ_for("OPTIONS", **_wsgi(PREFLIGHT)))
    assert response.get("Access-Control-Allow-Methods") == "GET, HEAD, POST"


def test_an_empty_methods_list_in_a_route_is_refused() -> None:
    with pytest.raises(CORSConfigError, match="allows no method"):
        Policy(origins=[A], routes=[{"paths": ["/api"], "methods": []}])


def test_no_answer_ever_carries_an_empty_allow_methods_header() -> None:
    for methods in (["GET"], "*", ["PUT", "PATCH"]):
        response = call(wrap(Recorder(), origins=[A], methods=methods), environ_for("OPTIONS", **_wsgi(PREFLIGHT)))
        assert response.get("Access-Control-Allow-Methods")


# -- item 7: plain-HTTP wildcards with credentials ----------------------------------------


def test_an_http_wildcard_with_credentials_warns_naming_https() -> None:
    with pytest.warns(CORSConfigWarning) as caught:
        Policy(origins=["http://*.example.com"], credentials=True)
    (warning,) = caught
    message = str(warning.message)
    assert "a network attacker" in message and "plain-HTTP subdomain" in message
    fixed = re.search(r"write '([^']+)'", message)
    assert fixed and fixed[1] == "https://*.example.com"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Policy(origins=[fixed[1]], credentials=True)


@pytest.mark.parametrize(
    "options",
    [
        {"origins": ["http://*.example.com"]},  # no credentials
        {"origins": ["https://*.example.com"], "credentials": True},
        {"origins": ["http://*.localhost:3000"], "credentials": True},  # loopback: no network to attack
        {"origins": ["http://app.example.com"], "credentials": True},  # one origin, listed on purpose
    ],
)
def test_no_warning_without_the_risk(options: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Policy(**options)
