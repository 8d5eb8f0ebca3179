"""Issue 11, item 1: the regexes that got past the guard, and the one guard every user regex goes through.

Route paths are guarded like origins (with a linear budget, since paths can be
long), case-insensitive patterns are judged case-folded, chains of repeats are
followed through groups and alternatives and bounded repeats are counted, and
deep nesting is a CORSConfigError. Each repro runs in a child under a hard
limit, so a regression shows as a failure, not a hang.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from wsgicors import CORSConfigError, Kind, Policy, decide
from wsgicors.origins import ORIGIN_REGEX
from wsgicors.regex_safety import MAX_NESTING, PATH_REGEX, guard_regex

from .conftest import Refused, run_with_hard_timeout

APP = "https://app.example.com"


def _route_repro(pattern: str | re.Pattern[str], path: str) -> str:
    """Issue 11's repro: build the policy, then route one request (no Origin needed)."""
    policy = Policy(origins=[APP], routes=[{"paths": [pattern]}])
    return decide(policy, {"REQUEST_METHOD": "GET", "PATH_INFO": path}).kind.value


@pytest.mark.parametrize(
    "pattern", [r"~/api/(a+)+", re.compile(r"/api/(a+)+"), r"~/api/([a-z]+/?)+", r"~/api/.*/.*", r"~/(.*)(.*)"]
)
def test_route_path_regexes_are_guarded(pattern: str | re.Pattern[str]) -> None:
    outcome = run_with_hard_timeout(_route_repro, pattern, "/api/" + "a" * 28 + "!", timeout=5.0)
    assert isinstance(outcome, Refused), outcome
    assert outcome.option == "routes[0].paths"
    assert repr(pattern) in outcome.message


def test_a_refused_route_regex_names_the_option_and_a_path_fix() -> None:
    with pytest.raises(CORSConfigError) as info:
        Policy(origins=[APP], routes=[{"paths": ["~/api/.*/.*"]}])
    assert info.value.option == "routes[0].paths"
    assert "linear time" in info.value.problem
    assert "'[^/]*'" in info.value.fix


@pytest.mark.parametrize(
    ("pattern", "path", "covered"),
    [
        (r"~/api/.*", "/api/" + "/" * 50_000 + "\n", False),
        (r"~/api/.*/[0-9]+", "/api/" + "/1" * 50_000 + "x", False),
        (r"~/(?:[a-z]+/)*[a-z]+", "/" + "a/" * 50_000 + "!", False),
        (r"~/users/[^/]+/posts/[^/]+", "/users/" + "u" * 100_000 + "/posts/p", True),
    ],
)
def test_accepted_route_regexes_answer_long_paths(pattern: str, path: str, covered: bool) -> None:
    kind = run_with_hard_timeout(_route_repro, pattern, path, timeout=5.0)
    # A covered path gets the route's policy (no Origin: not CORS); either way an answer, at once.
    assert kind == Kind.NOT_CORS.value
    policy = Policy(origins=[APP], routes=[{"paths": [pattern]}])
    assert (policy.routes is not None and policy.routes[0].matches(path, "GET", "")) is covered


def _origin_repro(entry: str | re.Pattern[str], origin: str) -> str:
    policy = Policy(origins=[entry])
    return decide(policy, {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "HTTP_ORIGIN": origin}).kind.value


CASE_FOLDED = [
    re.compile(r"https://(A+a+)+x", re.IGNORECASE),
    r"~(?i)https://(A+a+)+x",
    r"~https://(?i:(A+a+)+)x",
    re.compile("https://(\u212a+k+)+x", re.IGNORECASE),  # the Kelvin sign folds to 'k'
    re.compile(r"https://([a-z]+[A-Z]+)+x", re.IGNORECASE),
]


@pytest.mark.parametrize("entry", CASE_FOLDED, ids=repr)
def test_case_insensitive_patterns_are_compared_case_insensitively(entry: str | re.Pattern[str]) -> None:
    outcome = run_with_hard_timeout(_origin_repro, entry, "https://" + "aA" * 16 + "!", timeout=5.0)
    assert isinstance(outcome, Refused), outcome
    assert outcome.option == "origins"
    assert "backtrack" in outcome.message


