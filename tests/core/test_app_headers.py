"""The app's header list and the app's own CORS headers (issue 11, item 2).

The middleware never modifies the app's list (an app may reuse one list object
for every response, PEP 3333 allows it), and on a request the policy governs
the CORS response headers are the policy's alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from wsgicors import Decision, Kind, Policy, decide_request
from wsgicors.headers import apply_headers

from .wsgi import call, environ_for, wrap

A = "https://app.example.com"
EVIL = "https://evil.example.org"

# One module-level list, returned for every response: legal, and what the probe found leaking.
REUSED = [("Content-Type", "text/plain")]


def reusing_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", REUSED)
    return [b"x"]


@pytest.mark.parametrize(
    "options",
    [
        {"origins": [A], "credentials": True},
        {"origins": ["https://*.example.com"], "credentials": True, "exposed_headers": "*"},
        {"origins": "*", "exposed_headers": ["X-Total"]},
        {"origins": [A], "headers": ["X-Token"], "preflight_continue": True},
    ],
)
def test_a_reused_header_list_never_carries_an_earlier_answer(options: dict[str, Any]) -> None:
    app = wrap(reusing_app, **options)
    before = list(REUSED)
    allowed = call(app, environ_for(origin=A))
    assert allowed.get("Access-Control-Allow-Origin") in (A, "*")
    for environ in (environ_for(origin=EVIL), environ_for(), environ_for(origin=A)):
        response = call(app, environ)
        assert REUSED == before  # the app's list is exactly as the app made it
        if environ.get("HTTP_ORIGIN") == A:
            assert response.all("Access-Control-Allow-Origin") == [allowed.get("Access-Control-Allow-Origin")]
            assert response.headers == allowed.headers  # the same answer again, nothing doubled
        elif options["origins"] != "*":
            assert response.cors() == {}
            assert response.all("Vary") == ["Origin"]
    preflight = call(app, environ_for("OPTIONS", origin=A, access_control_request_method="PUT"))
    assert REUSED == before
    if not options.get("preflight_continue"):
        assert preflight.get("Content-Length") == "0"


def test_apply_headers_returns_a_new_list_and_leaves_the_apps_alone() -> None:
    policy = Policy(origins=[A], credentials=True)
    for headers in ([("Content-Type", "text/plain")], [("Vary", "Cookie"), ("Content-Type", "text/plain")]):
        original = list(headers)
        written = apply_headers(decide_request(policy, "GET", "/", {"Origin": A}), headers)
        assert written is not headers and headers == original
        assert ("Access-Control-Allow-Origin", A) in written


APP_CORS = [
    ("Content-Type", "text/plain"),
    ("Access-Control-Allow-Origin", "*"),
    ("access-control-allow-credentials", "true"),
    ("Access-Control-Allow-Methods", "DELETE"),
    ("Access-Control-Allow-Headers", "X-Secret"),
    ("Access-Control-Expose-Headers", "X-Secret"),
    ("Access-Control-Max-Age", "86400"),
    ("ACCESS-CONTROL-ALLOW-PRIVATE-NETWORK", "true"),
    ("X-Own", "kept"),
]


def own_cors_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", list(APP_CORS))
    return [b"x"]


def test_an_apps_own_cors_headers_are_removed_on_a_denied_request() -> None:
    app = wrap(own_cors_app, origins=[A], credentials=True)
    response = call(app, environ_for(origin=EVIL))
    assert response.cors() == {}  # not the app's '*' and credentials: the policy refused this origin
    assert response.get("X-Own") == "kept" and response.get("Content-Type") == "text/plain"
    assert response.get("Vary") == "Origin"


def test_an_apps_own_cors_headers_are_removed_without_an_origin() -> None:
    response = call(wrap(own_cors_app, origins=[A]), environ_for())
    assert response.cors() == {}
    assert response.get("X-Own") == "kept"


def test_an_apps_credentials_header_does_not_override_a_policy_without_credentials() -> None:
    app = wrap(own_cors_app, origins=[A], credentials=False, exposed_headers=["X-Total"])
    response = call(app, environ_for(origin=A))
    assert response.cors() == {
        "Access-Control-Allow-Origin": A,
        "Access-Control-Expose-Headers": "X-Total",
    }
    assert response.get("X-Own") == "kept"


def test_a_star_policy_answers_its_own_headers_only() -> None:
    response = call(wrap(own_cors_app, origins="*", exposed_headers=["X-Total"]), environ_for(origin=EVIL))
    assert response.cors() == {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "X-Total"}


def test_requests_no_route_covers_keep_the_apps_cors_headers() -> None:
    app = wrap(own_cors_app, origins=[A], routes=[{"paths": ["/api"]}])
    response = call(app, environ_for(path="/other", origin=EVIL))
    assert response.headers == APP_CORS  # passed through untouched


def test_other_access_control_names_of_the_app_are_kept() -> None:
    # Only the response headers a policy sets are the policy's; anything else is the app's.
    decision: Decision = decide_request(Policy(origins=[A]), "GET", "/", {"Origin": EVIL})
    assert decision.kind is Kind.DENIED
    written = apply_headers(decision, [("Access-Control-Request-Method", "odd"), ("X-A", "1")])
    assert written == [("Access-Control-Request-Method", "odd"), ("X-A", "1"), ("Vary", "Origin")]
