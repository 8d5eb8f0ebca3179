"""Every browser scenario through django_ext.compat, its policy written as django-cors-headers settings.

Chromium is the judge, as in test_doors.py: the page must see what the
scenario expects, and the page outcomes and the CORS side of every exchange
must be those of the native Django door, but for one documented difference
(a '*' policy varies on Origin, as django-cors-headers does). Scenarios whose
policy django-cors-headers cannot express are skipped with the reason.
"""

from __future__ import annotations

from typing import Any

import pytest

from .chromium import Chromium
from .compat_django import Unwritable, build_compat_django, written
from .runner import check, fill, observe, run_scenario, summary
from .scenarios import SCENARIOS, Scenario

pytestmark = [pytest.mark.browser, pytest.mark.server]

#: Scenarios whose policy has no django-cors-headers form (checked below, so none is skipped unnoticed).
UNWRITABLE = {
    "preflight-status-204",
    "max-age-zero-disables-cache",
    "preflight-continue-app-answers",
    "preflight-continue-app-refuses",
    "routes-two-paths-two-policies",
    "routes-other-origin-sees-the-other-policy",
    "routes-preflight-methods-per-path",
}


def _with_vary_origin(exchanges: list[Any]) -> list[Any]:
    """The native exchanges as the peer answers them: 'origin' in every response's Vary."""
    adjusted = []
    for method, path, origin, status, headers in exchanges:
        others = [(name, value) for name, value in headers if name != "vary"]
        vary = {token for name, value in headers if name == "vary" for token in value.split(", ")} | {"origin"}
        adjusted.append((method, path, origin, status, tuple(sorted([*others, ("vary", ", ".join(sorted(vary)))]))))
    return adjusted


def test_unwritable_scenarios_are_the_known_ones() -> None:
    tokens = {"P": "1", "page": "http://127.0.0.1:1", "stranger": "http://127.0.0.2:1"}
    found = {s.name for s in SCENARIOS if isinstance(written(fill(dict(s.policy), tokens)), Unwritable)}
    assert found == UNWRITABLE


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_compat_agrees_with_native(scenario: Scenario, browser: Chromium, origins: dict[str, str]) -> None:
    result = written(fill(dict(scenario.policy), origins))
    if isinstance(result, Unwritable):
        pytest.skip(f"not expressible as django-cors-headers settings: {result.reason}")
    seen: list[tuple[str, str]] = []
    with build_compat_django(result.settings, seen) as app:
        compat = observe(browser, "django-compat", app, scenario, origins, seen)
    problems = check(compat, scenario)
    assert not problems, "\n".join(problems) + "\n\n" + compat.describe()

    native = summary(run_scenario(browser, "django", scenario, origins), scenario)
    if result.adds_vary_origin:
        native["exchanges"] = _with_vary_origin(native["exchanges"])
    observed = summary(compat, scenario)
    for part in ("page", "exchanges", "app_saw"):
        assert observed[part] == native[part], (
            f"django_ext.compat differs from the native Django door in {part!r} "
            f"(settings {dict(result.settings)}):\n  native: {native[part]}\n  compat: {observed[part]}"
        )
