"""Every browser scenario through ``flask_ext.compat``, its policy written as flask-cors options.

Chromium judges: the compat door must meet each scenario's expectations (those
every native door meets) and agree with the native Flask door on what the page
saw, the CORS side of every exchange and what the app saw. Lists inside
Access-Control-Allow-Methods / -Headers / -Expose-Headers are compared as sets:
flask-cors sorts the names it is given (D9, representation only). Scenarios
whose options flask-cors cannot express are skipped with the reason.
"""

from __future__ import annotations

from typing import Any

import pytest

from .apps import DoorUnavailable, ci
from .chromium import Chromium
from .compat_flask import NoCounterpart, build_flask_compat, flask_cors_options
from .runner import check, fill, observe, run_scenario, summary
from .scenarios import SCENARIOS, Scenario

pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.filterwarnings("ignore::wsgicors.CORSConfigWarning"),
]

_LISTS = ("access-control-allow-methods", "access-control-allow-headers", "access-control-expose-headers")


def _as_sets(observed: dict[str, Any]) -> dict[str, Any]:
    """The summary with list-valued CORS headers as sorted name sets."""
    exchanges = []
    for method, path, origin, status, headers in observed["exchanges"]:
        headers = tuple(
            (name, ", ".join(sorted(v.strip() for v in value.split(","))) if name in _LISTS else value)
            for name, value in headers
        )
        exchanges.append((method, path, origin, status, headers))
    return {**observed, "exchanges": exchanges}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_compat_flask_scenario(scenario: Scenario, browser: Chromium, origins: dict[str, str]) -> None:
    try:
        options = flask_cors_options(fill(dict(scenario.policy), origins))
    except NoCounterpart as exc:
        pytest.skip(f"no flask-cors counterpart: {exc}")
    seen: list[tuple[str, str]] = []
    try:
        with build_flask_compat(options, seen) as app:
            observation = observe(browser, "flask-compat", app, scenario, origins, seen)
        native = run_scenario(browser, "flask", scenario, origins)
    except DoorUnavailable as exc:
        if ci():
            raise
        pytest.skip(str(exc))
    problems = check(observation, scenario)
    assert not problems, f"flask-cors options {options!r}:\n" + "\n".join(problems) + "\n\n" + observation.describe()
    compat, reference = _as_sets(summary(observation, scenario)), _as_sets(summary(native, scenario))
    for part in ("page", "exchanges", "app_saw"):
        assert compat[part] == reference[part], (
            f"flask_ext.compat differs from the native Flask door in {part!r} (options {options!r}):\n"
            f"  native: {reference[part]}\n  compat: {compat[part]}"
        )
