"""The browser scenarios, as data: one list, run unchanged against every door.

A scenario states a policy (the door's keyword options), where the page is
served from, what the page fetches, what the page must see (fetch resolved
or threw; status; readable headers; body) and what the server must have
received (each request with its Origin and the status it got back) and which
requests reached the app behind the door.

Strings may hold placeholders filled in at run time (see ``ORIGIN_KEYS``):
``<page>`` and the other page origins, ``<P>`` the page server's port,
``<api>`` the API server's base URL (``http://127.0.0.1:Q``) and
``<api-alias>`` the same server under another origin (``http://localhost:Q``).

The app behind each door behaves the same (see ``apps.py``):
``/data``, ``/public/data``, ``/private/data`` answer any method with a JSON
echo and the headers ``X-Exposed: shown`` and ``X-Hidden: hidden`` (their own
OPTIONS handler answers 204 with ``X-App-Options: yes``);
``/options-refused/data`` answers OPTIONS with 403; ``/cookie/set`` sets
``sid=s3cr3t``; ``/cookie/echo`` returns the ``sid`` cookie it got;
(the ``/cookie/*`` views are GET-only: other methods get 405);
``/error-handled`` raises an exception the app's error handler turns into a
500; ``/raise`` raises one only the framework turns into a 500;
``/redirect?to=URL`` answers 302; anything else is the framework's 404.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ORIGIN_KEYS", "SCENARIOS", "Fetch", "Received", "Scenario", "data_body"]

#: Page origins (host part; the page server's port is appended). 127.0.0.1
#: and 127.0.0.2 are served by two page servers; the *.localhost names
#: resolve to 127.0.0.1 in Chromium, so the first server serves them too.
ORIGIN_KEYS: Mapping[str, str] = {
    "page": "127.0.0.1",  # same site as the API (127.0.0.1, another port): cookies work
    "cross-site": "localhost",
    "stranger": "127.0.0.2",  # a disallowed origin
    "sub": "app.good.localhost",  # matches http://*.good.localhost:<P>
    "sub-lookalike": "appgood.localhost",  # no dot boundary
    "apex": "good.localhost",  # the wildcard's own base: not a strict subdomain
    "regex-ok": "app7.localhost",
    "regex-lookalike": "app7.localhost.evil.localhost",  # passes a start-only re.match
}

#: A regex origin as users write it, without '$': only full-matching keeps
#: the look-alike out.
REGEX_ORIGIN = r"~http://app[0-9]+\.localhost(:[0-9]+)?"
WILDCARD_ORIGIN = "http://*.good.localhost:<P>"


def data_body(method: str, path: str, body: str = "") -> str:
    """The body every app's data endpoint answers with (identical bytes in each door)."""
    return json.dumps({"body": body, "method": method, "path": path}, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Fetch:
    """One ``fetch()`` the page makes, and what the page must see."""

    path: str = "/data"
    method: str = "GET"
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str | None = None
    credentials: str = "same-origin"
    url: str | None = None  # a full URL (placeholders allowed) instead of <api> + path
    # What the page must see:
    ok: bool = True  # False: fetch() threw (the browser blocked it)
    status: int | None = 200
    body_is: str | None = None
    body_has: str | None = None
    readable: Mapping[str, str | None] = field(default_factory=dict)  # None: not readable
    final_url: str | None = None


@dataclass(frozen=True)
class Received:
    """One request the server must have received, and the status it answered."""

    method: str
    path: str
    origin: str | None
    status: int
    request: Mapping[str, str | None] = field(default_factory=dict)  # header -> value, None: absent
    response: Mapping[str, str | None] = field(default_factory=dict)  # header -> value, None: absent


@dataclass(frozen=True)
class Scenario:
    name: str
    policy: Mapping[str, Any]
    fetches: tuple[Fetch, ...]
    received: tuple[Received, ...]
    app_saw: tuple[tuple[str, str], ...]
    page: str = "page"  # a key of ORIGIN_KEYS
    frame: str = "top"  # "sandbox": fetch from a sandboxed iframe (Origin: null)
    seed_cookie: bool = False  # the context starts with sid=s3cr3t for 127.0.0.1


P = "<page>"
ACAO = "access-control-allow-origin"
ACAC = "access-control-allow-credentials"
ACAM = "access-control-allow-methods"
ACAH = "access-control-allow-headers"
ACMA = "access-control-max-age"
ACRM = "access-control-request-method"
ACRH = "access-control-request-headers"
ONLY_PAGE = {"origins": [P]}
GET_DATA = data_body("GET", "/data")
JSON_BODY = '{"a":1}'


def get(path: str = "/data", **kw: Any) -> Fetch:
    return Fetch(path=path, **kw)


SCENARIOS: tuple[Scenario, ...] = (
    # --- simple requests --------------------------------------------------------------
    Scenario(
        "simple-get-allowed",
        ONLY_PAGE,
        (get(body_is=GET_DATA),),
        (Received("GET", "/data", P, 200, response={ACAO: P, ACAC: None}),),
        (("GET", "/data"),),
    ),
    Scenario(
        "simple-get-disallowed-origin",
        ONLY_PAGE,
        (get(ok=False, status=None),),
        # A simple request reaches the app; the browser hides the answer.
        (Received("GET", "/data", "<stranger>", 200, response={ACAO: None}),),
        (("GET", "/data"),),
        page="stranger",
    ),
    Scenario(
        "simple-get-any-origin",
        {"origins": ["*"]},
        (get(body_is=GET_DATA),),
        (Received("GET", "/data", "<stranger>", 200, response={ACAO: "*"}),),
        (("GET", "/data"),),
        page="stranger",
    ),
    # --- preflighted methods, allowed -------------------------------------------------
    Scenario(
        "put-allowed",
        ONLY_PAGE,
        (Fetch(method="PUT", body="put-body", body_is=data_body("PUT", "/data", "put-body")),),
        (
            Received("OPTIONS", "/data", P, 200, request={ACRM: "PUT"}, response={ACAO: P}),
            Received("PUT", "/data", P, 200, response={ACAO: P}),
        ),
        (("PUT", "/data"),),
    ),
    Scenario(
        "delete-allowed",
        ONLY_PAGE,
        (Fetch(method="DELETE", body_is=data_body("DELETE", "/data")),),
        (
            Received("OPTIONS", "/data", P, 200, request={ACRM: "DELETE"}),
            Received("DELETE", "/data", P, 200),
        ),
        (("DELETE", "/data"),),
    ),
    Scenario(
        "patch-allowed",
        ONLY_PAGE,
        (Fetch(method="PATCH", body="patch-body", body_is=data_body("PATCH", "/data", "patch-body")),),
        (
            Received("OPTIONS", "/data", P, 200, request={ACRM: "PATCH"}),
            Received("PATCH", "/data", P, 200),
        ),
        (("PATCH", "/data"),),
    ),
    Scenario(
        "json-post-allowed",
        ONLY_PAGE,
        (
            Fetch(
                method="POST",
                headers={"Content-Type": "application/json"},
                body=JSON_BODY,
                body_is=data_body("POST", "/data", JSON_BODY),
            ),
        ),
        (
            Received("OPTIONS", "/data", P, 200, request={ACRM: "POST", ACRH: "content-type"}),
            Received("POST", "/data", P, 200, request={"content-type": "application/json"}),
        ),
        (("POST", "/data"),),
    ),
    Scenario(
        "put-custom-header-allowed",
        {"origins": [P], "headers": ["X-Custom"]},
        (Fetch(method="PUT", headers={"X-Custom": "1"}, body_is=data_body("PUT", "/data")),),
        (
            Received("OPTIONS", "/data", P, 200, request={ACRH: "x-custom"}, response={ACAH: "X-Custom"}),
            Received("PUT", "/data", P, 200, request={"x-custom": "1"}),
        ),
        (("PUT", "/data"),),
    ),
    Scenario(
        "preflight-status-204",
        {"origins": [P], "preflight_status": 204},
        (Fetch(method="DELETE", body_is=data_body("DELETE", "/data")),),
        (Received("OPTIONS", "/data", P, 204, response={ACAO: P}), Received("DELETE", "/data", P, 200)),
        (("DELETE", "/data"),),
    ),
    # --- preflighted requests, denied -------------------------------------------------
    Scenario(
        "put-denied-by-method",
        {"origins": [P], "methods": ["GET", "POST"]},
        (Fetch(method="PUT", ok=False, status=None),),
        (Received("OPTIONS", "/data", P, 200, request={ACRM: "PUT"}, response={ACAO: P, ACAM: "GET, POST"}),),
        (),
    ),
    Scenario(
        "delete-denied-by-method",
        {"origins": [P], "methods": ["GET", "PUT"]},
        (Fetch(method="DELETE", ok=False, status=None),),
        (Received("OPTIONS", "/data", P, 200, request={ACRM: "DELETE"}),),
        (),
    ),
    Scenario(
        # fetch() upper-cases only the standard methods: 'patch' stays 'patch'
        # and does not match PATCH in Access-Control-Allow-Methods.
        "lowercase-patch-denied",
        ONLY_PAGE,
        (Fetch(method="patch", ok=False, status=None),),
        (Received("OPTIONS", "/data", P, 200, request={ACRM: "patch"}),),
        (),
    ),
    Scenario(
        "json-post-denied-by-header",
        {"origins": [P], "headers": ["X-Custom"]},
        (
            Fetch(
                method="POST",
                headers={"Content-Type": "application/json"},
                body=JSON_BODY,
                ok=False,
                status=None,
            ),
        ),
        (Received("OPTIONS", "/data", P, 200, request={ACRH: "content-type"}, response={ACAH: "X-Custom"}),),
        (),
    ),
    Scenario(
        "put-denied-by-header",
        {"origins": [P], "headers": ["X-Other"]},
        (Fetch(method="PUT", headers={"X-Custom": "1"}, ok=False, status=None),),
        (Received("OPTIONS", "/data", P, 200, request={ACRH: "x-custom"}),),
        (),
    ),
    Scenario(
        "put-denied-by-origin",
        ONLY_PAGE,
        (Fetch(method="PUT", ok=False, status=None),),
        (Received("OPTIONS", "/data", "<stranger>", 200, response={ACAO: None, ACAM: None}),),
        (),
        page="stranger",
    ),
    Scenario(
        "json-post-denied-cross-site",
        ONLY_PAGE,
        (
            Fetch(
                method="POST",
                headers={"Content-Type": "application/json"},
                body=JSON_BODY,
                ok=False,
                status=None,
            ),
        ),
        (Received("OPTIONS", "/data", "<cross-site>", 200, response={ACAO: None}),),
        (),
        page="cross-site",
    ),
    # --- credentials ------------------------------------------------------------------
    Scenario(
        "credentials-cookie-set-and-sent",
        {"origins": [P], "credentials": True},
        (
            get("/cookie/set", credentials="include", body_is='{"set":true}'),
            get("/cookie/echo", credentials="include", body_is='{"cookie":"s3cr3t"}'),
        ),
        (
            Received("GET", "/cookie/set", P, 200, request={"cookie": None}, response={ACAO: P, ACAC: "true"}),
            Received("GET", "/cookie/echo", P, 200, request={"cookie": "sid=s3cr3t"}, response={ACAC: "true"}),
        ),
        (("GET", "/cookie/set"), ("GET", "/cookie/echo")),
    ),
    Scenario(
        "credentials-blocked-without-option",
        ONLY_PAGE,
        (
            get("/cookie/echo", credentials="include", ok=False, status=None),
            get("/cookie/echo", body_is='{"cookie":null}'),
        ),
        (
            # The browser sent the cookie but hid the answer: no Allow-Credentials.
            Received("GET", "/cookie/echo", P, 200, request={"cookie": "sid=s3cr3t"}, response={ACAC: None}),
            Received("GET", "/cookie/echo", P, 200, request={"cookie": None}),
        ),
        (("GET", "/cookie/echo"), ("GET", "/cookie/echo")),
        seed_cookie=True,
    ),
    Scenario(
        "credentials-preflighted-put",
        {"origins": [P], "credentials": True, "headers": ["X-Custom"]},
        (
            Fetch(
                method="PUT",
                credentials="include",
                headers={"X-Custom": "1"},
                body_is=data_body("PUT", "/data"),
            ),
        ),
        (
            # A preflight never carries cookies; the request after it does.
            Received("OPTIONS", "/data", P, 200, request={"cookie": None}, response={ACAC: "true"}),
            Received("PUT", "/data", P, 200, request={"cookie": "sid=s3cr3t"}, response={ACAC: "true"}),
        ),
        (("PUT", "/data"),),
        seed_cookie=True,
    ),
    # --- exposed headers --------------------------------------------------------------
    Scenario(
        "exposed-listed-only",
        {"origins": [P], "exposed_headers": ["X-Exposed"]},
        (get(readable={"x-exposed": "shown", "x-hidden": None}),),
        (Received("GET", "/data", P, 200),),
        (("GET", "/data"),),
    ),
    Scenario(
        "exposed-none-by-default",
        ONLY_PAGE,
        (get(readable={"x-exposed": None, "x-hidden": None, "content-type": "application/json"}),),
        (Received("GET", "/data", P, 200, response={"access-control-expose-headers": None}),),
        (("GET", "/data"),),
    ),
    Scenario(
        "exposed-star-all",
        {"origins": [P], "exposed_headers": "*"},
        (get(readable={"x-exposed": "shown", "x-hidden": "hidden"}),),
        (Received("GET", "/data", P, 200, response={"access-control-expose-headers": "*"}),),
        (("GET", "/data"),),
    ),
    Scenario(
        # With credentials a literal '*' is a header name to the browser; the
        # door lists the response's own header names instead.
        "exposed-star-with-credentials",
        {"origins": [P], "credentials": True, "exposed_headers": "*"},
        (get(credentials="include", readable={"x-exposed": "shown", "x-hidden": "hidden"}),),
        (Received("GET", "/data", P, 200, response={ACAC: "true"}),),
        (("GET", "/data"),),
    ),
    # --- error responses --------------------------------------------------------------
    Scenario(
        "not-found-readable",
        ONLY_PAGE,
        (get("/missing", status=404, body_has="Not Found"),),
        (Received("GET", "/missing", P, 404, response={ACAO: P}),),
        (),
    ),
    Scenario(
        # A simple POST (no preflight) to a GET-only view.
        "method-not-allowed-readable",
        ONLY_PAGE,
        (Fetch(path="/cookie/echo", method="POST", body="x", status=405),),
        (Received("POST", "/cookie/echo", P, 405, response={ACAO: P}),),
        (),
    ),
    Scenario(
        "error-handler-500-readable",
        ONLY_PAGE,
        (get("/error-handled", status=500, body_is='{"error":"handled"}', readable={"x-error": None}),),
        (Received("GET", "/error-handled", P, 500, response={ACAO: P}),),
        (("GET", "/error-handled"),),
    ),
    Scenario(
        "exception-500-readable",
        ONLY_PAGE,
        (get("/raise", status=500, body_has="Server Error"),),
        (Received("GET", "/raise", P, 500, response={ACAO: P}),),
        (("GET", "/raise"),),
    ),
    Scenario(
        "exception-500-disallowed-origin",
        ONLY_PAGE,
        (get("/raise", ok=False, status=None),),
        (Received("GET", "/raise", "<stranger>", 500, response={ACAO: None}),),
        (("GET", "/raise"),),
        page="stranger",
    ),
    # --- Max-Age ----------------------------------------------------------------------
    Scenario(
        "max-age-caches-preflight",
        {"origins": [P], "max_age": 600},
        (
            Fetch(method="PUT", body_is=data_body("PUT", "/data")),
            Fetch(method="PUT", body_is=data_body("PUT", "/data")),
        ),
        (
            Received("OPTIONS", "/data", P, 200, response={ACMA: "600"}),
            Received("PUT", "/data", P, 200),
            Received("PUT", "/data", P, 200),
        ),
        (("PUT", "/data"), ("PUT", "/data")),
    ),
    Scenario(
        "max-age-zero-disables-cache",
        {"origins": [P], "max_age": 0},
        (
            Fetch(method="PUT", body_is=data_body("PUT", "/data")),
            Fetch(method="PUT", body_is=data_body("PUT", "/data")),
        ),
        (
            Received("OPTIONS", "/data", P, 200, response={ACMA: "0"}),
            Received("PUT", "/data", P, 200),
            Received("OPTIONS", "/data", P, 200, response={ACMA: "0"}),
            Received("PUT", "/data", P, 200),
        ),
        (("PUT", "/data"), ("PUT", "/data")),
    ),
    # --- the null origin --------------------------------------------------------------
    Scenario(
        "null-sandboxed-iframe-blocked",
        ONLY_PAGE,
        (get(ok=False, status=None),),
        (Received("GET", "/data", "null", 200, response={ACAO: None}),),
        (("GET", "/data"),),
        frame="sandbox",
    ),
    Scenario(
        "null-sandboxed-iframe-listed",
        {"origins": [P, "null"]},
        (get(body_is=GET_DATA),),
        (Received("GET", "/data", "null", 200, response={ACAO: "null"}),),
        (("GET", "/data"),),
        frame="sandbox",
    ),
    Scenario(
        "null-sandboxed-iframe-preflight-listed",
        {"origins": [P, "null"]},
        (Fetch(method="PUT", body_is=data_body("PUT", "/data")),),
        (
            Received("OPTIONS", "/data", "null", 200, response={ACAO: "null"}),
            Received("PUT", "/data", "null", 200, response={ACAO: "null"}),
        ),
        (("PUT", "/data"),),
        frame="sandbox",
    ),
    Scenario(
        "null-after-cross-origin-redirect-blocked",
        ONLY_PAGE,
        (get(url="<api>/redirect?to=<api-alias>/data", ok=False, status=None),),
        (
            Received("GET", "/redirect", P, 302, response={ACAO: P}),
            Received("GET", "/data", "null", 200, response={ACAO: None}),
        ),
        (("GET", "/redirect"), ("GET", "/data")),
    ),
    Scenario(
        "null-after-cross-origin-redirect-listed",
        {"origins": [P, "null"]},
        (get(url="<api>/redirect?to=<api-alias>/data", body_is=GET_DATA, final_url="<api-alias>/data"),),
        (
            Received("GET", "/redirect", P, 302, response={ACAO: P}),
            Received("GET", "/data", "null", 200, response={ACAO: "null"}),
        ),
        (("GET", "/redirect"), ("GET", "/data")),
    ),
    # --- preflight_continue -----------------------------------------------------------
    Scenario(
        "preflight-continue-app-answers",
        {"origins": [P], "preflight_continue": True},
        (Fetch(method="PUT", headers={"X-Custom": "1"}, body_is=data_body("PUT", "/data")),),
        (
            # The app's own 204 (with its own header) is what the browser got,
            # with the CORS headers added by the door.
            Received(
                "OPTIONS",
                "/data",
                P,
                204,
                request={ACRM: "PUT"},
                response={"x-app-options": "yes", ACAO: P, ACAH: "x-custom"},
            ),
            Received("PUT", "/data", P, 200),
        ),
        (("OPTIONS", "/data"), ("PUT", "/data")),
    ),
    Scenario(
        "preflight-continue-app-refuses",
        {"origins": [P], "preflight_continue": True},
        (Fetch(path="/options-refused/data", method="PUT", ok=False, status=None),),
        (Received("OPTIONS", "/options-refused/data", P, 403, response={ACAO: P}),),
        (("OPTIONS", "/options-refused/data"),),
    ),
    Scenario(
        "preflight-answered-by-door-by-default",
        ONLY_PAGE,
        (Fetch(method="PUT", headers={"X-Custom": "1"}, body_is=data_body("PUT", "/data")),),
        (
            Received("OPTIONS", "/data", P, 200, response={"x-app-options": None, ACAO: P}),
            Received("PUT", "/data", P, 200),
        ),
        (("PUT", "/data"),),
    ),
    # --- per-route policies -----------------------------------------------------------
    Scenario(
        "routes-two-paths-two-policies",
        {
            "origins": [P],
            "routes": [
                {"paths": ["/public"], "origins": ["*"]},
                {"paths": ["/private"], "origins": ["<stranger>"]},
            ],
        },
        (
            get("/public/data", body_is=data_body("GET", "/public/data")),
            get("/private/data", ok=False, status=None),
            get("/data", ok=False, status=None),  # no route covers it: passed through untouched
        ),
        (
            Received("GET", "/public/data", P, 200, response={ACAO: "*"}),
            Received("GET", "/private/data", P, 200, response={ACAO: None}),
            Received("GET", "/data", P, 200, response={ACAO: None}),
        ),
        (("GET", "/public/data"), ("GET", "/private/data"), ("GET", "/data")),
    ),
    Scenario(
        "routes-other-origin-sees-the-other-policy",
        {
            "origins": [P],
            "routes": [
                {"paths": ["/public"], "origins": ["*"]},
                {"paths": ["/private"], "origins": ["<stranger>"]},
            ],
        },
        (
            get("/public/data", body_is=data_body("GET", "/public/data")),
            get("/private/data", body_is=data_body("GET", "/private/data")),
        ),
        (
            Received("GET", "/public/data", "<stranger>", 200, response={ACAO: "*"}),
            Received("GET", "/private/data", "<stranger>", 200, response={ACAO: "<stranger>"}),
        ),
        (("GET", "/public/data"), ("GET", "/private/data")),
        page="stranger",
    ),
    Scenario(
        "routes-preflight-methods-per-path",
        {
            "origins": [P],
            "max_age": 0,
            "routes": [
                {"paths": ["/public"], "methods": ["GET"]},
                {"paths": ["/private"], "methods": ["PUT"]},
            ],
        },
        (
            Fetch(path="/private/data", method="PUT", body_is=data_body("PUT", "/private/data")),
            Fetch(path="/public/data", method="PUT", ok=False, status=None),
        ),
        (
            Received("OPTIONS", "/private/data", P, 200, response={ACAM: "PUT"}),
            Received("PUT", "/private/data", P, 200),
            Received("OPTIONS", "/public/data", P, 200, response={ACAM: "GET"}),
        ),
        (("PUT", "/private/data"),),
    ),
    # --- wildcard-subdomain and regex origins -----------------------------------------
    Scenario(
        "wildcard-subdomain-allowed",
        {"origins": [WILDCARD_ORIGIN]},
        (get(body_is=GET_DATA), Fetch(method="PUT", body_is=data_body("PUT", "/data"))),
        (
            Received("GET", "/data", "<sub>", 200, response={ACAO: "<sub>"}),
            Received("OPTIONS", "/data", "<sub>", 200, response={ACAO: "<sub>"}),
            Received("PUT", "/data", "<sub>", 200),
        ),
        (("GET", "/data"), ("PUT", "/data")),
        page="sub",
    ),
    Scenario(
        "wildcard-lookalike-blocked",
        {"origins": [WILDCARD_ORIGIN]},
        (get(ok=False, status=None), Fetch(method="PUT", ok=False, status=None)),
        (
            Received("GET", "/data", "<sub-lookalike>", 200, response={ACAO: None}),
            Received("OPTIONS", "/data", "<sub-lookalike>", 200, response={ACAO: None}),
        ),
        (("GET", "/data"),),
        page="sub-lookalike",
    ),
    Scenario(
        "wildcard-apex-blocked",
        {"origins": [WILDCARD_ORIGIN]},
        (get(ok=False, status=None),),
        (Received("GET", "/data", "<apex>", 200, response={ACAO: None}),),
        (("GET", "/data"),),
        page="apex",
    ),
    Scenario(
        "regex-origin-allowed",
        {"origins": [REGEX_ORIGIN]},
        (get(body_is=GET_DATA), Fetch(method="DELETE", body_is=data_body("DELETE", "/data"))),
        (
            Received("GET", "/data", "<regex-ok>", 200, response={ACAO: "<regex-ok>"}),
            Received("OPTIONS", "/data", "<regex-ok>", 200, response={ACAO: "<regex-ok>"}),
            Received("DELETE", "/data", "<regex-ok>", 200),
        ),
        (("GET", "/data"), ("DELETE", "/data")),
        page="regex-ok",
    ),
    Scenario(
        "regex-origin-suffix-lookalike-blocked",
        {"origins": [REGEX_ORIGIN]},
        (get(ok=False, status=None), Fetch(method="DELETE", ok=False, status=None)),
        (
            Received("GET", "/data", "<regex-lookalike>", 200, response={ACAO: None}),
            Received("OPTIONS", "/data", "<regex-lookalike>", 200, response={ACAO: None}),
        ),
        (("GET", "/data"),),
        page="regex-lookalike",
    ),
)

_names = [s.name for s in SCENARIOS]
assert len(set(_names)) == len(_names), "scenario names must be unique"
