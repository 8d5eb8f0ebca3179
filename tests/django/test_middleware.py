"""The middleware's behaviour, every test through the sync Client and the AsyncClient."""

from __future__ import annotations

import logging

import django
import pytest
from django.test import override_settings

from tests.django_project import middleware, views

from .conftest import APP, Http

ACAO = "Access-Control-Allow-Origin"

# The test project's CORS setting, as the browser must see it.
ACTUAL = {
    ACAO: APP,
    "Access-Control-Allow-Credentials": "true",
    "Access-Control-Expose-Headers": "X-App",
    "Vary": "Origin",
}
PREFLIGHT = {
    ACAO: APP,
    "Access-Control-Allow-Credentials": "true",
    "Access-Control-Max-Age": "600",
    "Access-Control-Allow-Methods": "GET, POST",
    "Access-Control-Allow-Headers": "Content-Type, X-Token",
    "Content-Type": "text/plain",
    "Content-Length": "0",
    "Vary": "Origin",
}
LOGIN_REQUIRED = "django.contrib.auth.middleware.LoginRequiredMiddleware"
# Django 4.2's 500 path reads the session, so SessionMiddleware adds Vary: Cookie.
VARY_500 = "Cookie, Origin" if django.VERSION < (5, 0) else "Origin"


# --- preflights -----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/ok/", "/nope/", "/private/", "/post/", "/redirect/", "/boom/"])
def test_preflight_is_answered_before_any_later_middleware_or_view(http: Http, path: str) -> None:
    # /nope/ does not resolve, /private/ needs a login, /post/ is CSRF-protected.
    result = http.preflight(path, Access_Control_Request_Headers="content-type")
    assert result.status == 200
    assert result.headers == PREFLIGHT
    assert result.body == b""
    assert middleware.seen == []  # session, CSRF, auth and the URL resolver never ran
    assert views.calls == []


@pytest.mark.skipif(django.VERSION < (5, 1), reason="LoginRequiredMiddleware is Django 5.1+")
def test_preflight_is_answered_before_login_required_middleware(http: Http) -> None:
    from django.conf import settings as dj

    with override_settings(MIDDLEWARE=[*dj.MIDDLEWARE, LOGIN_REQUIRED]):
        preflight = http.preflight("/ok/")
        actual = http("GET", "/ok/", origin=APP)
    assert preflight.status == 200
    assert preflight.headers == PREFLIGHT
    # The actual request is sent to the login page, and the redirect still carries CORS headers.
    assert actual.status == 302
    assert actual.headers["Location"] == "/login/?next=/ok/"
    assert actual.cors == {**ACTUAL, "Vary": "Cookie, Origin"}  # the session's Vary, merged
    assert views.calls == []


def test_preflight_from_a_denied_origin_gets_no_access_control_header(http: Http) -> None:
    result = http.preflight("/ok/", origin="https://evil.example")
    assert result.status == 200
    assert result.headers == {"Content-Type": "text/plain", "Content-Length": "0", "Vary": "Origin"}
    assert middleware.seen == []
    assert views.calls == []


def test_preflight_for_a_method_outside_the_policy_still_gets_the_full_answer(http: Http) -> None:
    result = http.preflight("/ok/", method="DELETE")
    assert result.status == 200
    assert result.headers == PREFLIGHT


def test_preflight_with_status_204_has_neither_content_type_nor_length(http: Http) -> None:
    from django.conf import settings

    with override_settings(CORS={**settings.CORS, "preflight_status": 204}):
        result = http.preflight("/ok/")
    expected = {k: v for k, v in PREFLIGHT.items() if k not in ("Content-Type", "Content-Length")}
    assert result.status == 204
    assert result.headers == expected
    assert views.calls == []


def test_preflight_continue_passes_the_preflight_to_the_view(http: Http) -> None:
    from django.conf import settings

    with override_settings(CORS={**settings.CORS, "preflight_continue": True}):
        result = http.preflight("/ok/")
    assert result.status == 200
    assert result.body == b"ok OPTIONS"
    assert views.calls == ["ok"]
    assert result.headers["X-App"] == "1"
    assert result.headers["Content-Type"] == "text/html; charset=utf-8"  # the view's, not ours
    assert result.cors == {k: v for k, v in PREFLIGHT.items() if k not in ("Content-Type", "Content-Length")}


def test_options_without_request_method_is_not_a_preflight(http: Http) -> None:
    result = http("OPTIONS", "/ok/", origin=APP)
    assert result.body == b"ok OPTIONS"
    assert views.calls == ["ok"]
    assert result.cors == ACTUAL


# --- actual requests -------------------------------------------------------------


def test_allowed_get_gets_exact_headers(http: Http) -> None:
    result = http("GET", "/ok/", origin=APP)
    assert result.status == 200
    assert result.body == b"ok GET"
    assert result.cors == ACTUAL
    assert views.calls == ["ok"]
    assert middleware.seen == [("GET", "/ok/")]


