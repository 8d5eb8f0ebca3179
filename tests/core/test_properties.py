"""Property tests: arbitrary Origin and Access-Control-Request-* values never break the rules.

Every example goes through ``CORSMiddleware`` under ``wsgiref.validate`` on both
sides. For every policy and any request:

* nothing raises (a raising origin callable denies);
* every emitted header name and value is a ``str`` of latin-1 characters
  (PEP 3333) without CR, LF or NUL;
* ``Access-Control-Allow-Origin`` appears at most once, and holds either ``*``
  (only for ``*`` policies) or the request's Origin exactly, and only when an
  oracle written here, independently of the engine, says the policy allows it;
* without ``Access-Control-Allow-Origin`` there is no Access-Control-* header;
* echoed methods and header names are single HTTP tokens.

Origins reach the environ as a WSGI server puts them there (UTF-8 bytes decoded
as latin-1) or, to be hostile to the engine itself, as raw ``str``.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .conftest import wire
from .wsgi import App, Recorder, Response, call, environ_for, wrap

EXACT = ["https://example.com", "http://localhost:3000", "https://app.example.com:8443", "null"]
TCHAR = set(string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~")
HOST_CHARS = set(string.ascii_lowercase + string.digits + "-_")


def _ends_in_test(origin: str, environ: Mapping[str, Any]) -> bool:
    return origin.endswith(".test")


def _raises_on_x(origin: str, environ: Mapping[str, Any]) -> bool:
    if "x" in origin:
        raise RuntimeError("origin check failed")
    return origin.endswith(".check")


POLICIES: dict[str, dict[str, Any]] = {
    "list": {"origins": EXACT},
    "list-credentials-any": {
        "origins": [origin for origin in EXACT if origin != "null"],  # 'null' with credentials is refused
        "credentials": True,
        "methods": "*",
        "headers": "*",
        "exposed_headers": "*",
        "max_age": 60,
    },
    "wildcard": {"origins": ["https://*.example.com"], "exposed_headers": ["X-Total"]},
    "regex": {"origins": [r"~https://([a-z0-9-]+\.)*example\.org"], "headers": ["X-Token", "Content-Type"]},
    "star": {"origins": ["*"]},
    "star-strict": {"origins": ["*"], "allow_origin_absent": False, "methods": "*", "preflight_status": 204},
    "echo": {
        "origins": [*EXACT, "https://*.example.com"],
        "headers": None,
        "methods": "*",
        "private_network": True,
    },
    "callables": {"origins": [_raises_on_x, _ends_in_test], "credentials": True},
    "routes": {
        "origins": EXACT,
        "routes": [{"paths": ["/api"], "origins": ["https://*.example.com"], "credentials": True}],
    },
}


def _is_token(value: str) -> bool:
    return bool(value) and set(value) <= TCHAR


def _subdomain_of(origin: str, scheme: str, domain: str, *, apex: bool) -> bool:
    """``origin`` is scheme://<labels>.domain (or the apex itself) with plain lower-case labels."""
    prefix = scheme + "://"
    if not origin.startswith(prefix) or not origin.isascii():
        return False
    host = origin[len(prefix) :]
    if host == domain:
        return apex
    if not host.endswith("." + domain):
        return False
    labels = host[: -len(domain) - 1].split(".")
    return all(0 < len(label) <= 63 and set(label) <= HOST_CHARS for label in labels)


def _plain_host_origin(origin: str) -> bool:
    """A conservative necessary condition: ASCII ``scheme://host[:port]`` without odd characters."""
    if not origin.isascii() or len(origin) > 300 or "://" not in origin:
        return False
    scheme, _, rest = origin.partition("://")
    allowed = set(string.ascii_lowercase + string.digits + "-_.:[]")
    return bool(scheme) and bool(rest) and set(scheme) <= set(string.ascii_lowercase + "+-.") and set(rest) <= allowed


