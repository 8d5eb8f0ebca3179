"""Header-name patterns in ``headers`` (re.Pattern entries): the preflight echoes the requested names that a
listed name or a pattern allows, as the request spelt them, and nothing when none is (issue 16, item 6)."""

from __future__ import annotations

import re

import pytest

from wsgicors import CORSConfigError, Policy

from .wsgi import Recorder, call, environ_for, wrap

A = "https://a.example"
POLICY = {"origins": [A], "methods": ["GET", "PUT"], "headers": ["X-Listed", re.compile(r"X-Company-[A-Za-z]+")]}


def _preflight(request_headers: str | None = None, **options: object) -> dict[str, str]:
    headers = {"ORIGIN": A, "ACCESS_CONTROL_REQUEST_METHOD": "PUT"}
    if request_headers is not None:
        headers["ACCESS_CONTROL_REQUEST_HEADERS"] = request_headers
    app = Recorder()
    response = call(wrap(app, **{**POLICY, **options}), environ_for("OPTIONS", **headers))
    assert app.seen == []
    return dict(response.headers)


@pytest.mark.parametrize(
    ("requested", "echoed"),
    [
        (None, None),
        ("x-listed", "x-listed"),
        ("X-Company-Id", "X-Company-Id"),  # the request's casing
        ("x-company-id,x-listed", "x-company-id, x-listed"),
        ("x-company-id, x-other", "x-company-id"),  # only the names allowed
        ("x-other", None),  # nothing when nothing matches
        ("x-company-", None),  # full match: the pattern wants a letter
        ("x-company-id2", None),
        ("x-listed,,  X-COMPANY-ABC", "x-listed, X-COMPANY-ABC"),
        ("x-listed, bad name", None),  # malformed: nothing echoed
    ],
)
def test_the_requested_names_allowed_are_echoed(requested: str | None, echoed: str | None) -> None:
    headers = _preflight(requested)
    assert headers.get("Access-Control-Allow-Headers") == echoed
    assert headers["Access-Control-Allow-Origin"] == A
    assert headers["Access-Control-Allow-Methods"] == "GET, PUT"
    assert headers["Vary"] == "Origin, Access-Control-Request-Headers"


def test_answers_are_remembered_per_request_value() -> None:
    """One policy, asked again and again: each request value keeps its own answer (the memo is keyed by it)."""
    policy = Policy(**POLICY)
    app = wrap(Recorder(), policy=policy)
    for _ in range(3):
        for requested, echoed in (("x-company-a", "x-company-a"), ("X-Company-B", "X-Company-B"), ("x-no", None)):
            environ = environ_for(
                "OPTIONS", ORIGIN=A, ACCESS_CONTROL_REQUEST_METHOD="PUT", ACCESS_CONTROL_REQUEST_HEADERS=requested
            )
            assert call(app, environ).get("Access-Control-Allow-Headers") == echoed
    assert policy.answers.preflight_memo is not None and len(policy.answers.preflight_memo) == 3
    assert policy.headers_value is None


def test_a_listed_only_policy_still_sends_its_list() -> None:
    """Without a pattern the native surface is unchanged: the list, on every allowed preflight."""
    headers = _preflight("x-other", headers=["X-Listed", "X-B"])
    assert headers["Access-Control-Allow-Headers"] == "X-Listed, X-B"
    assert headers["Vary"] == "Origin"


def test_patterns_in_a_route_override() -> None:
    routes = [{"paths": ["/api"], "headers": [re.compile("x-api-.*")]}]
    app = wrap(Recorder(), origins=[A], routes=routes)
    environ = environ_for(
        "OPTIONS", "/api/x", ORIGIN=A, ACCESS_CONTROL_REQUEST_METHOD="GET", ACCESS_CONTROL_REQUEST_HEADERS="x-api-key"
    )
    assert call(app, environ).get("Access-Control-Allow-Headers") == "x-api-key"


@pytest.mark.parametrize(
    ("headers", "option", "fragment"),
    [
        ([re.compile(r"(x+)+")], "headers", "backtrack"),
        ([re.compile(r"x.*.*.*")], "headers", "repeats in a row"),
        (["*", re.compile("x-.*")], "headers", "'*' already allows any header"),
        ([re.compile(b"x-.*")], "headers", "bytes pattern"),
        (["bad name", re.compile("x-.*")], "headers", "not a valid HTTP token"),
    ],
)
def test_patterns_go_through_the_regex_guard(headers: list[object], option: str, fragment: str) -> None:
    with pytest.raises(CORSConfigError) as raised:
        Policy(origins=[A], headers=headers)
    assert raised.value.option == option
    assert fragment in str(raised.value)
