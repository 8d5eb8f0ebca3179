"""The start-up guard for user regexes in ``origins``, and the length cap before matching.

Refused: nested unbounded repeats that can backtrack catastrophically, regexes
that do not start with a literal scheme and ``://``, and a bare ``.``. Each
refusal is a ``CORSConfigError`` naming ``origins``, the pattern, and a fix.
Accepted: fenced repeats, bounded repeats, alternations, optional characters,
``re.Pattern`` objects. Quadratic patterns (two repeats in a row) are accepted
and stay bounded by the Origin length cap: they run under a hard cap (a guard
against hangs, not a timing); longer chains are refused.
"""

from __future__ import annotations

import re

import pytest

from wsgicors import CORSConfigError, Kind, Policy, decide_request
from wsgicors.origins import MAX_ORIGIN_LENGTH, is_serialized_origin

from .conftest import Refused, run_with_hard_timeout

BACKTRACKING = [
    r"https://(a+)+\.example\.com",
    r"https://(a+)+",
    r"https://([a-z0-9-]+\.?)+\.example\.com",
    r"https://([a-z0-9-]+\.?)+",
    r"https://([a-z0-9]+)*\.example\.com",
    r"https://(a*)*b\.example\.com",
    r"https://(.*\.)*x\.com",
    r"https://(\w+\w*)+\.example\.com",
    r"https://([a-z0-9-]+\.?)*example\.com",
    # an optional part inside a loop is a variable-length repeat too
    r"https://(aa?)+\.example\.com",
    # a bounded loop that can run more than once is still a loop
    r"https://(a+){2,10}\.example\.com",
    r"https://(a+){1,1000}\.example\.com",
    r"https://(.*a){12}\.example\.com",
    # lookarounds, atomic groups, possessive repeats and conditionals backtrack inside
    r"https://(?=(a+)+\.)[a-z]+\.example\.com",
    r"https://(?!(a+)+\.)[a-z]+",
    r"https://(?>(a+)+\.)example\.com",
    r"https://(?:(a+)+\.)++example\.com",
    r"https://(a)(?(1)(a+)+\.|c)x",
    # judged as their plain forms: a loop retries them every round
    r"https://(?>[a-z]+)+\.example\.com",
    r"https://(?:[a-z0-9-]+)++\.example\.com",
]
AMBIGUOUS_ALTERNATIONS = [
    r"https://(a|a)+\.example\.com",
    r"https://(a|aa)+\.example\.com",
    r"https://(ab|abab)*\.example\.com",
    r"https://(?:[a-z]+|[a-z0-9]+)+\.example\.com",
    r"https://(ab|[a-z]b)+\.example\.com",
    r"https://(a|aa){2,40}\.example\.com",
]
SCHEMELESS = [
    r"(a+)+",
    r"(.*\.)?example\.com",
    r".*\.example\.com",
    r"example\.com",
    r"[a-z]+://example\.com",
    r"(?:https://)?example\.com",
    r"https?:/+example\.com",
    r"(https://example\.com|.*\.example\.org)",
    r"http.://example\.com",
]
BARE_DOT = [
    r"https://(www|api).example.com",
    r"https://api.example\.com",
    r"https://example\.co.",
]


def refused(entry: str | re.Pattern[str]) -> CORSConfigError:
    with pytest.raises(CORSConfigError) as info:
        Policy(origins=["https://ok.example.com", entry])
    return info.value


def assert_named(error: CORSConfigError, entry: str | re.Pattern[str]) -> None:
    assert isinstance(error, ValueError)
    assert error.option == "origins"
    assert error.value is entry
    message = str(error)
    assert "'origins'" in message
    assert repr(entry) in message
    assert error.fix and f"Fix: {error.fix}" in message