def allowed_by_oracle(name: str, origin: str, path: str) -> bool:
    """May ``origin`` be reflected under policy ``name``? Written without the engine."""
    if name == "routes":  # with routes, a request no route covers passes through untouched
        covered = path == "/api" or path.startswith("/api/")
        return covered and _subdomain_of(origin, "https", "example.com", apex=False)
    if name in ("list", "list-credentials-any"):
        return origin in EXACT
    if name == "wildcard":
        return _subdomain_of(origin, "https", "example.com", apex=False)
    if name == "regex":
        return _subdomain_of(origin, "https", "example.org", apex=True) and ".." not in origin
    if name == "echo":
        return origin in EXACT or _subdomain_of(origin, "https", "example.com", apex=False)
    if name == "callables":
        return _plain_host_origin(origin) and "x" not in origin and origin.endswith((".test", ".check"))
    assert name in ("star", "star-strict")
    return False  # never reflected: '*' is answered


@functools.cache
def wrapped(name: str) -> App:
    return wrap(Recorder(headers=[("Content-Type", "text/plain"), ("X-Total", "3")]), **POLICIES[name])


# --- strategies ------------------------------------------------------------------------------

ANY_CHAR = st.characters(blacklist_categories=())  # everything, surrogates and controls included
NASTY_CHAR = st.sampled_from(list("\r\n\0\t \x0b\x0c\x1f\x7f\x85\xa0\u2028\u202e\ufeff\u212a,;\"'\\@/#?%*"))
SEEDS = [
    *EXACT,
    "https://api.example.com",
    "https://a.b.example.com",
    "https://example.org",
    "https://x.example.org",
    "https://ok.test",
    "https://ok.check",
    "http://localhost:3000",
]

text = st.text(ANY_CHAR, max_size=40)
nasty = st.text(st.one_of(NASTY_CHAR, ANY_CHAR), max_size=8)
origin_like = st.from_regex(
    r"(https?|ws|null|chrome-extension)://[a-zA-Z0-9_.\-]{1,30}(\.example\.(com|org)|\.test|\.check)?(:[0-9]{0,6})?",
    fullmatch=True,
)
mutated = st.builds(lambda a, seed, b: a + seed + b, nasty, st.sampled_from(SEEDS), nasty)
inserted = st.builds(
    lambda seed, at, piece: seed[: at % (len(seed) + 1)] + piece + seed[at % (len(seed) + 1) :],
    st.sampled_from(SEEDS),
    st.integers(0, 60),
    nasty,
)
long_origin = st.builds(
    lambda n, c, tail: "https://" + c * n + tail,
    st.integers(50, 6000),
    st.sampled_from(["a", "a.", "-", "\u00e9", ","]),
    st.sampled_from([".example.com", ".example.org", ".test", ""]),
)
origins = st.one_of(st.none(), st.just(""), text, origin_like, mutated, inserted, long_origin, st.sampled_from(SEEDS))

token = st.text(st.sampled_from(sorted(TCHAR)), min_size=1, max_size=20)
request_headers = st.one_of(
    st.none(),
    text,
    st.lists(st.one_of(token, nasty), max_size=80).map(",".join),
    st.lists(token, max_size=5).map(", ".join),
    st.builds(lambda n: "x-a," * n, st.integers(0, 1000)),
)
request_methods = st.one_of(st.none(), st.sampled_from(["GET", "PUT", "DELETE", "patch", "X-CUSTOM"]), text, nasty)


@st.composite
def requests(draw: st.DrawFn) -> dict[str, Any]:
    encode: Callable[[str], str] = wire if draw(st.booleans()) else (lambda value: value)
    method = draw(st.sampled_from(["GET", "POST", "OPTIONS"]))
    path = draw(st.sampled_from(["/", "/api", "/api/items", "/apix"]))
    headers: dict[str, str] = {}
    for key, strategy in (
        ("origin", origins),
        ("access_control_request_method", request_methods),
        ("access_control_request_headers", request_headers),
        ("access_control_request_private_network", st.sampled_from([None, "true", "false", "TRUE\r\n"])),
    ):
        value = draw(strategy)
        if value is not None:
            headers[key] = encode(value)
    return {"method": method, "path": path, "headers": headers}