def test_async_view_gets_the_same_headers(http: Http) -> None:
    result = http("GET", "/async-ok/", origin="https://a.b.trusted.example")
    assert result.status == 200
    assert result.body == b"async ok GET"
    assert result.cors == {**ACTUAL, ACAO: "https://a.b.trusted.example"}
    assert views.calls == ["async_ok"]


def test_get_without_origin_gets_only_vary(http: Http) -> None:
    result = http("GET", "/ok/")
    assert result.status == 200
    assert result.cors == {"Vary": "Origin"}


def test_empty_origin_counts_as_absent(http: Http) -> None:
    result = http("GET", "/ok/", origin="")
    assert result.cors == {"Vary": "Origin"}


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "https://app.example.evil.example", "null", "https://trusted.example"]
)
def test_denied_origin_gets_only_vary(http: Http, origin: str) -> None:
    result = http("GET", "/ok/", origin=origin)
    assert result.status == 200
    assert result.body == b"ok GET"
    assert result.cors == {"Vary": "Origin"}


def test_app_access_control_headers_are_replaced_and_vary_merged(http: Http) -> None:
    result = http("GET", "/app-headers/", origin=APP)
    assert result.cors == {**ACTUAL, "Vary": "Cookie, Accept-Language, Origin"}


@pytest.mark.parametrize(
    ("method", "path", "status", "vary"),
    [
        ("GET", "/redirect/", 302, "Origin"),
        ("GET", "/missing/", 404, "Origin"),
        ("GET", "/nope/", 404, "Origin"),
        ("GET", "/ok", 301, "Origin"),  # CommonMiddleware's APPEND_SLASH redirect, below CORSMiddleware
        ("GET", "/forbidden/", 403, "Origin"),
        ("GET", "/only-post/", 405, "Origin"),  # require_POST
        ("GET", "/boom/", 500, VARY_500),
        ("GET", "/async-boom/", 500, VARY_500),
        ("POST", "/post/", 403, "Origin"),  # CSRF rejected: no token
        ("GET", "/private/", 302, "Cookie, Origin"),  # login_required; the session added Vary: Cookie
    ],
)
def test_every_response_of_an_allowed_request_carries_the_headers(
    http: Http, method: str, path: str, status: int, vary: str
) -> None:
    result = http(method, path, origin=APP)
    assert result.status == status
    assert result.cors == {**ACTUAL, "Vary": vary}
    assert views.calls == (
        [] if path in ("/post/", "/private/", "/nope/", "/ok", "/only-post/") else [path.strip("/").replace("-", "_")]
    )


def test_exempt_post_reaches_the_view(http: Http) -> None:
    result = http("POST", "/post-exempt/", origin=APP)
    assert result.status == 200
    assert result.body == b"posted"
    assert result.cors == ACTUAL
    assert views.calls == ["post"]


def test_denied_origin_on_an_error_response_gets_only_vary(http: Http) -> None:
    result = http("GET", "/boom/", origin="https://evil.example")
    assert result.status == 500
    assert result.cors == {"Vary": VARY_500}


@pytest.mark.parametrize(("path", "body"), [("/stream/", b"chunk1,chunk2"), ("/async-stream/", b"achunk1,achunk2")])
def test_streaming_response_carries_the_headers_and_streams(http: Http, path: str, body: bytes) -> None:
    result = http("GET", path, origin=APP)
    assert result.status == 200
    assert result.response.streaming
    assert result.body == body
    assert result.cors == ACTUAL


def test_file_response_carries_the_headers(http: Http) -> None:
    result = http("GET", "/file/", origin=APP)
    assert result.status == 200
    assert result.body == b"file body"
    assert result.headers["Content-Disposition"] == 'inline; filename="data.txt"'
    assert result.cors == ACTUAL


def test_denied_request_is_explained_at_debug(http: Http, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="wsgicors"):
        http("GET", "/ok/", origin="https://evil.example")
    messages = [r.getMessage() for r in caplog.records if r.name == "wsgicors"]
    assert messages == ["CORS denied: origin not allowed (origin 'https://evil.example', GET '/ok/')"]


# --- settings --------------------------------------------------------------------


def test_override_settings_changes_the_policy(http: Http) -> None:
    with override_settings(CORS={"origins": ["*"]}):
        inside = http("GET", "/ok/", origin="https://anyone.example")
        no_origin = http("GET", "/ok/")
    after = http("GET", "/ok/", origin="https://anyone.example")
    assert inside.cors == {ACAO: "*"}
    assert no_origin.cors == {ACAO: "*"}
    assert after.cors == {"Vary": "Origin"}  # the project's policy is back


def test_settings_fixture_changes_the_policy(http: Http, settings: object) -> None:
    settings.CORS = {"origins": ["https://fixture.example"], "exposed_headers": []}  # type: ignore[attr-defined]
    result = http("GET", "/ok/", origin="https://fixture.example")
    assert result.cors == {ACAO: "https://fixture.example", "Vary": "Origin"}