@pytest.mark.parametrize(
    "entry",
    [r"~https://(A+a+)+x", r"~(?i)https://(?-i:(A+a+)+)x", re.compile("https://(\u212a+k+)+x")],
    ids=repr,
)
def test_the_same_patterns_case_sensitive_are_accepted(entry: str | re.Pattern[str]) -> None:
    # Case-sensitively 'A' and 'a' (and the Kelvin sign and 'k') never overlap: no ambiguity.
    kind = run_with_hard_timeout(_origin_repro, entry, "https://" + "Aa" * 16 + "!", timeout=5.0)
    assert kind == Kind.DENIED.value


@pytest.mark.parametrize(
    "pattern",
    [
        r"~https://(.*)(.*)(.*)(.*)(.*)\.example\.com",
        r"~https://(.*)(?:(.*)(.*))\.example\.com",
        r"~https://(.*|a)(.*)(.*)\.example\.com",
        r"~https://(?P<a>.*)(?P<b>.*)(?P<c>.*)\.example\.com",
    ],
)
def test_chains_of_groups_are_counted(pattern: str) -> None:
    outcome = run_with_hard_timeout(_origin_repro, pattern, "https://" + "a" * 120 + ".example.co", timeout=5.0)
    assert isinstance(outcome, Refused), outcome
    assert "in a row" in outcome.message


@pytest.mark.parametrize(
    ("pattern", "cost"),
    [
        # refused at the third: 251**3 ways to share a 300-character origin
        (
            r"~https://[a-z.]{0,250}[a-z.]{0,250}[a-z.]{0,250}[a-z.]{0,250}\.example\.com",
            "a constant times 15813251 ways",
        ),
        (r"~https://[a-z.]{0,250}[a-z.]{0,250}[a-z.]{0,250}\.example\.com", "a constant times 15813251 ways"),
        (r"~https://.*[a-z.]{0,250}[a-z.]{0,250}\.example\.com", "O(n**1) times 63001 ways"),
    ],
)
def test_chains_of_bounded_repeats_are_counted(pattern: str, cost: str) -> None:
    with pytest.raises(CORSConfigError, match="3 repeats in a row") as info:
        Policy(origins=[pattern])
    assert f"{cost} for the bounded ones" in info.value.problem


def test_bounded_repeats_within_the_budget_are_accepted() -> None:
    policy = Policy(origins=[r"~https://[a-z0-9-]{1,63}[a-z0-9-]{1,63}\.example\.com"])
    assert len(policy.matcher.patterns) == 1


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 500, 5000])
@pytest.mark.parametrize("group", ["(?:", "(", "(?P<g{}>"])
def test_deep_nesting_is_a_config_error_not_a_recursion_error(depth: int, group: str) -> None:
    opening = "".join(group.format(i) for i in range(depth))
    with pytest.raises(CORSConfigError) as info:
        Policy(origins=["~https://" + opening + "a" + ")" * depth])
    assert f"nested more than {MAX_NESTING} deep" in info.value.problem
    with pytest.raises(CORSConfigError) as info:
        Policy(origins=[APP], routes=[{"paths": ["~/" + opening + "a" + ")" * depth]}])
    assert info.value.option == "routes[0].paths"


def test_nesting_up_to_the_limit_is_accepted() -> None:
    depth = MAX_NESTING
    policy = Policy(origins=["~https://" + "(?:" * depth + "a" + ")" * depth + r"\.example\.com"])
    assert len(policy.matcher.patterns) == 1


@pytest.mark.parametrize(
    ("entry", "path"),
    [
        ("~/" + "[(]" * 80 + "x", "/" + "(" * 80 + "x"),
        ("~/" + r"\(" * 80, "/" + "(" * 80),
        ("~/(?#" + "(" * 80 + ")x", "/x"),
        ("~(?x)/x # " + "(" * 80 + "\n", "/x"),
    ],
)
def test_parentheses_that_open_no_group_do_not_count(entry: str, path: str) -> None:
    assert guard_regex(entry, "routes[].paths", PATH_REGEX).fullmatch(path) is not None


@pytest.mark.parametrize("use", [ORIGIN_REGEX, PATH_REGEX], ids=["origin", "path"])
def test_one_guard_for_every_user_regex(use: Any) -> None:
    prefix, end = ("https://", r"\.example\.com") if use is ORIGIN_REGEX else ("/", "")
    compiled = guard_regex(f"~{prefix}[a-z]+{end}", "x", use)
    assert compiled.pattern == f"{prefix}[a-z]+{end}"
    given = re.compile(prefix + "[a-z]+" + end)
    assert guard_regex(given, "x", use) is given
    with pytest.raises(CORSConfigError) as info:
        guard_regex(f"~{prefix}(a+)+", "some option", use)
    assert info.value.option == "some option"
