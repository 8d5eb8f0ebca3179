"""Every fix a keyword door's message suggests is accepted when pasted back (issue 16, item 3).

Each configuration of the catalogue (tests/core/suggestions.py) is refused;
every value its message suggests, pasted in as the message writes it, builds a
policy. A message that suggests no value at all fails the test too.
"""

from __future__ import annotations

import warnings
from typing import Any
from wsgiref.simple_server import demo_app

import pytest

from wsgicors import CORSConfigError, CORSConfigWarning, CORSMiddleware, Policy

from .suggestions import CATALOGUE, pasted_back, suggestions


def _refusal(options: dict[str, Any]) -> CORSConfigError:
    with pytest.raises(CORSConfigError) as info:
        Policy(**options)
    return info.value


@pytest.mark.parametrize(("case", "options"), CATALOGUE, ids=[case for case, _ in CATALOGUE])
def test_every_suggested_keyword_value_is_accepted(case: str, options: dict[str, Any]) -> None:
    exc = _refusal(options)
    attempts = pasted_back(options, exc.fix, exc.option, exc.value, "keyword")
    assert attempts, f"no value suggested: {exc}"
    for text, fixed in attempts:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CORSConfigWarning)
            try:
                Policy(**fixed)
                CORSMiddleware(demo_app, **fixed)
            except CORSConfigError as again:
                pytest.fail(f"{case}: pasting {text!r} from {exc} gives {again}")


def test_the_reader_finds_each_kind_of_suggestion() -> None:
    """The reader itself: an example per door, an entry, a rename, a removal (so the test above can fail)."""
    assert [(s.kind, s.name, s.value) for s in suggestions("max_age=3600", "keyword", "max_age")] == [
        ("set", "max_age", 3600)
    ]
    found = suggestions('app.config["CORS_ROUTES"][1]["paths"] = [\'/api\']', "config", "CORS_ROUTES[1].paths")
    assert [(s.kind, s.name, s.value, s.route) for s in found] == [("set", "paths", ["/api"], 1)]
    found = suggestions("write 'https://a.example' (or http://)", "setting", "origins")
    assert [(s.kind, s.value) for s in found] == [("entry", "https://a.example")]
    assert [s.kind for s in suggestions('did you mean CORS["origins"]?', "setting", 'CORS["origin"]')] == ["rename"]
    assert suggestions("fix the pattern", "keyword", "origins") == []
