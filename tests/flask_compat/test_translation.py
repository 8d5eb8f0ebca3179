"""Every flask-cors option, its default and its accepted forms, translated: the exact headers answered."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from tests.flask.conftest import MakeClient
from tests.flask.util import cors

from .util import EVIL, A, B, compat_app, preflight

pytestmark = pytest.mark.filterwarnings("error::wsgiref.validate.WSGIWarning")

ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"
ACAM = "Access-Control-Allow-Methods"
ACAH = "Access-Control-Allow-Headers"
ACEH = "Access-Control-Expose-Headers"
ACMA = "Access-Control-Max-Age"
ACAPN = "Access-Control-Allow-Private-Network"
PEER_METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"  # flask-cors's seven, sorted as it sends them
PREFLIGHT_VARY = "Access-Control-Request-Headers"  # a "*" policy varies on what it echoes only
GET = {"Origin": A}

# (id, CORS(app, **options), method, path, request headers, expected Access-Control-* and Vary)
CASES: list[tuple[str, dict[str, Any], str, str, dict[str, str], dict[str, str]]] = [
    # origins
    ("default-any-origin", {}, "GET", "/x", GET, {ACAO: "*"}),
    ("default-no-origin-always-send", {}, "GET", "/x", {}, {ACAO: "*"}),
    ("always-send-false-no-origin", {"always_send": False}, "GET", "/x", {}, {"Vary": "Origin"}),
    ("always-send-false-with-origin", {"always_send": False}, "GET", "/x", GET, {ACAO: "*", "Vary": "Origin"}),
    ("origins-star", {"origins": "*"}, "GET", "/x", {"Origin": EVIL}, {ACAO: "*"}),
    ("origins-dot-star", {"origins": ".*"}, "GET", "/x", {"Origin": EVIL}, {ACAO: "*"}),
    ("origins-star-in-list", {"origins": [A, "*"]}, "GET", "/x", {"Origin": EVIL}, {ACAO: "*"}),
    ("send-wildcard", {"send_wildcard": True}, "GET", "/x", GET, {ACAO: "*"}),
    ("origins-str", {"origins": A}, "GET", "/x", GET, {ACAO: A, "Vary": "Origin"}),
    ("origins-str-denied", {"origins": A}, "GET", "/x", {"Origin": B}, {"Vary": "Origin"}),
    ("origins-list", {"origins": [A, B]}, "GET", "/x", {"Origin": B}, {ACAO: B, "Vary": "Origin"}),
    ("origins-set", {"origins": {B, A}}, "GET", "/x", {"Origin": A}, {ACAO: A, "Vary": "Origin"}),
    ("origins-tuple", {"origins": (A,)}, "GET", "/x", {"Origin": A}, {ACAO: A, "Vary": "Origin"}),
    ("origins-literal-case", {"origins": "HTTPS://A.example"}, "GET", "/x", GET, {ACAO: A, "Vary": "Origin"}),
    ("origins-null", {"origins": ["null"]}, "GET", "/x", {"Origin": "null"}, {ACAO: "null", "Vary": "Origin"}),
    ("origins-none-denies", {"origins": None}, "GET", "/x", GET, {"Vary": "Origin"}),
    ("origins-empty-denies", {"origins": []}, "GET", "/x", GET, {"Vary": "Origin"}),
    ("origins-list-no-origin", {"origins": [A]}, "GET", "/x", {}, {"Vary": "Origin"}),
    ("regex-str", {"origins": r"https://[a-z]+\.example"}, "GET", "/x", GET, {ACAO: A, "Vary": "Origin"}),
    ("regex-str-ignorecase", {"origins": r"https://A\.EXAMPLE"}, "GET", "/x", GET, {ACAO: A, "Vary": "Origin"}),
    (
        "regex-str-full-match",
        {"origins": r"https://[a-z]+\.example"},
        "GET",
        "/x",
        {"Origin": "https://a.example.evil.net"},
        {"Vary": "Origin"},
    ),
    (
        "regex-compiled",
        {"origins": re.compile(r"https://[a-z]\.example")},
        "GET",
        "/x",
        {"Origin": B},
        {ACAO: B, "Vary": "Origin"},
    ),
    ("regex-compiled-full-match", {"origins": [re.compile(r"https://a\.ex")]}, "GET", "/x", GET, {"Vary": "Origin"}),
    # methods
    ("methods-default", {}, "OPTIONS", "/x", preflight(), {ACAO: "*", ACAM: PEER_METHODS, "Vary": PREFLIGHT_VARY}),
    (
        "methods-str",
        {"methods": "get, put"},
        "OPTIONS",
        "/x",
        preflight(),
        {ACAO: "*", ACAM: "GET, PUT", "Vary": PREFLIGHT_VARY},
    ),
    (
        "methods-list-sorted",
        {"methods": ["put", "GET"]},
        "OPTIONS",
        "/x",
        preflight(),
        {ACAO: "*", ACAM: "GET, PUT", "Vary": PREFLIGHT_VARY},
    ),
    (
        "methods-star-echoes",
        {"methods": "*"},
        "OPTIONS",
        "/x",
        preflight(),
        {ACAO: "*", ACAM: "PUT", "Vary": "Access-Control-Request-Method, Access-Control-Request-Headers"},
    ),
    ("methods-not-on-get", {"methods": ["PUT"]}, "GET", "/x", GET, {ACAO: "*"}),
    # allow_headers
    (
        "allow-headers-default-echoes",
        {},
        "OPTIONS",
        "/x",
        preflight(**{"Access-Control-Request-Headers": "x-b, content-type"}),
        {ACAO: "*", ACAM: PEER_METHODS, ACAH: "x-b, content-type", "Vary": PREFLIGHT_VARY},
    ),
    (
        "allow-headers-star-in-list",
        {"allow_headers": ["X-A", "*"]},
        "OPTIONS",
        "/x",
        preflight(**{"Access-Control-Request-Headers": "x-b"}),
        {ACAO: "*", ACAM: PEER_METHODS, ACAH: "x-b", "Vary": PREFLIGHT_VARY},
    ),
    (
        "allow-headers-list",
        {"allow_headers": ["X-B", "X-A"]},
        "OPTIONS",
        "/x",
        preflight(**{"Access-Control-Request-Headers": "x-a"}),
        {ACAO: "*", ACAM: PEER_METHODS, ACAH: "x-a", "Vary": "Access-Control-Request-Headers"},
    ),
    (
        "allow-headers-str",
        {"allow_headers": "Content-Type"},
        "OPTIONS",
        "/x",
        preflight(),
        {ACAO: "*", ACAM: PEER_METHODS, "Vary": "Access-Control-Request-Headers"},
    ),
    (
        "allow-headers-request-casing-only-matches",
        {"allow_headers": ["X-Example-Header-A", r"X-COMPANY-.*"]},
        "OPTIONS",
        "/x",
        preflight(**{"Access-Control-Request-Headers": "X-Example-header-a, x-other, X-Company-Foo"}),
        {
            ACAO: "*",
            ACAM: PEER_METHODS,
            ACAH: "X-Example-header-a, X-Company-Foo",
            "Vary": "Access-Control-Request-Headers",
        },
    ),
    (
        "allow-headers-pattern-nothing-matches",
        {"allow_headers": [r"X-COMPANY-.*"]},
        "OPTIONS",
        "/x",
        preflight(**{"Access-Control-Request-Headers": "x-not-found-header"}),
        {ACAO: "*", ACAM: PEER_METHODS, "Vary": "Access-Control-Request-Headers"},
    ),
    (
        "allow-headers-pattern-is-a-prefix-match",
        {"allow_headers": [re.compile(r"x-co[a-z]", re.I)]},
        "OPTIONS",
        "/x",
        preflight(**{"Access-Control-Request-Headers": "x-company-id,x-c"}),
        {ACAO: "*", ACAM: PEER_METHODS, ACAH: "x-company-id", "Vary": "Access-Control-Request-Headers"},
    ),
    # expose_headers
    ("expose-default-none", {}, "GET", "/api/v1/x", GET, {ACAO: "*"}),
    ("expose-str", {"expose_headers": "X-Total"}, "GET", "/api/v1/x", GET, {ACAO: "*", ACEH: "X-Total"}),
    (
        "expose-list-sorted",
        {"expose_headers": ["X-Total", "X-Other"]},
        "GET",
        "/x",
        GET,
        {ACAO: "*", ACEH: "X-Other, X-Total"},
    ),
    ("expose-star", {"expose_headers": "*"}, "GET", "/api/v1/x", GET, {ACAO: "*", ACEH: "*"}),
    (
        "expose-star-credentials",
        {"origins": [A], "supports_credentials": True, "expose_headers": "*"},
        "GET",
        "/api/v1/x",
        GET,
        {ACAO: A, ACAC: "true", ACEH: "content-length, content-type, x-other, x-total", "Vary": "Origin"},
    ),
    # supports_credentials
    (
        "credentials",
        {"origins": [A], "supports_credentials": True},
        "GET",
        "/x",
        GET,
        {ACAO: A, ACAC: "true", "Vary": "Origin"},
    ),
    (
        "credentials-true",
        {"origins": A, "supports_credentials": True},
        "GET",
        "/x",
        GET,
        {ACAO: A, ACAC: "true", "Vary": "Origin"},
    ),
    ("credentials-default-off", {"origins": [A]}, "GET", "/x", GET, {ACAO: A, "Vary": "Origin"}),
    # max_age
    (
        "max-age-int",
        {"max_age": 600},
        "OPTIONS",
        "/x",
        preflight(),
        {ACAO: "*", ACAM: PEER_METHODS, ACMA: "600", "Vary": PREFLIGHT_VARY},
    ),
    (
        "max-age-str",
        {"max_age": "600"},
        "OPTIONS",
        "/x",
        preflight(),
        {ACAO: "*", ACAM: PEER_METHODS, ACMA: "600", "Vary": PREFLIGHT_VARY},
    ),
    (
        "max-age-timedelta",
        {"max_age": timedelta(minutes=10)},
        "OPTIONS",
        "/x",
        preflight(),
        {ACAO: "*", ACAM: PEER_METHODS, ACMA: "600", "Vary": PREFLIGHT_VARY},
    ),
    (
        "max-age-zero",
        {"max_age": 0},
        "OPTIONS",
        "/x",
        preflight(),
        {ACAO: "*", ACAM: PEER_METHODS, ACMA: "0", "Vary": PREFLIGHT_VARY},
    ),
    ("max-age-not-on-get", {"max_age": 600}, "GET", "/x", GET, {ACAO: "*"}),
    # allow_private_network
    (
        "private-network-preflight",
        {"allow_private_network": True},
        "OPTIONS",
        "/x",
        preflight(**{"Access-Control-Request-Private-Network": "true"}),
        {
            ACAO: "*",
            ACAM: PEER_METHODS,
            ACAPN: "true",
            "Vary": "Access-Control-Request-Headers, Access-Control-Request-Private-Network",
        },
    ),
    (
        "private-network-off",
        {},
        "OPTIONS",
        "/x",
        preflight(**{"Access-Control-Request-Private-Network": "true"}),
        {ACAO: "*", ACAM: PEER_METHODS, "Vary": PREFLIGHT_VARY},
    ),
    (
        "private-network-not-on-get",
        {"allow_private_network": True},
        "GET",
        "/x",
        {"Origin": A, "Access-Control-Request-Private-Network": "true"},
        {ACAO: "*"},
    ),
    # switches flask_ext always keeps on
    ("vary-header-false", {"origins": [A], "vary_header": False}, "GET", "/x", GET, {ACAO: A, "Vary": "Origin"}),
    ("intercept-exceptions-false", {"intercept_exceptions": False}, "GET", "/boom", GET, {ACAO: "*"}),
    ("abort-401", {"origins": [A]}, "GET", "/abort", GET, {ACAO: A, "Vary": "Origin"}),
    ("automatic-options-ignored-by-cors", {"automatic_options": False}, "OPTIONS", "/x", GET, {ACAO: "*"}),
]


@pytest.mark.parametrize(
    ("options", "method", "path", "headers", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_option_translation(
    make_client: MakeClient,
    options: dict[str, Any],
    method: str,
    path: str,
    headers: dict[str, str],
    expected: dict[str, str],
) -> None:
    app, _ = compat_app(**options)
    response = make_client(app).open(path, method=method, headers=headers)
    assert cors(response) == expected


def test_preflight_answer_is_the_cores(make_client: MakeClient) -> None:
    """A preflight is answered before the view, 200 with an empty text/plain body."""
    app, _ = compat_app(origins=[A])
    response = make_client(app).options("/x", headers=preflight())
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain"
    assert response.data == b""


def test_head_and_404_are_covered(make_client: MakeClient) -> None:
    app, _ = compat_app(origins=[A])
    client = make_client(app)
    assert cors(client.head("/x", headers=GET)) == {ACAO: A, "Vary": "Origin"}
    assert cors(client.get("/missing", headers=GET)) == {ACAO: A, "Vary": "Origin"}


def test_bracketed_ipv6_origin_is_a_literal(make_client: MakeClient) -> None:
    """flask-cors reads '[::1]' as a character class, so the origin never matched; it is a literal here."""
    app, warned = compat_app(origins=["http://[::1]:8080"])
    assert warned == []
    client = make_client(app)
    allowed = client.get("/x", headers={"Origin": "http://[::1]:8080"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "http://[::1]:8080"
    assert client.get("/x", headers={"Origin": "http://[::2]:8080"}).headers.get("Access-Control-Allow-Origin") is None
