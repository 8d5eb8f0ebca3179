r"""Issue 17, items 5 and 6: the regex cost summed over alternatives and entries, and fenced
repeats accepted.

Item 5: every alternative of every origin regex is tried in turn, so a hundred
quadratic alternatives cost a hundred times one (22-55 ms per 253-character
origin). The policy's estimated total is bounded at start-up, and the error
gives the estimate. Item 6: ``[a-z]+(?:-[a-z]+)*`` is linear (every round
starts with '-', which the repeat before cannot take), and is accepted.
"""

from __future__ import annotations

import re

import pytest

from wsgicors import CORSConfigError, CORSMiddleware, Kind, Policy, decide_request
from wsgicors.regex_cost import MAX_COST

from .conftest import run_with_hard_timeout
from .wsgi import Recorder, call, environ_for, wrap

A = "https://app.example.com"
# Two overlapping repeats (capturing: the slowest form in CPython), then a fixed site.
QUADRATIC = r"https://([a-z.]*)([a-z.]*)\.e{}\.example\.com"


def _alternatives(count: int) -> str:
    return "~" + "|".join(QUADRATIC.format(i) for i in range(count))


def _estimate(message: str) -> int:
    found = re.search(r"an estimated ([0-9,]+) backtracking steps", message)
    assert found, message
    return int(found[1].replace(",", ""))


def test_a_hundred_quadratic_alternatives_are_refused_with_the_estimated_cost() -> None:
    entry = _alternatives(100)
    with pytest.raises(CORSConfigError) as info:
        Policy(origins=[entry])
    assert info.value.option == "origins"
    assert info.value.value == entry
    estimate = _estimate(info.value.problem)
    assert estimate > 100 * 300**2  # a hundred chains of two repeats over a 300-character origin
    assert f"over the budget of {MAX_COST:,}" in info.value.problem
    assert "list exact origins instead" in info.value.fix
    with pytest.raises(CORSConfigError):
        CORSMiddleware(Recorder(), origins=[entry])


def test_the_budget_holds_about_ten_quadratic_chains() -> None:
    policy = Policy(origins=[_alternatives(10)], credentials=True)
    origin = "https://x.e9.example.com"
    assert decide_request(policy, "GET", "/", {"Origin": origin}).header("Access-Control-Allow-Origin") == origin
    with pytest.raises(CORSConfigError, match="an estimated"):
        Policy(origins=[_alternatives(11)])


def test_separate_entries_add_up_like_alternatives() -> None:
    entries = ["~" + QUADRATIC.format(i) for i in range(20)]
    with pytest.raises(CORSConfigError) as info:
        Policy(origins=entries)
    assert "the 20 regexes cost an estimated" in info.value.problem
    assert info.value.value == entries
    # Each route answers with its own policy, so each has its own budget.
    policy = Policy(origins=entries[:8], routes=[{"paths": ["/a"]}, {"paths": ["/b"], "origins": entries[8:16]}])
    origin = "https://x.e12.example.com"
    answer = decide_request(policy, "GET", "/b", {"Origin": origin})
    assert answer.header("Access-Control-Allow-Origin") == origin
    assert decide_request(policy, "GET", "/a", {"Origin": origin}).kind is Kind.DENIED


def test_a_huge_alternation_of_fixed_origins_is_refused_and_the_fix_is_a_plain_list() -> None:
    names = [f"https://s{i}\\.example\\.com" for i in range(60_000)]

    def build() -> str:
        Policy(origins=["~" + "|".join(names)])
        return "accepted"

    # Refused before it is parsed (parsing 1.7 MB of pattern alone takes seconds).
    refused = run_with_hard_timeout(build, timeout=10.0)
    assert "a regex of 1,728,889 characters, more than 50,000" in refused.message
    assert "list exact origins instead" in refused.fix
    exact = [name.replace("\\", "") for name in names]
    response = call(wrap(Recorder(), origins=exact), environ_for(Origin="https://s59999.example.com"))
    assert response.cors() == {"Access-Control-Allow-Origin": "https://s59999.example.com"}


def test_the_size_of_what_a_loop_repeats_counts_once_a_round() -> None:
    # 26 linear alternatives, each 1,000 characters, tried at every round of the loop.
    body = "|".join(letter + "x" * 999 for letter in "abcdefghijklmnopqrstuvwxyz")
    with pytest.raises(CORSConfigError, match="an estimated"):
        Policy(origins=[f"~https://(?:(?:{body})-)*app\\.example\\.com"])
    Policy(origins=[f"~https://(?:{body})-app\\.example\\.com"])  # once, not once a round


# -- item 6: fenced repeats ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "routed"),
    [
        ("/user-profile/42", True),
        ("/a-b-c-d/7", True),
        ("/user/1", True),
        ("/user-/42", False),
        ("/-user/42", False),
        ("/user--profile/42", False),
        ("/user-profile/", False),
    ],
)
def test_a_path_of_words_joined_by_dashes_is_accepted_and_routes(path: str, routed: bool) -> None:
    policy = Policy(origins=[], routes=[{"paths": [r"~/[a-z]+(?:-[a-z]+)*/[0-9]+"], "origins": [A]}])
    response = call(wrap(Recorder(), policy=policy), environ_for(path=path, Origin=A))
    assert response.cors() == ({"Access-Control-Allow-Origin": A} if routed else {})


def test_an_unfenced_variant_is_still_refused() -> None:
    for pattern in (r"~/[a-z]+(?:-?[a-z]+)*/[0-9]+", r"~/[a-z]+(?:-[a-z]+)*[a-z]+", r"~/[a-z-]+(?:-[a-z]+)*/"):
        with pytest.raises(CORSConfigError) as info:
            Policy(routes=[{"paths": [pattern]}])
        assert info.value.option == "routes[0].paths"
