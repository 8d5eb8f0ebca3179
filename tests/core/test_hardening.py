"""Issue 11, items 3 and 4: header lists at start-up, well-formed origins only, route hosts,
a capped DEBUG log, and the messages that quoted the wrong thing.

The header-list repros run in a child under a hard limit: 100,000 names took
72 s to de-duplicate and gave a 1.6 MB header; now they are refused at once.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from wsgicors import CORSConfigError, Kind, Policy, decide, decide_request, evaluate
from wsgicors.options import MAX_HEADER_VALUE
from wsgicors.shown import MAX_SHOWN

from .conftest import Refused, run_with_hard_timeout

A = "https://app.example.com"
ADMIN = "https://admin.example.com"
LISTS = {
    "methods": "Access-Control-Allow-Methods",
    "headers": "Access-Control-Allow-Headers",
    "exposed_headers": "Access-Control-Expose-Headers",
}


def _many(option: str, count: int) -> str:
    names = [f"X-HEADER-{i}" for i in range(count)]
    Policy(origins=[A], **{option: names})
    return "built"


@pytest.mark.parametrize("option", list(LISTS))
def test_a_huge_name_list_is_refused_at_once_with_its_size(option: str) -> None:
    outcome = run_with_hard_timeout(_many, option, 100_000, timeout=10.0)
    assert isinstance(outcome, Refused), outcome
    assert outcome.option == option
    length = sum(len(f"X-HEADER-{i}") for i in range(100_000)) + 2 * 99_999
    assert f"100,000 names join into an {LISTS[option]} value of {length:,} characters" in outcome.message
    assert f"more than the {MAX_HEADER_VALUE:,}" in outcome.message
    # The message shows the list capped, not 1.8 MB of it.
    assert len(outcome.message) < 2 * MAX_SHOWN + 400


def _names_of_length(total: int) -> list[str]:
    """Names whose ', '-joined value is exactly ``total`` characters."""
    names, size = [], 0
    while total - size > 40:
        name = f"X-{len(names):06d}-" + "a" * 20
        names.append(name)
        size += len(name) + 2
    names.append("X-" + "b" * (total - size - 2))
    assert len(", ".join(names)) == total
    return names


@pytest.mark.parametrize("option", list(LISTS))
@pytest.mark.parametrize("where", ["top", "route"])
def test_the_joined_value_may_be_8_kb_and_not_one_character_more(option: str, where: str) -> None:
    def build(names: list[str]) -> Policy:
        if where == "top":
            return Policy(origins=[A], **{option: names})
        return Policy(origins=[A], routes=[{"paths": ["/api"], option: names}])

    fits = _names_of_length(MAX_HEADER_VALUE)
    policy = build(fits)
    if where == "route":
        assert policy.routes is not None and policy.routes[0].policy is not None
        policy = policy.routes[0].policy
    if option == "exposed_headers":
        actual = decide_request(policy, "GET", "/api", {"Origin": A})
        assert actual.header(LISTS[option]) == ", ".join(fits)
    else:
        answer = decide_request(policy, "OPTIONS", "/api", {"Origin": A, "Access-Control-Request-Method": "GET"})
        value = ", ".join(name.upper() for name in fits) if option == "methods" else ", ".join(fits)
        assert answer.header(LISTS[option]) == value
    with pytest.raises(CORSConfigError) as info:
        build(_names_of_length(MAX_HEADER_VALUE + 1))
    assert f"value of {MAX_HEADER_VALUE + 1:,} characters" in info.value.problem


def test_header_names_are_deduplicated_case_insensitively_keeping_the_first_spelling() -> None:
    policy = Policy(origins=[A], headers=["X-Token", "x-token", "Content-Type", "X-TOKEN", "content-type"])
    answer = decide_request(policy, "OPTIONS", "/", {"Origin": A, "Access-Control-Request-Method": "GET"})
    assert answer.header("Access-Control-Allow-Headers") == "X-Token, Content-Type"


def test_many_duplicates_leave_one_of_each() -> None:
    def build() -> str | None:
        names = [f"X-Dup-{i % 200}" for i in range(400_000)]
        return Policy(origins=[A], headers=names).headers_value

    value = run_with_hard_timeout(build, timeout=10.0)
    assert value == ", ".join(f"X-Dup-{i}" for i in range(200))


@pytest.mark.parametrize("option", ["methods", "routes[0].match_methods"])
def test_a_bad_method_is_answered_with_a_method_name(option: str) -> None:
    with pytest.raises(CORSConfigError) as info:
        if option == "methods":
            Policy(methods=["GET", "BAD METHOD"])
        else:
            Policy(routes=[{"paths": ["/"], "match_methods": ["GET", "BAD METHOD"]}])
    assert info.value.option == option
    assert info.value.fix == "use method names such as 'PATCH' (no spaces or commas)"
    with pytest.raises(CORSConfigError) as info:
        Policy(headers=["X Token"])
    assert info.value.fix == "use header names such as 'X-Token' (no spaces or commas)"


# -- item 4: origins a wildcard, a regex or a callable sees ------------------------


def _origin_with_host(length: int, suffix: str = ".example.com") -> str:
    labels, rest = [], length - len(suffix)
    while rest > 0:
        size = min(63, rest)
        if rest - size == 1:  # no empty label: leave two characters for the last one
            size -= 1
        labels.append("a" * size)
        rest -= size + 1
    host = ".".join(labels) + suffix
    assert len(host) == length, len(host)
    return "https://" + host


@pytest.mark.parametrize(
    "origins", [["https://*.example.com"], [r"~https://([a-z0-9-]+\.)*example\.com"], [lambda o, e: True]]
)
def test_a_host_over_253_characters_is_never_allowed(origins: list[Any]) -> None:
    policy = Policy(origins=origins)
    longest, over = _origin_with_host(253), _origin_with_host(254)
    assert len(over) < 300  # under the length cap: the host rule is what refuses it
    for method, extra in (("GET", {}), ("OPTIONS", {"Access-Control-Request-Method": "GET"})):
        allowed = decide_request(policy, method, "/", {"Origin": longest, **extra})
        assert allowed.header("Access-Control-Allow-Origin") == longest
        denied = decide_request(policy, method, "/", {"Origin": over, **extra})
        assert denied.kind is Kind.DENIED
        assert denied.header("Access-Control-Allow-Origin") is None


@pytest.mark.parametrize("label", ["", "a" * 64])
def test_a_wildcard_sees_only_labels_of_1_to_63_characters(label: str) -> None:
    policy = Policy(origins=["https://*.example.com"])
    origin = f"https://x.{label}.example.com"
    assert decide_request(policy, "GET", "/", {"Origin": origin}).kind is Kind.DENIED


# -- item 4: route hosts ------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("*.com", "top-level domain"),
        ("*.localhost", "top-level domain"),
        ("*.[::1]", "top-level domain"),
        ("...", "not a host name"),
        ("-", "not a host name"),
        ("-api.example.com", "not a host name"),
        ("api..example.com", "not a host name"),
        ("a" * 64 + ".example.com", "not a host name"),
        (".".join(["a" * 63] * 4) + ".com", "not a host name"),
        ("api.example.com:0", "not a host name"),
        ("api.example.com:65536", "not a host name"),
    ],
)
def test_route_hosts_are_validated_as_origin_wildcards_are(entry: str, problem: str) -> None:
    with pytest.raises(CORSConfigError) as info:
        Policy(origins=[A], routes=[{"paths": ["/"], "hosts": [entry]}])
    assert info.value.option == "routes[0].hosts"
    assert info.value.value == entry
    assert problem in info.value.problem


ADMIN_ROUTES = [
    {"hosts": ["admin.example.com"], "paths": ["/"], "origins": [ADMIN]},
    {"paths": ["/"], "origins": [A]},
]


@pytest.mark.parametrize(
    "host", ["admin.example.com", "admin.example.com.", "Admin.Example.COM.", "admin.example.com.:8443"]
)
def test_a_host_with_the_fqdn_dot_gets_its_host_scoped_route(host: str) -> None:
    policy = Policy(origins=[A], routes=ADMIN_ROUTES)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/x", "HTTP_HOST": host, "HTTP_ORIGIN": ADMIN}
    assert decide(policy, environ).header("Access-Control-Allow-Origin") == ADMIN
    environ["HTTP_ORIGIN"] = A  # the next route's origin is not this host's
    assert decide(policy, environ).kind is Kind.DENIED


def test_configured_hosts_are_normalised_too() -> None:
    policy = Policy(origins=[A], routes=[{"hosts": ["ADMIN.example.com."], "paths": ["/"], "origins": [ADMIN]}])
    assert policy.routes is not None and policy.routes[0].hosts == ("admin.example.com",)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "HTTP_HOST": "admin.example.com", "HTTP_ORIGIN": ADMIN}
    assert decide(policy, environ).header("Access-Control-Allow-Origin") == ADMIN


@pytest.mark.parametrize(
    ("entry", "host", "covered"),
    [
        ("*.example.com", "a.example.com.", True),
        ("*.example.com", "example.com.", False),
        ("*.example.com:8443", "a.example.com.:8443", True),
        ("*.example.com:8443", "a.example.com.", False),
        ("[::1]:8080", "[::1]:8080", True),
    ],
)
def test_wildcard_and_port_hosts(entry: str, host: str, covered: bool) -> None:
    policy = Policy(origins=[A], routes=[{"hosts": [entry], "paths": ["/"]}])
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "HTTP_HOST": host, "HTTP_ORIGIN": A}
    assert (decide(policy, environ).kind is Kind.ACTUAL) is covered


# -- item 4: the DEBUG log -----------------------------------------------------------


def test_each_logged_value_is_capped_with_its_length_and_escaped(caplog: pytest.LogCaptureFixture) -> None:
    hostile = "x-a\r\n2026-01-01 INFO forged," + "x" * 100_000
    environ = {
        "REQUEST_METHOD": "OPTIONS",
        "PATH_INFO": "/" + "p" * 50_000,
        "HTTP_ORIGIN": A + "\n" + "o" * 20_000,
        "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "GET",
        "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": hostile,
    }
    with caplog.at_level(logging.DEBUG, logger="wsgicors"):
        evaluate(Policy(origins=["~https://app\\.example\\.com"]), environ)
        environ["HTTP_ORIGIN"] = A
        evaluate(Policy(origins=[A]), environ)
    denied, left_out = (record.getMessage() for record in caplog.records)
    for message in (denied, left_out):
        assert "\r" not in message and "\n" not in message
        assert len(message) < 5 * MAX_SHOWN
        assert "(50,001 characters)" in message  # the path
    assert f"({len(A) + 20_001:,} characters)" in denied  # the origin
    assert repr(A + "\n" + "o" * (MAX_SHOWN - len(A) - 1)) in denied
    assert f"Access-Control-Request-Headers {hostile[:MAX_SHOWN]!r}... ({len(hostile):,} characters)" in left_out


def test_a_raising_check_logs_the_origin_capped(caplog: pytest.LogCaptureFixture) -> None:
    def check(origin: str, environ: object) -> bool:
        raise RuntimeError("down")

    origin = "https://" + "a" * 60 + ".example.com"
    with caplog.at_level(logging.ERROR, logger="wsgicors"):
        decide_request(Policy(origins=[check]), "GET", "/", {"Origin": origin})
    assert repr(origin) in caplog.text  # a short origin is shown whole


# -- item 4: the messages --------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "fix"),
    [
        ("https://*.example.com/path", "'https://*.example.com'"),
        ("https://*.example.com:8443/a?b", "'https://*.example.com:8443'"),
        ("https://*.Example.com#top", "'https://*.example.com'"),
        (" https://*.example.com", "'https://*.example.com'"),
    ],
)
def test_a_bad_wildcard_is_quoted_as_written(entry: str, fix: str) -> None:
    with pytest.raises(CORSConfigError) as info:
        Policy(origins=[entry])
    assert info.value.value == entry
    assert f"(got {entry!r})" in str(info.value)
    assert fix in info.value.fix


@pytest.mark.parametrize(
    ("entry", "fix"),
    [
        ("https://exämple.com", "'https://xn--exmple-cua.com'"),
        ("https://*.exämple.com:8443", "'https://*.xn--exmple-cua.com:8443'"),
        ("https://bücher.example/shop", "'https://xn--bcher-kva.example'"),
    ],
)
def test_a_non_ascii_origin_is_hinted_with_its_punycode_form(entry: str, fix: str) -> None:
    with pytest.raises(CORSConfigError) as info:
        Policy(origins=[entry])
    assert fix in info.value.fix
    if "/" not in entry.partition("://")[2]:
        assert "punycode" in info.value.problem


def test_the_punycode_form_itself_is_accepted() -> None:
    policy = Policy(origins=["https://xn--exmple-cua.com"])
    origin = "https://xn--exmple-cua.com"
    assert decide_request(policy, "GET", "/", {"Origin": origin}).header("Access-Control-Allow-Origin") == origin


def test_a_method_that_is_not_a_token_is_logged_escaped(caplog: pytest.LogCaptureFixture) -> None:
    environ = {"REQUEST_METHOD": "GET\r\nforged" + "x" * 1000, "PATH_INFO": "/", "HTTP_ORIGIN": "https://evil.example"}
    with caplog.at_level(logging.DEBUG, logger="wsgicors"):
        evaluate(Policy(origins=[A]), environ)
    (record,) = caplog.records
    message = record.getMessage()
    assert "\r" not in message and "\n" not in message
    assert "(1,011 characters)" in message
