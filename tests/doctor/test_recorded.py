"""Answers recorded from real servers (tests/data/doctor/*.json), replayed: each explanation names the layer
that answered and that layer's fix, never this library's unless the server is this library."""

from __future__ import annotations

import json
from typing import Any

import pytest

from wsgicors.doctor.layers import recognise

from .recorded import DATA, Replay, load, run
from .recorded_cases import CASES

RECORDED = [(case.name, index) for case in CASES for index in range(len(case.asks))]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_every_case_is_recorded_with_its_config() -> None:
    names = {path.stem for path in DATA.glob("*.json")}
    assert names == {case.name for case in CASES}
    for case in CASES:
        document = load(case.name)
        assert document["config"] == case.config  # re-record when a config changes
        assert [ask["path"] for ask in document["asks"]] == [ask.path for ask in case.asks]
    assert len({case.server for case in CASES}) >= 5 and len(CASES) >= 15


@pytest.mark.parametrize(("name", "index"), RECORDED, ids=[f"{n}-{i}" for n, i in RECORDED])
def test_recorded_answer_gets_its_explanation(name: str, index: int) -> None:
    document = load(name)
    ask: dict[str, Any] = document["asks"][index]
    expected = next(case for case in CASES if case.name == name).asks[index].to_json()
    assert {k: v for k, v in ask.items() if k != "exchanges"} == expected  # the recording is of this ask
    outcome, human, doc = run(ask, document["base"], Replay(ask["exchanges"]))
    assert outcome.verdict == ask["verdict"], human
    assert (outcome.blocked.id if outcome.blocked else None) == ask["error"], human
    if ask["layer"] is not None:
        assert outcome.blocked is not None and outcome.blocked.step is not None
        response = outcome.blocked.step.response
        assert response is not None
        layer = recognise(response, outcome.blocked.step.method)
        assert layer is not None and layer.name == ask["layer"], human
    text = flat(human)
    for phrase in ask["says"]:
        assert phrase in text, f"{phrase!r} missing from:\n{human}"
    for phrase in ask["never"]:
        assert phrase not in text, f"{phrase!r} in:\n{human}"
    warnings = {f["id"] for f in doc["findings"] if f["severity"] == "warning"}
    assert set(ask["warnings"]) <= warnings, doc["findings"]
    assert not set(ask["no_warnings"]) & warnings, doc["findings"]
    # The JSON document says the same as the report.
    if doc["error"] is not None:
        assert flat(doc["error"]["fix"]) in text.replace(" With ", " With ") or all(
            part.strip() in text for part in flat(doc["error"]["fix"]).split(" With ")
        )
    json.dumps(doc)


def test_replay_refuses_a_request_that_was_not_recorded() -> None:
    document = load("nginx-fixed-origin")
    ask = dict(document["asks"][0], method="DELETE")
    with pytest.raises(AssertionError, match="not recorded"):
        run(ask, document["base"], Replay(ask["exchanges"]))
