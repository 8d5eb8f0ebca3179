"""The regex corpus (``tests/data/regex_corpus.json``) against the one guard, and against attacks.

Each entry is an origin or a route-path regex with the guard's verdict. Every
accepted pattern then meets the adversarial inputs of ``regex_attacks``, as
long as the door lets them through (an origin: the 300-character cap; a path:
100,000 characters, which a quadratic pattern cannot get through in the hard
limit, and a linear one does hundreds of times over). Entries marked ``slow``
are refused ones that the same attacks stall when the guard is bypassed: proof
that the attack test can fail.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from wsgicors import CORSConfigError, Policy
from wsgicors.origins import MAX_ORIGIN_LENGTH

from .conftest import TIMED_OUT, data_file, run_with_hard_timeout
from .regex_attacks import attack_inputs

CORPUS: list[dict[str, Any]] = json.loads(data_file("regex_corpus.json").read_text(encoding="utf-8"))
#: The longest input each use meets: what the door lets through (paths: long enough to expose O(n**2)).
LENGTH = {"origin": MAX_ORIGIN_LENGTH, "path": 100_000}
OPTION = {"origin": "origins", "path": "routes[0].paths"}


def _entry(case: dict[str, Any]) -> str | re.Pattern[str]:
    if case.get("flags") == "i":
        return re.compile(case["pattern"][1:], re.IGNORECASE)
    return str(case["pattern"])


def _policy(case: dict[str, Any]) -> Policy:
    entry = _entry(case)
    if case["use"] == "origin":
        return Policy(origins=[entry])
    return Policy(origins=["https://app.example.com"], routes=[{"paths": [entry]}])


def _ids(case: dict[str, Any]) -> str:
    return f"{case['use']}:{case['pattern'][:48]}{'/i' if case.get('flags') else ''}"


ACCEPTED = [case for case in CORPUS if case["verdict"] == "accept"]
REFUSED = [case for case in CORPUS if case["verdict"] == "refuse"]
SLOW = [case for case in REFUSED if case.get("slow")]


def test_the_corpus_covers_both_uses_and_both_verdicts() -> None:
    kinds = {(case["use"], case["verdict"]) for case in CORPUS}
    assert kinds == {("origin", "accept"), ("origin", "refuse"), ("path", "accept"), ("path", "refuse")}
    assert len(SLOW) >= 10


@pytest.mark.parametrize("case", ACCEPTED, ids=_ids)
def test_accepted_patterns_are_accepted(case: dict[str, Any]) -> None:
    _policy(case)


@pytest.mark.parametrize("case", REFUSED, ids=_ids)
def test_refused_patterns_are_refused_naming_the_option(case: dict[str, Any]) -> None:
    # Deep nesting would raise RecursionError from re's parser: the guard runs first.
    with pytest.raises(CORSConfigError) as info:
        _policy(case)
    assert info.value.option == OPTION[case["use"]]
    assert info.value.value == _entry(case)
    assert info.value.fix


def _attack(case: dict[str, Any], pattern: re.Pattern[str]) -> int:
    inputs = attack_inputs(pattern, LENGTH[case["use"]])
    for text in inputs:
        pattern.fullmatch(text)
    return len(inputs)


def _guarded(case: dict[str, Any]) -> int:
    policy = _policy(case)
    if case["use"] == "origin":
        (pattern,) = policy.matcher.patterns
    else:
        (route,) = policy.routes or ()
        (pattern,) = route.paths or ()  # type: ignore[assignment]
    assert isinstance(pattern, re.Pattern)
    return _attack(case, pattern)


@pytest.mark.parametrize("case", ACCEPTED, ids=_ids)
def test_every_accepted_pattern_stands_the_attacks_within_a_hard_limit(case: dict[str, Any]) -> None:
    tried = run_with_hard_timeout(_guarded, case, timeout=10.0)
    assert tried > 100


def _bypassed(case: dict[str, Any]) -> int:
    entry = _entry(case)
    return _attack(case, entry if isinstance(entry, re.Pattern) else re.compile(entry[1:]))


@pytest.mark.parametrize("case", SLOW, ids=_ids)
def test_the_attacks_stall_the_refused_patterns_without_the_guard(case: dict[str, Any]) -> None:
    assert run_with_hard_timeout(_bypassed, case, timeout=1.0, on_timeout=TIMED_OUT) == TIMED_OUT