def test_policy_from_a_previous_override_does_not_leak(http: Http) -> None:
    # Runs after the tests above: the project's own policy again.
    assert http("GET", "/ok/", origin=APP).cors == ACTUAL
    assert http("GET", "/ok/", origin="https://fixture.example").cors == {"Vary": "Origin"}


def test_cors_none_disables_the_middleware_for_undecorated_views(http: Http) -> None:
    with override_settings(CORS=None):
        plain = http("GET", "/ok/", origin=APP)
        preflight = http.preflight("/ok/")
        decorated = http("GET", "/view-policy/", origin="https://view.example")
    assert plain.cors == {}
    assert preflight.body == b"ok OPTIONS"  # reached the view
    assert decorated.cors == {
        ACAO: "https://view.example",
        "Access-Control-Expose-Headers": "X-View",
        "Vary": "Origin",
    }


def test_dotted_path_origins_import_a_callable(http: Http) -> None:
    with override_settings(CORS={"origins": "tests.django_project.views.allow_dynamic"}):
        allowed = http("GET", "/ok/", origin="https://x.dyn.example")
        denied = http("GET", "/ok/", origin="http://x.dyn.example")
        preflight = http.preflight("/nope/", origin="https://y.dyn.example")
    assert allowed.cors == {ACAO: "https://x.dyn.example", "Vary": "Origin"}
    assert denied.cors == {"Vary": "Origin"}
    assert preflight.headers[ACAO] == "https://y.dyn.example"
    # The check is given request.META.
    assert views.origin_checks == [
        ("https://x.dyn.example", "/ok/"),
        ("http://x.dyn.example", "/ok/"),
        ("https://y.dyn.example", "/nope/"),
    ]


def test_routes_scope_the_policy(http: Http) -> None:
    routes = {
        "origins": ["https://app.example"],
        "routes": [{"paths": ["/api"], "origins": ["https://api.example"]}],
    }
    with override_settings(CORS=routes):
        api = http("GET", "/api/ok/", origin="https://api.example")
        api_preflight = http.preflight("/api/nothing", origin="https://api.example")
        outside = http("GET", "/ok/", origin="https://api.example")
        outside_preflight = http.preflight("/ok/", origin="https://app.example")
    assert api.cors == {ACAO: "https://api.example", "Vary": "Origin"}
    assert api_preflight.status == 200
    assert api_preflight.headers[ACAO] == "https://api.example"
    assert outside.cors == {}  # no route covers /ok/: untouched
    assert outside_preflight.body == b"ok OPTIONS"


def test_exposed_star_with_credentials_lists_the_response_own_headers(http: Http) -> None:
    from django.conf import settings

    with override_settings(CORS={**settings.CORS, "exposed_headers": "*"}):
        result = http("GET", "/app-headers/", origin=APP)
    assert result.cors == {
        ACAO: APP,
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Expose-Headers": (
            "content-length, content-type, cross-origin-opener-policy, referrer-policy, x-content-type-options"
        ),
        "Vary": "Cookie, Accept-Language, Origin",
    }


@pytest.mark.parametrize(
    "own",
    [
        {},
        {"Vary": "Cookie"},
        {"Vary": "*"},
        {"vary": "origin, Accept"},
        {"Access-Control-Allow-Origin": "https://wrong.example", "X-App": "1"},
    ],
)
@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": APP},
        {},
        {"Origin": "https://evil.example"},
    ],
)
def test_fast_header_path_writes_what_the_public_api_writes(own: dict[str, str], headers: dict[str, str]) -> None:
    from django.http import HttpResponse

    from django_ext.conf import current_policy
    from django_ext.middleware import _apply_public, apply_decision
    from wsgicors import decide_request

    policy = current_policy()
    assert policy is not None
    decision = decide_request(policy, "GET", "/ok/", headers)
    fast, public = HttpResponse("x", headers=own), HttpResponse("x", headers=own)
    apply_decision(decision, fast)
    _apply_public(decision, public)
    assert list(fast.headers.items()) == list(public.headers.items())
    assert fast.serialize_headers() == public.serialize_headers()


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {}])
@pytest.mark.parametrize("public", [False, True])
def test_the_views_own_cors_headers_are_removed_on_a_governed_request(headers: dict[str, str], public: bool) -> None:
    # DESIGN, "Rules every door keeps": on a request the policy governs, the CORS
    # response headers are the policy's alone (a view's '*' would hand the page
    # what the policy refused).
    from django.http import HttpResponse

    from django_ext.conf import current_policy
    from django_ext.middleware import _apply_public, apply_decision
    from wsgicors import decide_request

    policy = current_policy()
    assert policy is not None
    decision = decide_request(policy, "GET", "/ok/", headers)
    own = {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Max-Age": "600",
        "X-App": "1",
    }
    response = HttpResponse("x", headers=own)
    (_apply_public if public else apply_decision)(decision, response)
    assert {k: v for k, v in response.headers.items() if k.lower().startswith("access-control-")} == {}
    assert response.headers["X-App"] == "1" and response.headers["Vary"] == "Origin"
