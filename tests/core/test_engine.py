"""The decision function, table by table: exact header values and absences."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

import pytest

from wsgicors import Decision, Kind, Policy, decide_request, evaluate

A = "https://app.example.com"
B = "https://other.example.net"
EVIL = "https://evil.example.org"
ACAO = "Access-Control-Allow-Origin"
ALL_METHODS = "GET, HEAD, PUT, PATCH, POST, DELETE, OPTIONS, TRACE, CONNECT"


def get(policy: Policy, origin: str | None = None, path: str = "/", **extra: str) -> Decision:
    headers = dict(extra)
    if origin is not None:
        headers["Origin"] = origin
    return decide_request(policy, "GET", path, headers)


def preflight(
    policy: Policy,
    origin: str = A,
    method: str = "PUT",
    request_headers: str | None = None,
    path: str = "/",
    **extra: str,
) -> Decision:
    headers = {"Origin": origin, "Access-Control-Request-Method": method, **extra}
    if request_headers is not None:
        headers["Access-Control-Request-Headers"] = request_headers
    return decide_request(policy, "OPTIONS", path, headers)


# -- requests without Origin ------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "headers", "vary"),
    [
        ({}, ((ACAO, "*"),), ()),
        ({"allow_origin_absent": False}, (), ("Origin",)),
        ({"origins": [A]}, (), ("Origin",)),
        ({"origins": [A], "credentials": True}, (), ("Origin",)),
        ({"origins": ["https://*.example.com"]}, (), ("Origin",)),
        ({"origins": [A], "allow_origin_absent": False}, (), ("Origin",)),
        ({"exposed_headers": ["X-Total"]}, ((ACAO, "*"), ("Access-Control-Expose-Headers", "X-Total")), ()),
    ],
)
def test_no_origin(options: dict[str, Any], headers: tuple[tuple[str, str], ...], vary: tuple[str, ...]) -> None:
    for origin in (None, ""):  # an empty Origin counts as absent
        decision = get(Policy(**options), origin)
        assert decision.kind is Kind.NOT_CORS
        assert decision.headers == headers
        assert decision.vary == vary
        assert decision.respond is False


# -- actual requests -------------------------------------------------------------


def test_star_answers_star_whatever_the_origin() -> None:
    policy = Policy()
    for origin in (A, "null", "not an origin", "https://x\r\n.com"):
        decision = get(policy, origin)
        assert decision.kind is Kind.ACTUAL
        assert decision.headers == ((ACAO, "*"),)
        assert decision.vary == ()


def test_star_without_absent_varies_on_origin() -> None:
    decision = get(Policy(allow_origin_absent=False), A)
    assert decision.headers == ((ACAO, "*"),)
    assert decision.vary == ("Origin",)


@pytest.mark.parametrize(
    ("origins", "origin"),
    [
        ([A], A),
        (["HTTPS://APP.example.com:443/"], A),
        (["https://*.example.com"], A),
        (["https://*.example.com"], "https://a.b.c.example.com"),
        (["https://*.example.com:8443"], "https://x.example.com:8443"),
        (["~https://([a-z0-9-]+\\.)*example\\.com"], A),
        ([re.compile(r"https://app\.example\.com")], A),
        (["null"], "null"),
        (["chrome-extension://abcdefgh"], "chrome-extension://abcdefgh"),
        (["http://localhost:3000"], "http://localhost:3000"),
        (["http://[::1]:3000"], "http://[::1]:3000"),
    ],
)
def test_allowed_origin_is_reflected(origins: list[Any], origin: str) -> None:
    decision = get(Policy(origins=origins), origin)
    assert decision.kind is Kind.ACTUAL
    assert decision.headers == ((ACAO, origin),)
    assert decision.vary == ("Origin",)
    assert decision.reason is None


@pytest.mark.parametrize(
    ("origins", "origin"),
    [
        ([A], B),
        ([A], A + "/"),
        ([A], A.upper()),
        ([A], A + ":443"),
        ([A], "null"),
        ([], A),
        (["https://*.example.com"], "https://example.com"),
        (["https://*.example.com"], "https://evilexample.com"),
        (["https://*.example.com"], "http://app.example.com"),
        (["https://*.example.com"], "https://app.example.com:8443"),
        (["https://*.example.com"], "https://app.example.com.evil.org"),
        (["https://*.example.com"], "https://x.example.com, https://evil.org"),
        (["~https://.*\\.example\\.com"], "https://evil.org/.example.com"),
        (["~https://.*\\.example\\.com"], "https://a.example.com\r\nX: y"),
        (["~https://.*\\.example\\.com"], "https://a.example.com\x00"),
        (["~https://.*\\.example\\.com"], "https://é.example.com"),
        (["~https://.*\\.example\\.com"], "https://user@a.example.com"),
        (["~https://.*\\.example\\.com"], "https://" + "a." * 200 + "example.com"),
    ],
)
def test_denied_origin_gets_nothing_but_vary(origins: list[Any], origin: str) -> None:
    decision = get(Policy(origins=origins), origin)
    assert decision.kind is Kind.DENIED
    assert decision.headers == ()
    assert decision.vary == ("Origin",)
    assert decision.reason == "origin not allowed"


def test_callable_origin_check_gets_origin_and_environ() -> None:
    seen: list[tuple[str, Mapping[str, Any]]] = []

    def check(origin: str, environ: Mapping[str, Any]) -> bool:
        seen.append((origin, environ))
        return origin.endswith(".trusted.test")

    policy = Policy(origins=check)
    assert get(policy, "https://a.trusted.test").headers == ((ACAO, "https://a.trusted.test"),)
    assert get(policy, EVIL).kind is Kind.DENIED
    # Malformed values never reach the user's code.
    assert get(policy, "https://a.trusted.test\r\n").kind is Kind.DENIED
    assert [origin for origin, _ in seen] == ["https://a.trusted.test", EVIL]
    assert seen[0][1]["PATH_INFO"] == "/"


def test_raising_origin_check_denies_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    def check(origin: str, environ: Mapping[str, Any]) -> bool:
        raise RuntimeError("database down")

    with caplog.at_level(logging.ERROR, logger="wsgicors"):
        decision = get(Policy(origins=[A, check]), B)
    assert decision.kind is Kind.DENIED
    assert decision.headers == ()
    assert "origin check raised" in caplog.text and repr(B) in caplog.text
    assert "database down" in caplog.text
    assert get(Policy(origins=[A, check]), A).headers == ((ACAO, A),)


def test_credentials_and_exposed_headers_on_actual_responses() -> None:
    policy = Policy(origins=[A], credentials=True, exposed_headers=["X-Total", "X-Page"])
    decision = get(policy, A)
    assert decision.headers == (
        (ACAO, A),
        ("Access-Control-Allow-Credentials", "true"),
        ("Access-Control-Expose-Headers", "X-Total, X-Page"),
    )
    assert decision.expose_response_headers is False


def test_expose_star_is_literal_without_credentials() -> None:
    decision = get(Policy(origins=[A], exposed_headers="*"), A)
    assert decision.header("Access-Control-Expose-Headers") == "*"
    assert decision.expose_response_headers is False


def test_expose_star_with_credentials_lists_the_response_headers() -> None:
    decision = get(Policy(origins=[A], exposed_headers="*", credentials=True), A)
    assert decision.header("Access-Control-Expose-Headers") is None
    assert decision.expose_response_headers is True
    wildcard = get(Policy(origins=["https://*.example.com"], exposed_headers="*", credentials=True), A)
    assert wildcard.expose_response_headers is True


def test_options_without_request_method_is_an_actual_request() -> None:
    decision = decide_request(Policy(origins=[A]), "OPTIONS", "/", {"Origin": A})
    assert decision.kind is Kind.ACTUAL
    assert decision.respond is False
    assert decision.headers == ((ACAO, A),)


def test_preflight_headers_without_origin_are_not_cors() -> None:
    decision = decide_request(Policy(origins=[A]), "OPTIONS", "/", {"Access-Control-Request-Method": "PUT"})
    assert decision.kind is Kind.NOT_CORS
    assert decision.respond is False


# -- preflights ----------------------------------------------------------------


def test_allowed_preflight_full_answer() -> None:
    policy = Policy(
        origins=[A],
        credentials=True,
        methods=["GET", "PUT"],
        headers=["Content-Type", "X-Token"],
        max_age=600,
    )
    decision = preflight(policy, request_headers="content-type,x-token")
    assert decision.kind is Kind.PREFLIGHT
    assert decision.respond is True
    assert decision.status == 200
    assert decision.headers == (
        (ACAO, A),
        ("Access-Control-Allow-Credentials", "true"),
        ("Access-Control-Max-Age", "600"),
        ("Access-Control-Allow-Methods", "GET, PUT"),
        ("Access-Control-Allow-Headers", "Content-Type, X-Token"),
        ("Content-Type", "text/plain"),
        ("Content-Length", "0"),
    )
    assert decision.vary == ("Origin",)
    assert decision.reason is None


def test_default_preflight_echoes_validated_request_headers() -> None:
    decision = preflight(Policy(), request_headers=" X-Token ,, content-type ,")
    assert decision.headers == (
        (ACAO, "*"),
        ("Access-Control-Allow-Methods", ALL_METHODS),
        ("Access-Control-Allow-Headers", "x-token, content-type"),
        ("Content-Type", "text/plain"),
        ("Content-Length", "0"),
    )
    assert decision.vary == ("Access-Control-Request-Headers",)


@pytest.mark.parametrize(
    "value",
    ["x-a\r\nx-b", "x-a;x-b", "x a", "é", "x-a," * 100, "a" * 3000, "x-a\x00"],
)
def test_malformed_request_headers_are_never_echoed(value: str) -> None:
    decision = preflight(Policy(origins=[A]), request_headers=value)
    assert decision.kind is Kind.PREFLIGHT
    assert decision.header("Access-Control-Allow-Headers") is None
    assert decision.reason is not None and "malformed" in decision.reason
    assert repr(value[:200]) in decision.reason  # escaped, and capped (issue 11)


def test_preflight_asking_for_a_method_outside_the_policy_still_gets_the_full_answer() -> None:
    decision = preflight(Policy(origins=[A], methods=["GET", "POST"]), method="DELETE")
    assert decision.kind is Kind.PREFLIGHT
    assert decision.header(ACAO) == A
    assert decision.header("Access-Control-Allow-Methods") == "GET, POST"
    assert decision.reason == "method 'DELETE' is not in methods"


def test_methods_are_compared_case_sensitively() -> None:
    # fetch() does not upper-case 'patch', and the browser compares byte-wise.
    decision = preflight(Policy(origins=[A], methods=["PATCH"]), method="patch")
    assert decision.reason == "method 'patch' is not in methods"


def test_preflight_asking_for_a_header_outside_the_policy_still_gets_the_full_answer() -> None:
    decision = preflight(Policy(origins=[A], headers=["X-Token"]), request_headers="x-token,x-other")
    assert decision.header("Access-Control-Allow-Headers") == "X-Token"
    assert decision.reason == "headers ['x-other'] are not in headers"


def test_star_methods_echo_a_single_validated_method() -> None:
    policy = Policy(origins=[A], methods="*", credentials=True)
    decision = preflight(policy, method="PURGE")
    assert decision.header("Access-Control-Allow-Methods") == "PURGE"
    assert decision.vary == ("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers")
    widened = preflight(policy, method="GET, DELETE")
    assert widened.header("Access-Control-Allow-Methods") is None
    assert widened.reason is not None and "'GET, DELETE'" in widened.reason


def test_star_headers_echo_like_none() -> None:
    decision = preflight(Policy(origins=[A], headers="*", credentials=True), request_headers="authorization")
    assert decision.header("Access-Control-Allow-Headers") == "authorization"
    assert "Access-Control-Request-Headers" in decision.vary


def test_private_network_only_when_enabled_and_asked() -> None:
    asked = {"Access-Control-Request-Private-Network": "true"}
    on = Policy(origins=[A], private_network=True, headers=["X-A"])
    assert preflight(on, **asked).header("Access-Control-Allow-Private-Network") == "true"
    assert preflight(on).header("Access-Control-Allow-Private-Network") is None
    assert preflight(on).vary == ("Origin", "Access-Control-Request-Private-Network")
    off = Policy(origins=[A], headers=["X-A"])
    assert preflight(off, **asked).header("Access-Control-Allow-Private-Network") is None
    denied = preflight(on, origin=EVIL, **asked)
    assert denied.header("Access-Control-Allow-Private-Network") is None


def test_max_age_zero_is_sent() -> None:
    assert preflight(Policy(max_age=0)).header("Access-Control-Max-Age") == "0"
    assert preflight(Policy()).header("Access-Control-Max-Age") is None


def test_preflight_status_204_has_no_content_headers() -> None:
    decision = preflight(Policy(origins=[A], preflight_status=204))
    assert decision.status == 204
    assert decision.header("Content-Type") is None and decision.header("Content-Length") is None
    denied = preflight(Policy(origins=[A], preflight_status=204), origin=EVIL)
    assert denied.status == 204 and denied.headers == ()


def test_denied_preflight_is_answered_without_any_cors_header() -> None:
    decision = preflight(Policy(origins=[A], headers=["X-A"]), origin=EVIL)
    assert decision.kind is Kind.DENIED
    assert decision.respond is True
    assert decision.status == 200
    assert decision.headers == (("Content-Type", "text/plain"), ("Content-Length", "0"))
    assert decision.vary == ("Origin",)


def test_preflight_continue_passes_to_the_app_with_headers() -> None:
    policy = Policy(origins=[A], preflight_continue=True, headers=["X-A"])
    decision = preflight(policy)
    assert decision.kind is Kind.PREFLIGHT
    assert decision.respond is False and decision.status is None
    assert decision.header(ACAO) == A
    assert decision.header("Content-Length") is None
    denied = preflight(policy, origin=EVIL)
    assert denied.kind is Kind.DENIED and denied.respond is False and denied.headers == ()
    assert denied.vary == ("Origin",)


# -- routes ----------------------------------------------------------------------


ROUTED = Policy(
    origins=[A],
    routes=[
        {"paths": ["/api/public"], "origins": "*"},
        {"paths": ["/api"], "match_methods": ["GET"], "credentials": True},
        {"paths": ["~/v[0-9]+/items"], "methods": ["GET", "PATCH"]},
        {"hosts": ["admin.example.com"], "paths": ["/"], "origins": [B]},
    ],
)


@pytest.mark.parametrize(
    ("path", "host", "acao", "acac"),
    [
        ("/api/public", "x", "*", None),
        ("/api/public/x", "x", "*", None),
        ("/api/publicity", "x", A, "true"),  # prefixes stop at segment boundaries
        ("/api", "x", A, "true"),
        ("/api/users", "x", A, "true"),
        ("/apix", "x", None, None),
        ("/v2/items", "x", A, None),
        ("/v2/items/1", "x", None, None),  # regexes are full-matched
        ("/V2/items", "x", None, None),  # and case-sensitive
        ("/api/../admin", "x", None, None),  # dot segments match no route
        ("/", "admin.example.com:8080", None, None),
    ],
)
def test_routes_first_match_wins(path: str, host: str, acao: str | None, acac: str | None) -> None:
    decision = decide_request(ROUTED, "GET", path, {"Origin": A, "Host": host})
    assert decision.header(ACAO) == acao
    assert decision.header("Access-Control-Allow-Credentials") == acac


def test_route_by_host() -> None:
    decision = decide_request(ROUTED, "GET", "/", {"Origin": B, "Host": "admin.example.com"})
    assert decision.headers == ((ACAO, B),)


def test_unmatched_route_passes_through_untouched() -> None:
    for headers in ({"Origin": A}, {}):
        decision = decide_request(ROUTED, "GET", "/elsewhere", headers)
        assert decision.kind is Kind.NOT_CORS
        assert decision.touches_response is False


def test_route_match_methods_use_the_requested_method_for_preflights() -> None:
    asks_get = preflight(ROUTED, method="GET", path="/api/users")
    assert asks_get.kind is Kind.PREFLIGHT and asks_get.header("Access-Control-Allow-Credentials") == "true"
    asks_delete = preflight(ROUTED, method="DELETE", path="/api/users")
    assert asks_delete.kind is Kind.NOT_CORS and asks_delete.respond is False


def test_route_methods_override_allow_methods() -> None:
    decision = preflight(ROUTED, method="PATCH", path="/v1/items")
    assert decision.header("Access-Control-Allow-Methods") == "GET, PATCH"


# -- explanations ----------------------------------------------------------------


def test_denials_are_logged_at_debug_with_values_escaped(caplog: pytest.LogCaptureFixture) -> None:
    hostile = "https://evil.org\r\n2026-01-01 INFO forged"
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/x\n", "HTTP_ORIGIN": hostile}
    with caplog.at_level(logging.DEBUG, logger="wsgicors"):
        decision = evaluate(Policy(origins=[A]), environ)
    assert decision.kind is Kind.DENIED
    (record,) = caplog.records
    message = record.getMessage()
    assert "\r" not in message and "\n" not in message
    assert repr(hostile) in message
    assert "not a serialised origin" in message
    assert "origin not allowed" in message


def test_left_out_headers_are_explained(caplog: pytest.LogCaptureFixture) -> None:
    environ = {
        "REQUEST_METHOD": "OPTIONS",
        "PATH_INFO": "/",
        "HTTP_ORIGIN": A,
        "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "DELETE",
    }
    with caplog.at_level(logging.DEBUG, logger="wsgicors"):
        evaluate(Policy(origins=[A], methods=["GET"]), environ)
    assert "method 'DELETE' is not in methods" in caplog.text


def test_allowed_requests_log_nothing(caplog: pytest.LogCaptureFixture) -> None:
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "HTTP_ORIGIN": A}
    with caplog.at_level(logging.DEBUG, logger="wsgicors"):
        evaluate(Policy(origins=[A]), environ)
    assert caplog.records == []


def test_decisions_are_immutable() -> None:
    decision = get(Policy(origins=[A]), A)
    with pytest.raises(AttributeError):
        decision.status = 500  # type: ignore[misc]


def test_empty_route_list_covers_nothing() -> None:
    # Like origins=[], an empty list is never a wildcard.
    policy = Policy(origins=[A], routes=[])
    decision = decide_request(policy, "GET", "/api", {"Origin": A})
    assert decision.kind is Kind.NOT_CORS
    assert decision.touches_response is False


def test_precomputed_and_computed_preflight_answers_agree() -> None:
    # A static answer is precomputed per origin; a refused header takes the
    # computed path. Both must send the same headers, Vary and status.
    policy = Policy(origins=[A], methods=["GET", "PUT"], headers=["X-Token"], credentials=True, max_age=5)
    static = preflight(policy, request_headers="x-token")
    computed = preflight(policy, request_headers="x-token,x-other")
    assert static is policy.preflight_by_origin[A]
    assert computed.reason == "headers ['x-other'] are not in headers"
    assert (computed.headers, computed.vary, computed.status, computed.extra) == (
        static.headers,
        static.vary,
        static.status,
        static.extra,
    )