@pytest.mark.parametrize("pattern", BACKTRACKING)
@pytest.mark.parametrize("form", ["tilde", "compiled"])
def test_backtracking_patterns_are_refused(pattern: str, form: str) -> None:
    entry: str | re.Pattern[str] = "~" + pattern if form == "tilde" else re.compile(pattern)
    error = refused(entry)
    assert_named(error, entry)
    assert "backtrack" in error.problem
    # The hint points at the safe forms: a fenced repeat or a wildcard origin.
    assert "https://*.example.com" in error.fix
    assert r"([a-z0-9-]+\.)*" in error.fix


@pytest.mark.parametrize("pattern", AMBIGUOUS_ALTERNATIONS)
@pytest.mark.parametrize("form", ["tilde", "compiled"])
def test_ambiguous_alternations_in_a_loop_are_refused(pattern: str, form: str) -> None:
    entry: str | re.Pattern[str] = "~" + pattern if form == "tilde" else re.compile(pattern)
    error = refused(entry)
    assert_named(error, entry)
    assert "backtrack" in error.problem
    assert "https://*.example.com" in error.fix


@pytest.mark.parametrize("pattern", SCHEMELESS)
def test_regexes_without_a_literal_scheme_are_refused(pattern: str) -> None:
    entry = "~" + pattern
    error = refused(entry)
    assert_named(error, entry)
    assert "scheme" in error.problem
    assert r"~https://([a-z0-9-]+\.)*example\.com" in error.fix


@pytest.mark.parametrize("pattern", BARE_DOT)
def test_a_bare_dot_is_refused(pattern: str) -> None:
    entry = "~" + pattern
    error = refused(entry)
    assert_named(error, entry)
    assert "bare '.'" in error.problem
    assert r"'\.'" in error.fix


@pytest.mark.parametrize(
    "entry",
    ["~https://(", "~https://[a-z", "~https://a{2,1}"],
)
def test_invalid_regexes_are_refused_with_the_parser_error(entry: str) -> None:
    error = refused(entry)
    assert_named(error, entry)
    assert "invalid regular expression" in error.problem


def test_a_bytes_pattern_is_refused() -> None:
    entry = re.compile(rb"https://example\.com")
    with pytest.raises(CORSConfigError) as info:
        Policy(origins=[entry])
    assert info.value.option == "origins"
    assert "bytes" in info.value.problem


# (pattern, origins it must allow, origins it must deny)
ACCEPTED: list[tuple[str | re.Pattern[str], list[str], list[str]]] = [
    (
        r"~https://([a-z0-9-]+\.)*example\.org",
        ["https://example.org", "https://a.example.org", "https://a-1.b.example.org"],
        [
            "http://a.example.org",
            "https://a.example.org.evil.com",
            "https://aexample.org",
            "https://a..example.org",
        ],
    ),
    (
        r"~https://(.*[./])?example\.com",
        ["https://example.com", "https://a.example.com", "https://x.y.example.com"],
        ["https://evilexample.com", "http://example.com", "https://example.com.evil.org"],
    ),
    (
        r"~https://(app|admin)\.example\.com",
        ["https://app.example.com", "https://admin.example.com"],
        ["https://api.example.com", "https://app.example.com:8443", "https://appxexample.com"],
    ),
    (
        r"~https://a\.example\.com|https://b\.example\.com",
        ["https://a.example.com", "https://b.example.com"],
        ["https://c.example.com", "https://a.example.com.b.example.com"],
    ),
    (
        r"~https?://example\.com",
        ["https://example.com", "http://example.com"],
        ["httpss://example.com", "ftp://example.com", "https://example.community"],
    ),
    (
        r"~(http|https)://localhost:(3000|8080)",
        ["http://localhost:3000", "https://localhost:8080"],
        ["http://localhost:3001", "http://localhost", "ws://localhost:3000"],
    ),
    (
        r"~https://.*\.example\.com",
        ["https://api.example.com", "https://my_app.example.com", "https://a.b.example.com"],
        ["https://example.com", "https://api.example.com.evil.com", "http://api.example.com"],
    ),
    (
        r"~https://[a-z0-9-]{1,63}\.example\.com(:[0-9]{1,5})?",
        ["https://api.example.com", "https://api.example.com:8443"],
        ["https://a.b.example.com", "https://api.example.com:"],
    ),
    (
        r"~https://((app|admin)-)*x\.example\.com",
        ["https://x.example.com", "https://app-admin-x.example.com"],
        ["https://app-x.example.com.evil", "https://ap-x.example.com"],
    ),
    (
        r"~https://(x|xy)+z\.example\.com",
        ["https://xz.example.com", "https://xyxz.example.com"],
        ["https://yz.example.com"],
    ),
    (
        r"~https://[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63}){0,3}\.example\.com",
        ["https://a.example.com", "https://a.b.c.d.example.com"],
        ["https://a.b.c.d.e.example.com", "https://example.com"],
    ),
    (
        r"~https://.{1,63}\.example\.com",
        ["https://a.example.com", "https://a-b.example.com"],
        ["https://example.com", "http://a.example.com"],
    ),
    (
        r"~https://(?>[a-z]+)\.example\.com",  # atomic, outside a loop
        ["https://abc.example.com"],
        ["https://abc.example.co"],
    ),
    (
        r"~https://[a-z0-9-]++\.example\.com",  # possessive, outside a loop
        ["https://abc.example.com"],
        ["https://a.b.example.com", "https://abc.example.co"],
    ),
    (
        re.compile(r"https://([a-z0-9-]+\.)*example\.net"),
        ["https://example.net", "https://x.example.net"],
        ["https://x.example.net.evil.com", "https://xexample.net"],
    ),
    (
        re.compile(r"https://api\.example\.com", re.IGNORECASE),
        ["https://api.example.com"],
        ["https://api.example.co", "https://API.example.com", "HTTPS://api.example.com"],
    ),
]


