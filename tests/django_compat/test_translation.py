"""Every django-cors-headers setting, its default and its old alias, as headers on real requests (sync and async)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.django_project import middleware, views

from .conftest import A, B

DEFAULT_METHODS = "DELETE, GET, OPTIONS, PATCH, POST, PUT"
DEFAULT_HEADERS = "accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with"
VARY = {"Vary": "Origin"}


def _actual(origin: str | None, **extra: str) -> dict[str, str]:
    return {"Access-Control-Allow-Origin": origin, **extra, **VARY} if origin else dict(VARY)


def _preflight(origin: str, **extra: str) -> dict[str, str]:
    headers = {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": DEFAULT_METHODS,
        "Access-Control-Allow-Headers": DEFAULT_HEADERS,
        "Access-Control-Max-Age": "86400",
        **extra,
        **VARY,
    }
    return {name: value for name, value in headers.items() if value}


# (id, settings, origin of a GET /ok/, the CORS headers it gets)
ACTUAL = [
    ("defaults-deny-all", {}, A, VARY),
    ("defaults-no-origin", {}, None, VARY),
    ("allowed-origins", {"CORS_ALLOWED_ORIGINS": [A]}, A, _actual(A)),
    ("allowed-origins-tuple", {"CORS_ALLOWED_ORIGINS": (B, A)}, A, _actual(A)),
    ("allowed-origins-other", {"CORS_ALLOWED_ORIGINS": [A]}, B, VARY),
    ("allowed-origins-wrong-scheme", {"CORS_ALLOWED_ORIGINS": ["http://a.example"]}, A, VARY),
    ("allowed-origins-no-origin", {"CORS_ALLOWED_ORIGINS": [A]}, None, VARY),
    ("allowed-origins-null", {"CORS_ALLOWED_ORIGINS": [A, "null"]}, "null", _actual("null")),
    (
        "allowed-origins-port",
        {"CORS_ALLOWED_ORIGINS": ["https://a.example:8443"]},
        "https://a.example:8443",
        _actual("https://a.example:8443"),
    ),
    ("allowed-origins-normalised", {"CORS_ALLOWED_ORIGINS": ["https://A.example:443"]}, A, _actual(A)),
    ("alias-whitelist", {"CORS_ORIGIN_WHITELIST": [A]}, A, _actual(A)),
    ("new-name-wins-origins", {"CORS_ALLOWED_ORIGINS": [B], "CORS_ORIGIN_WHITELIST": [A]}, A, VARY),
    ("new-name-wins-origins-empty", {"CORS_ALLOWED_ORIGINS": [], "CORS_ORIGIN_WHITELIST": [A]}, A, VARY),
    (
        "regexes",
        {"CORS_ALLOWED_ORIGIN_REGEXES": [r"^https://\w+\.example\.com$"]},
        "https://foo.example.com",
        _actual("https://foo.example.com"),
    ),
    (
        "regexes-full-match",
        {"CORS_ALLOWED_ORIGIN_REGEXES": [r"^https://\w+\.example\.com"]},
        "https://foo.example.com.evil.net",
        VARY,
    ),
    (
        "regexes-compiled",
        {"CORS_ALLOWED_ORIGIN_REGEXES": [re.compile(r"https://\w+\.example\.com")]},
        "https://bar.example.com",
        _actual("https://bar.example.com"),
    ),
    (
        "regexes-alias",
        {"CORS_ORIGIN_REGEX_WHITELIST": [r"https://\w+\.example\.com"]},
        "https://foo.example.com",
        _actual("https://foo.example.com"),
    ),
    (
        "new-name-wins-regexes",
        {
            "CORS_ALLOWED_ORIGIN_REGEXES": [r"https://x\.example"],
            "CORS_ORIGIN_REGEX_WHITELIST": [r"https://\w+\.example\.com"],
        },
        "https://foo.example.com",
        VARY,
    ),
    (
        "lists-and-regexes",
        {"CORS_ALLOWED_ORIGINS": [A], "CORS_ALLOWED_ORIGIN_REGEXES": [r"https://\w+\.b\.example"]},
        "https://x.b.example",
        _actual("https://x.b.example"),
    ),
    ("allow-all", {"CORS_ALLOW_ALL_ORIGINS": True}, B, _actual("*")),
    ("allow-all-no-origin", {"CORS_ALLOW_ALL_ORIGINS": True}, None, VARY),
    ("allow-all-replaces-list", {"CORS_ALLOW_ALL_ORIGINS": True, "CORS_ALLOWED_ORIGINS": [A]}, B, _actual("*")),
    ("allow-all-alias", {"CORS_ORIGIN_ALLOW_ALL": True}, B, _actual("*")),
    ("new-name-wins-allow-all", {"CORS_ALLOW_ALL_ORIGINS": False, "CORS_ORIGIN_ALLOW_ALL": True}, B, VARY),
    ("allow-all-false", {"CORS_ALLOW_ALL_ORIGINS": False, "CORS_ALLOWED_ORIGINS": [A]}, A, _actual(A)),
    (
        "credentials",
        {"CORS_ALLOWED_ORIGINS": [A], "CORS_ALLOW_CREDENTIALS": True},
        A,
        _actual(A, **{"Access-Control-Allow-Credentials": "true"}),
    ),
    ("credentials-denied-origin", {"CORS_ALLOWED_ORIGINS": [A], "CORS_ALLOW_CREDENTIALS": True}, B, VARY),
    (
        "expose-headers",
        {"CORS_ALLOWED_ORIGINS": [A], "CORS_EXPOSE_HEADERS": ["X-App", "X-Other"]},
        A,
        _actual(A, **{"Access-Control-Expose-Headers": "X-App, X-Other"}),
    ),
    ("expose-headers-default-none", {"CORS_ALLOWED_ORIGINS": [A], "CORS_EXPOSE_HEADERS": ()}, A, _actual(A)),
    (
        "expose-headers-star",
        {"CORS_ALLOW_ALL_ORIGINS": True, "CORS_EXPOSE_HEADERS": ["*"]},
        A,
        _actual("*", **{"Access-Control-Expose-Headers": "*"}),
    ),
    ("private-network-not-on-get", {"CORS_ALLOWED_ORIGINS": [A], "CORS_ALLOW_PRIVATE_NETWORK": True}, A, _actual(A)),
    ("max-age-not-on-get", {"CORS_ALLOWED_ORIGINS": [A], "CORS_PREFLIGHT_MAX_AGE": 600}, A, _actual(A)),
]


@pytest.mark.parametrize(("settings_", "origin", "expected"), [c[1:] for c in ACTUAL], ids=[c[0] for c in ACTUAL])
def test_actual_request(
    http: Any, compat_project: Any, settings_: dict[str, Any], origin: str | None, expected: dict[str, str]
) -> None:
    for name, value in settings_.items():
        setattr(compat_project, name, value)
    result = http("GET", "/ok/", origin=origin, Access_Control_Request_Private_Network="true")
    assert result.status == 200
    assert result.cors == expected
    assert views.calls == ["ok"]


# (id, settings, preflight origin, extra request headers, the CORS headers of the answer)
PREFLIGHT = [
    ("defaults-deny-all", {}, A, {}, VARY),
    ("allowed-defaults", {"CORS_ALLOWED_ORIGINS": [A]}, A, {}, _preflight(A)),
    ("allowed-other-origin", {"CORS_ALLOWED_ORIGINS": [A]}, B, {}, VARY),
    (
        "methods",
        {"CORS_ALLOWED_ORIGINS": [A], "CORS_ALLOW_METHODS": ["GET", "POST"]},
        A,
        {},
        _preflight(A, **{"Access-Control-Allow-Methods": "GET, POST"}),
    ),
    (
        "headers",
        {"CORS_ALLOWED_ORIGINS": [A], "CORS_ALLOW_HEADERS": ["x-token", "content-type"]},
        A,
        {"Access_Control_Request_Headers": "x-token"},
        _preflight(A, **{"Access-Control-Allow-Headers": "x-token, content-type"}),
    ),
    (
        "headers-star-echoes",
        {"CORS_ALLOWED_ORIGINS": [A], "CORS_ALLOW_HEADERS": ["*"]},
        A,
        {"Access_Control_Request_Headers": "x-token"},
        {
            **_preflight(A, **{"Access-Control-Allow-Headers": "x-token"}),
            "Vary": "Origin, Access-Control-Request-Headers",
        },
    ),
    (
        "headers-none",
        {"CORS_ALLOWED_ORIGINS": [A], "CORS_ALLOW_HEADERS": []},
        A,
        {},
        _preflight(A, **{"Access-Control-Allow-Headers": ""}),
    ),
    (
        "max-age",
        {"CORS_ALLOWED_ORIGINS": [A], "CORS_PREFLIGHT_MAX_AGE": 600},
        A,
        {},
        _preflight(A, **{"Access-Control-Max-Age": "600"}),
    ),
    (
        "max-age-zero-omits",
        {"CORS_ALLOWED_ORIGINS": [A], "CORS_PREFLIGHT_MAX_AGE": 0},
        A,
        {},
        _preflight(A, **{"Access-Control-Max-Age": ""}),
    ),
    (
        "credentials",
        {"CORS_ALLOWED_ORIGINS": [A], "CORS_ALLOW_CREDENTIALS": True},
        A,
        {},
        _preflight(A, **{"Access-Control-Allow-Credentials": "true"}),
    ),
    ("allow-all", {"CORS_ALLOW_ALL_ORIGINS": True}, B, {}, _preflight("*")),
    (
        "private-network",
        {"CORS_ALLOWED_ORIGINS": [A], "CORS_ALLOW_PRIVATE_NETWORK": True},
        A,
        {"Access_Control_Request_Private_Network": "true"},
        {
            **_preflight(A, **{"Access-Control-Allow-Private-Network": "true"}),
            "Vary": "Origin, Access-Control-Request-Private-Network",
        },
    ),
    (
        "private-network-off",
        {"CORS_ALLOWED_ORIGINS": [A]},
        A,
        {"Access_Control_Request_Private_Network": "true"},
        _preflight(A),
    ),
    (
        "regex-origin",
        {"CORS_ALLOWED_ORIGIN_REGEXES": [r"https://\w+\.example\.com"]},
        "https://foo.example.com",
        {},
        _preflight("https://foo.example.com"),
    ),
]


@pytest.mark.parametrize(
    ("settings_", "origin", "extra", "expected"), [c[1:] for c in PREFLIGHT], ids=[c[0] for c in PREFLIGHT]
)
def test_preflight(
    http: Any,
    compat_project: Any,
    settings_: dict[str, Any],
    origin: str,
    extra: dict[str, str],
    expected: dict[str, str],
) -> None:
    for name, value in settings_.items():
        setattr(compat_project, name, value)
    result = http.preflight("/ok/", origin=origin, method="GET", **extra)
    assert result.status == 200
    assert result.body == b""
    assert result.headers["Content-Length"] == "0"
    assert result.cors == expected
    # Answered by the middleware: nothing below it saw the preflight.
    assert middleware.seen == [] and views.calls == []


@pytest.mark.parametrize(
    ("regex", "covered", "not_covered"),
    [
        (r"^/api/.*$", "/api/ok/", "/ok/"),
        (r"^/api/", "/api/ok/", "/ok/"),  # re.match: a prefix is enough, as in the peer
        (re.compile(r"^/API/", re.IGNORECASE), "/api/ok/", "/ok/"),
        (r"(?i)^/API/", "/api/ok/", "/ok/"),
        (re.compile(r"^/api/  # the API only", re.VERBOSE), "/api/ok/", "/ok/"),
        (r"^/ok/$", "/ok/", "/api/ok/"),
    ],
    ids=["anchored", "prefix", "compiled-ignorecase", "inline-flag", "verbose-comment", "exact"],
)
def test_urls_regex(http: Any, compat_project: Any, regex: Any, covered: str, not_covered: str) -> None:
    compat_project.CORS_ALLOWED_ORIGINS = [A]
    compat_project.CORS_URLS_REGEX = regex
    assert http("GET", covered, origin=A).cors == _actual(A)
    assert http("GET", not_covered, origin=A).cors == {}  # untouched: not even Vary
    assert http.preflight(covered, origin=A, method="GET").cors == _preflight(A)
    middleware.seen.clear()
    outside = http.preflight(not_covered, origin=A, method="GET")
    assert outside.cors == {} and middleware.seen == [("OPTIONS", not_covered)]  # went on to the view


def test_urls_regex_matches_path_info(compat_project: Any) -> None:
    from django.test import Client

    compat_project.CORS_ALLOWED_ORIGINS = [A]
    compat_project.CORS_URLS_REGEX = r"^/ok/$"
    response = Client().get("/ok/", headers={"Origin": A}, SCRIPT_NAME="/prefix")
    assert response["Access-Control-Allow-Origin"] == A


def test_error_responses_get_the_headers(http: Any, compat_project: Any) -> None:
    compat_project.CORS_ALLOWED_ORIGINS = [A]
    compat_project.CORS_ALLOW_CREDENTIALS = True
    for path, status in (("/missing/", 404), ("/boom/", 500), ("/forbidden/", 403), ("/nowhere/", 404)):
        result = http("GET", path, origin=A)
        assert result.status == status
        assert result.cors == _actual(A, **{"Access-Control-Allow-Credentials": "true"})


def test_app_cors_headers_are_replaced(http: Any, compat_project: Any) -> None:
    compat_project.CORS_ALLOWED_ORIGINS = [A]
    result = http("GET", "/app-headers/", origin=A)
    assert result.headers["Access-Control-Allow-Origin"] == A
    assert result.headers["Vary"] == "Cookie, Accept-Language, Origin"


def test_policy_follows_settings_changes(http: Any, compat_project: Any) -> None:
    compat_project.CORS_ALLOWED_ORIGINS = [A]
    assert http("GET", "/ok/", origin=A).cors == _actual(A)
    compat_project.CORS_ALLOWED_ORIGINS = [B]
    assert http("GET", "/ok/", origin=A).cors == VARY
    assert http("GET", "/ok/", origin=B).cors == _actual(B)
    compat_project.CORS_ORIGIN_ALLOW_ALL = True
    assert http("GET", "/ok/", origin=A).cors == _actual("*")
    compat_project.CORS_ALLOW_ALL_ORIGINS = False  # the new name wins over the alias set above
    assert http("GET", "/ok/", origin=A).cors == VARY


def test_override_settings_rebuilds(http: Any) -> None:
    from django.test import override_settings

    with override_settings(CORS_ALLOWED_ORIGINS=[A], CORS_EXPOSE_HEADERS=["X-App"]):
        assert http("GET", "/ok/", origin=A).cors == _actual(A, **{"Access-Control-Expose-Headers": "X-App"})
    assert http("GET", "/ok/", origin=A).cors == VARY


def test_streaming_body_passes_through(http: Any, compat_project: Any) -> None:
    compat_project.CORS_ALLOWED_ORIGINS = [A]
    result = http("GET", "/stream/", origin=A)
    assert result.body == b"chunk1,chunk2"
    assert result.cors == _actual(A)


def test_cors_enabled_attribute(compat_project: Any) -> None:
    from django.test import Client

    compat_project.CORS_ALLOWED_ORIGINS = [A]
    compat_project.CORS_URLS_REGEX = r"^/api/"
    assert Client().get("/api/ok/", headers={"Origin": A}).wsgi_request._cors_enabled is True
    assert Client().get("/ok/", headers={"Origin": A}).wsgi_request._cors_enabled is False
