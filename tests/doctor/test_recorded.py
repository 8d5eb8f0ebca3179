"""Answers recorded from real servers (tests/data/doctor/*.json), replayed: each explanation names the layer
that answered and that layer's fix, never this library's unless the server is this library."""

from __future__ import annotations

from typing import Any

import pytest

from .recorded import DATA, Replay, check, load, run
from .recorded_cases import CASES

RECORDED = [(case.name, index) for case in CASES for index in range(len(case.asks))]


def test_every_case_is_recorded_with_its_config() -> None:
    names = {path.stem for path in DATA.glob("*.json")}
    assert names == {case.name for case in CASES}
    for case in CASES:
        document = load(case.name)
        assert document["config"] == case.config  # re-record when a config changes
        assert document["server"] == case.server
    assert len({case.server for case in CASES}) >= 5 and len(CASES) >= 15


@pytest.mark.parametrize(("name", "index"), RECORDED, ids=[f"{n}-{i}" for n, i in RECORDED])
def test_recorded_answer_gets_its_explanation(name: str, index: int) -> None:
    document = load(name)
    ask: dict[str, Any] = document["asks"][index]
    expected = next(case for case in CASES if case.name == name).asks[index].to_json()
    # The recording holds this ask and its expectations (scripts/record_doctor_answers.py --expectations).
    assert {k: v for k, v in ask.items() if k != "exchanges"} == expected
    outcome, human, doc = run(ask, document["base"], Replay(ask["exchanges"]))
    check(ask, outcome, human, doc)


def test_replay_refuses_a_request_that_was_not_recorded() -> None:
    document = load("nginx-fixed-origin")
    ask = dict(document["asks"][0], method="DELETE")
    with pytest.raises(AssertionError, match="not recorded"):
        run(ask, document["base"], Replay(ask["exchanges"]))