@pytest.mark.parametrize(("entry", "allowed", "denied"), ACCEPTED, ids=lambda v: repr(v)[:60])
def test_safe_patterns_are_accepted_and_full_match(
    entry: str | re.Pattern[str], allowed: list[str], denied: list[str]
) -> None:
    policy = Policy(origins=[entry])
    for origin in allowed:
        decision = decide_request(policy, "GET", "/", {"Origin": origin})
        assert decision.kind is Kind.ACTUAL, origin
        assert decision.header("Access-Control-Allow-Origin") == origin
    for origin in denied:
        decision = decide_request(policy, "GET", "/", {"Origin": origin})
        assert decision.kind is Kind.DENIED, origin
        assert decision.headers == ()


#: The longest https origin a browser can send: a 253-octet host and a 5-digit port.
LONGEST_HTTPS = len("https://") + 253 + len(":65535")


def _labels(size: int, tail: str) -> str:
    """A 253-octet host: 63-letter labels filling ``size`` octets, then ``tail``."""
    full, rest = divmod(size + 1, 64)
    return ".".join(["a" * 63] * full + (["a" * (rest - 1)] if rest > 1 else [])) + tail


def _longest_origins() -> list[str]:
    """Origins of the longest allowed length, shaped to make dotted patterns work hard; none matches."""
    hosts = [
        ("a." * 127)[:252] + "b",  # one-letter labels: a dot every other character
        ("ab." * 85)[:242] + ".example.co",  # almost the suffix, many times
        ("a." * 127)[:240] + "example.com.a",
        _labels(240, ".example.comx"),
    ]
    return [f"https://{host}:65535" for host in hosts]


POLYNOMIAL = [
    r"~https://.*\..*\.example\.com",
    r"~https://.*.*\.example\.com",
    r"~https://(.*\.)?(.*\.)?example\.com",
    r"~https://[a-z.]*[a-z.]*\.example\.com",
    r"~https://[a-z.]{0,250}[a-z.]{0,250}\.example\.com",
]


def _run_polynomial(pattern: str) -> list[str]:
    policy = Policy(origins=[pattern])
    kinds = []
    for origin in _longest_origins():
        assert len(origin) == LONGEST_HTTPS and is_serialized_origin(origin), origin
        kinds.append(decide_request(policy, "GET", "/", {"Origin": origin}).kind.value)
    return kinds


