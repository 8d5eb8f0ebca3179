r"""Issue 17, items 1 and 2: origins anyone can register, and regexes glued to a registrable name.

A wildcard over a public suffix of the Public Suffix List (ICANN and private
sections: ``github.io`` as much as ``co.uk``), an origin regex whose free part
can produce a whole label right under one, one glued to the front of a name
(``.*example\.com``) and one that goes on after the host (``a\.example\.com.*``)
are refused at start-up; the error says why, shows an origin the pattern would
let in, and its fix is accepted when pasted back. Each case runs through the
core and through the WSGI middleware under ``wsgiref.validate``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from wsgicors import CORSConfigError, CORSMiddleware, Kind, Policy, decide_request
from wsgicors.origins import is_serialized_origin
from wsgicors.suffixes import registrable_domain

from .wsgi import Recorder, call, environ_for, wrap

QUOTED = re.compile(r"'((?:https?://|~)[^']*)'")


def _allowed(policy: Policy, origin: str) -> str | None:
    """The Access-Control-Allow-Origin a GET from ``origin`` gets through the core."""
    return decide_request(policy, "GET", "/", {"Origin": origin}).header("Access-Control-Allow-Origin")


def _through_wsgi(origins: list[Any], origin: str, credentials: bool = True) -> dict[str, str]:
    response = call(wrap(Recorder(), origins=origins, credentials=credentials), environ_for(Origin=origin))
    return response.cors()


def _pasted_back(fix: str) -> list[str]:
    """Every origin or regex a fix suggests, each accepted as an entry of its own."""
    values = QUOTED.findall(fix)
    assert values, fix
    for value in values:
        Policy(origins=[value], credentials=True)
    return values


# -- item 1: wildcards over a public suffix ---------------------------------------------

OPEN = [
    ("https://*.github.io", "github.io", "https://attacker.github.io"),
    ("https://*.co.uk", "co.uk", "https://attacker.co.uk"),
    ("https://*.vercel.app", "vercel.app", "https://attacker.vercel.app"),
    ("https://*.herokuapp.com", "herokuapp.com", "https://attacker.herokuapp.com"),
    ("https://*.pages.dev", "pages.dev", "https://attacker.pages.dev"),
    ("https://*.com", "com", "https://attacker.com"),
    ("https://*.github.io:8443", "github.io", "https://attacker.github.io:8443"),
    ("https://*.internal", "internal", "https://attacker.internal"),
    ("https://*.local", "local", "https://attacker.local"),
    ("https://*.nagoya.jp", "nagoya.jp", "https://attacker.x.nagoya.jp"),  # a wildcard rule: *.nagoya.jp
]


@pytest.mark.parametrize(("entry", "suffix", "attacker"), OPEN)
def test_a_wildcard_over_a_public_suffix_is_refused_saying_why_and_what_to_write(
    entry: str, suffix: str, attacker: str
) -> None:
    with pytest.raises(CORSConfigError) as info:
        Policy(origins=[entry], credentials=True)
    assert info.value.option == "origins"
    assert f"anyone can register a name under {suffix}" in info.value.problem
    for fixed in _pasted_back(info.value.fix):
        # The fix names one site under the suffix: the attacker's name is not in it.
        assert _allowed(Policy(origins=[fixed], credentials=True), attacker) is None
    with pytest.raises(CORSConfigError):
        CORSMiddleware(Recorder(), origins=[entry], credentials=True)


def test_a_wildcard_over_a_name_with_a_public_suffix_under_it_is_refused() -> None:
    # amazonaws.com is no public suffix, but s3.amazonaws.com (and many more) under it are.
    with pytest.raises(CORSConfigError) as info:
        Policy(origins=["https://*.amazonaws.com"], credentials=True)
    assert "also covers the public suffix" in info.value.problem
    assert "anyone can register a name under" in info.value.problem
    for fixed in _pasted_back(info.value.fix):
        assert _allowed(Policy(origins=[fixed]), "https://attacker.s3.amazonaws.com") is None
    mine = Policy(origins=["https://*.mybucket.s3.amazonaws.com"], credentials=True)
    assert _allowed(mine, "https://a.mybucket.s3.amazonaws.com") == "https://a.mybucket.s3.amazonaws.com"
    assert _allowed(mine, "https://attacker.s3.amazonaws.com") is None


@pytest.mark.parametrize(
    ("entry", "inside", "outside"),
    [
        ("https://*.example.co.uk", "https://shop.example.co.uk", "https://attacker.co.uk"),
        ("https://*.myapp.github.io", "https://a.myapp.github.io", "https://attacker.github.io"),
        ("https://*.shop.example.vercel.app", "https://x.shop.example.vercel.app", "https://attacker.vercel.app"),
        ("https://*.corp.internal", "https://wiki.corp.internal", "https://attacker.internal"),
    ],
)
def test_a_wildcard_under_a_registrable_name_stays_allowed(entry: str, inside: str, outside: str) -> None:
    policy = Policy(origins=[entry], credentials=True)
    assert _allowed(policy, inside) == inside
    assert _allowed(policy, outside) is None
    allowed = _through_wsgi([entry], inside)
    assert allowed == {"Access-Control-Allow-Origin": inside, "Access-Control-Allow-Credentials": "true"}
    assert _through_wsgi([entry], outside) == {}


def test_loopback_names_are_no_public_suffix() -> None:
    # RFC 6761: names under localhost resolve to loopback and no one can register one,
    # though the list's "unknown top-level domain" rule would call localhost a public suffix.
    policy = Policy(origins=["http://*.localhost:3000", r"~http://([a-z0-9-]+\.)*localhost:8080"], credentials=True)
    assert _allowed(policy, "http://app.localhost:3000") == "http://app.localhost:3000"
    assert _allowed(policy, "http://a.b.localhost:8080") == "http://a.b.localhost:8080"
    for other in ("http://localhost.attacker.com:3000", "http://app.localhost", "http://app.localhost:8081"):
        assert _allowed(policy, other) is None
    # So are the names no registry ever delegates (RFC 2606): tests and docs use them.
    for reserved in ("https://*.test", "https://*.example", "https://*.invalid"):
        Policy(origins=[reserved])


@pytest.mark.parametrize("entry", ["https://*.127.0.0.1", "https://*.[::1]"])
def test_a_wildcard_over_an_ip_address_is_refused(entry: str) -> None:
    with pytest.raises(CORSConfigError) as info:
        Policy(origins=[entry])
    assert "an IP address has no subdomains" in info.value.problem
    _pasted_back(info.value.fix)


def test_route_hosts_are_match_keys_not_grants() -> None:
    # hosts select which policy answers a request to *this* server; they allow no origin,
    # so a suffix anyone can register under is no risk there (only a bare TLD is refused).
    policy = Policy(origins=["https://app.example.com"], routes=[{"hosts": ["*.github.io"], "paths": ["/api"]}])
    headers = {"Origin": "https://attacker.github.io", "Host": "me.github.io"}
    assert decide_request(policy, "GET", "/api/x", headers).kind is Kind.DENIED
    mine = decide_request(policy, "GET", "/api/x", {**headers, "Origin": "https://app.example.com"})
    assert mine.header("Access-Control-Allow-Origin") == "https://app.example.com"


# -- items 1 and 2: origin regexes ------------------------------------------------------

REFUSED = [
    # item 1: a free part that can produce a whole label right under a public suffix
    (r"~https://[a-z0-9-]+\.vercel\.app", "anyone can register a name under vercel.app"),
    (r"~https://.*\.github\.io", "anyone can register a name under github.io"),
    (r"~https://([a-z0-9-]+\.)*co\.uk", "anyone can register a name under co.uk"),
    (r"~https://[a-z]{1,3}\.com", "anyone can register a name under com"),
    (r"~https://[a-z0-9]+--[a-z0-9-]+\.netlify\.app", "anyone can register a name under netlify.app"),
    (r"~https://.*\.s3\.amazonaws\.com", "anyone can register a name under s3.amazonaws.com"),
    (r"~https://.*\.nagoya\.jp", "anyone can register a name under"),
    # item 2: after the host, more than a port
    (r"~https://a\.example\.com.*", "after the host comes more than a port"),
    (r"~https://a\.example\.com(.*)?", "after the host comes more than a port"),
    (r"~https://a\.example\.com\S*", "after the host comes more than a port"),
    (r"~https://a\.example\.com[a-z.]*", "after the host comes more than a port"),
    (r"~https://.*\.example\.com.*", "after the host comes more than a port"),
    # item 2: a free part glued to the front of the name
    (r"~https://.*example\.com", "glued to 'example.com'"),
    (r"~https://[a-z.]*example\.com", "glued to 'example.com'"),
    (r"~https://[a-z0-9-]*example\.com", "glued to 'example.com'"),
    # an IP address with a free part
    (r"~http://192\.168\.0\.[0-9]+", "inside an IP address"),
    (r"~http://\[::[0-9a-f]+\]:3000", "inside an IP address"),
]


def _shown_origin(problem: str) -> str:
    found = re.search(r"it would let in '([^']+)'", problem)
    assert found, problem
    return found[1]


@pytest.mark.parametrize(("entry", "why"), REFUSED)
@pytest.mark.parametrize("form", ["string", "compiled"])
def test_an_origin_regex_that_lets_in_other_sites_is_refused_with_an_origin_it_lets_in(
    entry: str, why: str, form: str
) -> None:
    given: str | re.Pattern[str] = entry if form == "string" else re.compile(entry[1:])
    with pytest.raises(CORSConfigError) as info:
        Policy(origins=[given], credentials=True)
    assert info.value.option == "origins"
    assert why in info.value.problem
    shown = _shown_origin(info.value.problem)
    # The origin shown is one a browser sends, and the pattern, unguarded, lets it in.
    assert is_serialized_origin(shown)
    assert re.fullmatch(entry[1:], shown)
    if "IP address" not in why:
        assert "attacker" in shown or why.startswith("anyone can register a name under com")
        assert registrable_domain(shown.split("://")[1].split(":")[0]) not in ("example.com",)
    _pasted_back(info.value.fix)


@pytest.mark.parametrize(
    ("entry", "inside", "outside"),
    [
        (r"~https://.*\.example\.com", "https://a.b.example.com", "https://attackerexample.com"),
        (r"~https://([a-z0-9-]+\.)*example\.com", "https://example.com", "https://example.com.attacker.com"),
        (r"~https://(.*[./])?example\.com", "https://x.example.com", "https://xexample.com"),
        (r"~https://a\.example\.com(:[0-9]+)?", "https://a.example.com:8443", "https://a.example.com.attacker.com"),
        (r"~https://a\.example\.com:[0-9]+", "https://a.example.com:1", "https://a.example.comm:1"),
        (r"~https://(app|admin)\.example\.com", "https://admin.example.com", "https://appadmin.example.com"),
        (r"~https://.*\.myapp\.github\.io", "https://pr-1.myapp.github.io", "https://attacker.github.io"),
        (r"~https://[a-z0-9-]+--myapp\.example\.com", "https://pr-1--myapp.example.com", "https://x.com"),
        (r"~http://127\.0\.0\.1:[0-9]{1,5}", "http://127.0.0.1:5173", "http://127.0.0.10:5173"),
        (r"~http://\[::1\]:[0-9]+", "http://[::1]:3000", "http://[::2]:3000"),
        (r"~https?://example\.com", "http://example.com", "https://example.com.attacker.com"),
    ],
)
def test_an_origin_regex_held_to_one_site_stays_allowed(entry: str, inside: str, outside: str) -> None:
    policy = Policy(origins=[entry, re.compile(entry[1:], re.IGNORECASE)], credentials=True)
    assert _allowed(policy, inside) == inside
    assert _allowed(policy, outside) is None
    allowed = _through_wsgi([entry], inside)
    assert allowed == {"Access-Control-Allow-Origin": inside, "Access-Control-Allow-Credentials": "true"}
    assert _through_wsgi([entry], outside) == {}


def test_case_insensitive_patterns_are_judged_as_they_match() -> None:
    with pytest.raises(CORSConfigError, match=r"github\.io"):
        Policy(origins=[re.compile(r"HTTPS://.*\.GITHUB\.IO", re.IGNORECASE)])
    with pytest.raises(CORSConfigError, match=r"github\.io"):
        Policy(origins=[r"~(?i)https://.*\.GitHub\.io"])
    Policy(origins=[re.compile(r"https://.*\.MyApp\.GitHub\.io", re.IGNORECASE)])


def test_the_routes_origins_are_held_to_the_same_rule() -> None:
    with pytest.raises(CORSConfigError, match=r"anyone can register a name under github\.io"):
        Policy(origins=["https://app.example.com"], routes=[{"paths": ["/api"], "origins": ["https://*.github.io"]}])


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_a_case_insensitive_regex_gets_the_same_example_origin(flags: int) -> None:
    """Under IGNORECASE, \\d still means digits (categories do not fold): the error shows an origin it lets in."""
    pattern = re.compile(r"http://example\d+\.com", flags)
    with pytest.raises(CORSConfigError) as refused:
        Policy(origins=[pattern])
    assert "it would let in 'http://example00.com'" in refused.value.problem
    assert pattern.fullmatch("http://example00.com")
    assert refused.value.fix.startswith("name a domain you own under it: write 'http://example.com'")