# --- the properties --------------------------------------------------------------------------


def check_response(name: str, request: dict[str, Any], response: Response) -> None:
    for header, value in response.headers:
        assert isinstance(header, str) and isinstance(value, str)
        header.encode("latin-1")
        value.encode("latin-1")  # PEP 3333: latin-1 str only
        for char in "\r\n\0":
            assert char not in header and char not in value, (header, value)

    origin = request["headers"].get("origin")
    acao = response.get("Access-Control-Allow-Origin")  # get() also asserts: at most once
    cors = response.cors()
    if acao is None:
        assert cors == {}, f"CORS headers without Access-Control-Allow-Origin: {cors}"
        return
    if name.startswith("star"):
        assert acao == "*"
    else:
        assert origin is not None and acao == origin, "only the request's own Origin is ever reflected"
        assert allowed_by_oracle(name, origin, request["path"]), f"{origin!r} is not allowed by {name}"
        assert acao != "*"
    if response.get("Access-Control-Allow-Credentials") is not None:
        assert response.get("Access-Control-Allow-Credentials") == "true"
        assert acao != "*"
    for listed in (
        "Access-Control-Allow-Methods",
        "Access-Control-Allow-Headers",
        "Access-Control-Expose-Headers",
    ):
        value = response.get(listed)
        if value is not None:
            items = [item.strip() for item in value.split(",")]
            assert all(_is_token(item) for item in items), (listed, value)


HYPOTHESIS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.mark.parametrize("name", list(POLICIES))
@HYPOTHESIS
@given(request=requests())
@example(request={"method": "GET", "path": "/", "headers": {"origin": "https://example.com\r\nX-Evil: 1"}})
@example(
    request={
        "method": "OPTIONS",
        "path": "/",
        "headers": {
            "origin": "https://example.com",
            "access_control_request_method": "PUT\r\nX: 1",
            "access_control_request_headers": "a\nb, c\0",
        },
    }
)
@example(request={"method": "GET", "path": "/", "headers": {"origin": "https://\u212ab.example.com"}})
@example(request={"method": "GET", "path": "/api", "headers": {"origin": "https://x.example.com"}})
def test_no_request_breaks_the_rules(name: str, request: dict[str, Any]) -> None:
    environ = environ_for(request["method"], request["path"], **request["headers"])
    response = call(wrapped(name), environ)
    check_response(name, request, response)


@pytest.mark.parametrize(
    ("name", "origin", "path"),
    [
        ("list", "https://example.com", "/"),
        ("list", "null", "/"),
        ("list-credentials-any", "http://localhost:3000", "/"),
        ("wildcard", "https://a.b.example.com", "/"),
        ("regex", "https://example.org", "/"),
        ("echo", "https://api.example.com", "/"),
        ("callables", "https://ok.test", "/"),
        ("callables", "https://ok.check", "/"),
        ("routes", "https://api.example.com", "/api/items"),
    ],
)
def test_the_oracle_and_the_engine_agree_on_allowed_origins(name: str, origin: str, path: str) -> None:
    # Guards the properties against a vacuous oracle: these are reflected, and the oracle says so.
    assert allowed_by_oracle(name, origin, path)
    response = call(wrapped(name), environ_for("GET", path, origin=origin))
    assert response.get("Access-Control-Allow-Origin") == origin
    check_response(name, {"path": path, "headers": {"origin": origin}}, response)


def test_a_raising_origin_check_denies() -> None:
    response = call(wrapped("callables"), environ_for("GET", "/", origin="https://x.check"))
    assert response.status == "200 OK"
    assert response.cors() == {}


@pytest.mark.parametrize(
    "value", ["https://example.com\r\nX-Evil: 1", "https://example.com\0", "https://example.com\n"]
)
def test_control_characters_are_never_reflected_even_when_the_prefix_is_listed(value: str) -> None:
    for name in ("list", "echo"):
        response = call(wrapped(name), environ_for("GET", "/", origin=value))
        assert response.cors() == {}
        assert re.search(r"[\r\n\0]", "".join(v for _, v in response.headers)) is None