@pytest.mark.parametrize("pattern", POLYNOMIAL)
def test_polynomial_patterns_are_accepted_and_bounded_by_the_length_cap(pattern: str) -> None:
    kinds = run_with_hard_timeout(_run_polynomial, pattern, timeout=5.0)
    assert not isinstance(kinds, Refused), kinds
    assert kinds == ["denied"] * len(kinds)


def _run_exponential_without_guard() -> str:
    """The corpus's ReDoS origin against a refused pattern: the guard is what saves us."""
    policy = Policy(origins=[r"~https://([a-z0-9-]+\.)*example\.com"])
    origin = "https://" + "a" * 40 + ".example.co"
    return decide_request(policy, "GET", "/", {"Origin": origin}).kind.value


def test_the_fenced_form_answers_the_redos_origin() -> None:
    assert run_with_hard_timeout(_run_exponential_without_guard, timeout=1.0) == "denied"


def test_an_origin_over_the_cap_is_never_matched() -> None:
    host = _labels(241, ".example.com")
    cases = ((MAX_ORIGIN_LENGTH - 256, Kind.ACTUAL), (MAX_ORIGIN_LENGTH - 255, Kind.DENIED))
    for scheme_length, kind in cases:
        scheme = "x" * scheme_length
        policy = Policy(origins=[f"~{scheme}://([a-z0-9]{{1,63}}\\.)*example\\.com"])
        origin = f"{scheme}://{host}"
        assert len(origin) == scheme_length + 256
        decision = decide_request(policy, "GET", "/", {"Origin": origin})
        assert decision.kind is kind, len(origin)


def test_high_degree_polynomial_patterns_are_refused_or_answered() -> None:
    # A chain of six unbounded repeats over the same characters is O(n**6):
    # about 10**10 steps for the longest origin, which the length cap cannot bound.
    pattern = r"~https://[a-z.]*[a-z.]*[a-z.]*[a-z.]*[a-z.]*[a-z.]*\.example\.com"
    origin = "https://" + _labels(240, ".example.comx") + ":65535"

    def attempt() -> str:
        return decide_request(Policy(origins=[pattern]), "GET", "/", {"Origin": origin}).kind.value

    outcome = run_with_hard_timeout(attempt, timeout=2.0)
    assert isinstance(outcome, Refused) or outcome == "denied"


@pytest.mark.parametrize(
    "pattern",
    [
        r"~https://.*.*.*\.example\.com",
        r"~https://.*\..*\..*\.example\.com",  # cubic: up to half a second on one capped origin
        r"~https://.*a.*a.*\.example\.com",  # 'a' does not fence '.*'
        r"~https://[a-z.]+[a-z]*\.?[a-z.]*\.example\.com",
        r"~https://(.*\.)?(.*\.)?(.*\.)?example\.com",
    ],
)
def test_chains_of_more_than_two_repeats_are_refused(pattern: str) -> None:
    with pytest.raises(CORSConfigError, match="in a row") as info:
        Policy(origins=[pattern])
    assert "O(n**3)" in info.value.problem


@pytest.mark.parametrize(
    "pattern",
    [
        r"~https://.*\..*\.example\.com",  # quadratic: bounded by the length cap
        r"~https://[a-z]+-[a-z]+-[a-z]+-[a-z]+-[a-z]+\.example\.com",  # fenced by '-'
    ],
)
def test_short_or_fenced_chains_are_accepted(pattern: str) -> None:
    assert len(Policy(origins=[pattern]).matcher.patterns) == 1


def test_ignorecase_pattern_with_upper_case_scheme_is_accepted() -> None:
    policy = Policy(origins=[re.compile(r"HTTPS://APP\.EXAMPLE\.COM", re.IGNORECASE)])
    decision = decide_request(policy, "GET", "/", {"Origin": "https://app.example.com"})
    assert decision.header("Access-Control-Allow-Origin") == "https://app.example.com"
