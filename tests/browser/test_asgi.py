"""Every scenario of scenarios.py in headless Chromium against the ASGI door served by uvicorn.

The ASGI door (``asgi_ext.CORSMiddleware`` around a raw ASGI app that answers
what the WSGI app answers) runs under a real uvicorn on 127.0.0.1 (an ephemeral
port, started and stopped by the test). Each scenario must meet its expectations
and agree with the WSGI door on what the page saw, the CORS side of every
exchange and what the app saw. Then the raising app: a bare ASGI app that
raises on an allowed request gets the door's 500 with the CORS headers, so the
page reads a 500 where the bare WSGI door leaves it a CORS error.
"""

from __future__ import annotations

import pytest

from .apps import DoorUnavailable, ci
from .asgi_apps import bare_raising_asgi, build_asgi, raising_scenario, serving
from .chromium import Chromium
from .runner import check, fill, observe, run_scenario, summary
from .scenarios import SCENARIOS, Scenario

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_asgi_door_scenario(scenario: Scenario, browser: Chromium, origins: dict[str, str]) -> None:
    seen: list[tuple[str, str]] = []
    with build_asgi(fill(dict(scenario.policy), origins), seen) as app:
        observation = observe(browser, "asgi", app, scenario, origins, seen, serving)
    problems = check(observation, scenario)
    assert not problems, "\n".join(problems) + "\n\n" + observation.describe()
    try:
        reference = run_scenario(browser, "wsgi", scenario, origins)
    except DoorUnavailable as exc:  # pragma: no cover - the WSGI door is the core's
        if ci():
            raise
        pytest.skip(str(exc))
    asgi, wsgi = summary(observation, scenario), summary(reference, scenario)
    for part in ("page", "exchanges", "app_saw"):
        assert asgi[part] == wsgi[part], (
            f"the ASGI door (uvicorn) differs from the WSGI door in {part!r}:\n"
            f"  wsgi: {wsgi[part]}\n  asgi: {asgi[part]}"
        )


@pytest.mark.parametrize("allowed", [True, False], ids=["allowed", "denied"])
def test_asgi_bare_app_exception(allowed: bool, browser: Chromium, origins: dict[str, str]) -> None:
    """A bare ASGI app raises before answering. Allowed origin: Chromium lets the page read the
    door's 500 (status, body), not a CORS error; the server logs the error and serves the next
    request. Denied origin: the 500 carries no CORS header, the page sees a CORS error."""
    scenario = raising_scenario("page" if allowed else "stranger", allowed)
    seen: list[tuple[str, str]] = []
    policy = fill(dict(scenario.policy), origins)
    observation = observe(browser, "asgi", bare_raising_asgi(policy, seen), scenario, origins, seen, serving)
    problems = check(observation, scenario)
    assert not problems, "\n".join(problems) + "\n\n" + observation.describe()
