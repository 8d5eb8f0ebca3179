"""Every browser scenario through ``asgi_ext.compat`` under uvicorn, its policy written as Starlette's arguments.

Chromium judges: the compat door must meet each scenario's expectations and
agree with the native ASGI door (itself compared with the WSGI door in
test_asgi.py) on what the page saw, what the app saw and the CORS side of
every exchange, Starlette's representation aside (compat_asgi.representation).
Scenarios whose options Starlette cannot express are skipped with the reason.
Then the raising app: the compat door gives it the native door's 500.
"""

from __future__ import annotations

import pytest

from .apps import DoorUnavailable, ci
from .asgi_apps import asgi_views, build_asgi, raising_scenario, serving
from .chromium import Chromium
from .compat_asgi import NoCounterpart, build_asgi_compat, expected_under_compat, representation, starlette_options
from .runner import check, fill, observe, summary
from .scenarios import SCENARIOS, Scenario

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_compat_asgi_scenario(scenario: Scenario, browser: Chromium, origins: dict[str, str]) -> None:
    policy = fill(dict(scenario.policy), origins)
    try:
        options = starlette_options(policy, scenario)
    except NoCounterpart as exc:
        pytest.skip(f"no Starlette counterpart: {exc}")
    seen: list[tuple[str, str]] = []
    try:
        with build_asgi_compat(options, seen) as app:
            observation = observe(browser, "asgi-compat", app, scenario, origins, seen, serving)
    except DoorUnavailable as exc:
        if ci():
            raise
        pytest.skip(str(exc))
    statuses = [(x.method, x.status) for x in observation.exchanges]
    problems = check(observation, expected_under_compat(scenario, statuses))
    assert not problems, f"Starlette arguments {options!r}:\n" + "\n".join(problems) + "\n\n" + observation.describe()
    native_seen: list[tuple[str, str]] = []
    with build_asgi(policy, native_seen) as native_app:
        native = observe(browser, "asgi", native_app, scenario, origins, native_seen, serving)
    compat, reference = (representation(summary(o, scenario), policy) for o in (observation, native))
    for part in ("page", "exchanges", "app_saw"):
        assert compat[part] == reference[part], (
            f"asgi_ext.compat differs from the native ASGI door in {part!r} (arguments {options!r}):\n"
            f"  native: {reference[part]}\n  compat: {compat[part]}"
        )


@pytest.mark.parametrize("allowed", [True, False], ids=["allowed", "denied"])
def test_compat_asgi_bare_app_exception(allowed: bool, browser: Chromium, origins: dict[str, str]) -> None:
    """A bare ASGI app raises: the allowed page reads the compat door's 500, the denied one sees a CORS error."""
    try:
        from asgi_ext.compat import CORSMiddleware
    except ImportError as exc:
        if ci():
            raise
        pytest.skip(f"asgi_ext.compat cannot be imported: {exc}")
    scenario = raising_scenario("page" if allowed else "stranger", allowed)
    seen: list[tuple[str, str]] = []
    app = CORSMiddleware(asgi_views(seen), allow_origins=[origins["page"]], allow_credentials=True)
    observation = observe(browser, "asgi-compat", app, scenario, origins, seen, serving)
    problems = check(observation, scenario)
    assert not problems, "\n".join(problems) + "\n\n" + observation.describe()
