"""Every browser scenario through ``flask_ext.compat``, its policy written as flask-cors options.

Chromium judges: the compat door must meet each scenario's expectations (those
every native door meets) and agree with the native Flask door on what the page
saw, the CORS side of every exchange and what the app saw. Lists inside
Access-Control-Allow-Methods / -Headers / -Expose-Headers are compared as sets:
flask-cors sorts the names it is given (D9, representation only). A listed
``allow_headers`` is answered as flask-cors answers it, with the requested
names it lists, as sent (nothing when none is): the scenario's expected
Access-Control-Allow-Headers becomes that echo, every preflight's is checked
against it, and the two doors are compared without it (browsers decide the
same). Scenarios whose options flask-cors cannot express are skipped with the reason.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from .apps import DoorUnavailable, ci
from .chromium import Chromium
from .compat_flask import NoCounterpart, build_flask_compat, flask_cors_options
from .runner import Observation, check, fill, observe, run_scenario, summary
from .scenarios import ACAH, ACRH, SCENARIOS, Scenario

pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.filterwarnings("ignore::wsgicors.CORSConfigWarning"),
]

_LISTS = ("access-control-allow-methods", "access-control-allow-headers", "access-control-expose-headers")


def _echo(requested: str | None, listed: set[str]) -> str | None:
    """flask-cors's answer to Access-Control-Request-Headers: the names it lists, as sent."""
    names = [name.strip() for name in (requested or "").split(",") if name.strip().lower() in listed]
    return ", ".join(names) or None


def _listed(scenario: Scenario) -> set[str] | None:
    headers = scenario.policy.get("headers")
    return {name.lower() for name in headers} if isinstance(headers, list) else None


def _as_flask_cors(scenario: Scenario) -> Scenario:
    """The scenario with each expected Access-Control-Allow-Headers as flask-cors answers a listed allow_headers."""
    listed = _listed(scenario)
    if listed is None:
        return scenario
    received = []
    for item in scenario.received:
        if ACAH in item.response and item.response[ACAH] is not None:
            response = {**item.response, ACAH: _echo(item.request.get(ACRH), listed)}
            item = dataclasses.replace(item, response=response)
        received.append(item)
    return dataclasses.replace(scenario, received=tuple(received))


def _echo_problems(observation: Observation, listed: set[str]) -> list[str]:
    """Every allowed preflight's Access-Control-Allow-Headers must be flask-cors's echo."""
    problems = []
    for i, x in enumerate(observation.exchanges):
        if x.method == "OPTIONS" and x.response_header("access-control-allow-origin") is not None:
            want, got = _echo(x.request_headers.get(ACRH), listed), x.response_header(ACAH)
            if got != want:
                problems.append(f"response #{i} to OPTIONS: {ACAH!r} was {got!r}, flask-cors echoes {want!r}")
    return problems


def _without_allow_headers(observed: dict[str, Any]) -> dict[str, Any]:
    exchanges = []
    for method, path, origin, status, headers in observed["exchanges"]:
        kept = []
        for name, value in headers:
            if name == "vary":
                value = ", ".join(t for t in value.split(", ") if t != ACRH)
            if name != ACAH and value:
                kept.append((name, value))
        exchanges.append((method, path, origin, status, tuple(kept)))
    return {**observed, "exchanges": exchanges}


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
    listed = _listed(scenario)
    problems = check(observation, _as_flask_cors(scenario))
    problems += _echo_problems(observation, listed) if listed is not None else []
    assert not problems, f"flask-cors options {options!r}:\n" + "\n".join(problems) + "\n\n" + observation.describe()
    compat, reference = _as_sets(summary(observation, scenario)), _as_sets(summary(native, scenario))
    if listed is not None:
        compat, reference = _without_allow_headers(compat), _without_allow_headers(reference)
    for part in ("page", "exchanges", "app_saw"):
        assert compat[part] == reference[part], (
            f"flask_ext.compat differs from the native Flask door in {part!r} (options {options!r}):\n"
            f"  native: {reference[part]}\n  compat: {compat[part]}"
        )
