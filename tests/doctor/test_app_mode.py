"""``--app`` (in-process, no socket) gives the same verdicts as the network on the same app.

Every server broken on purpose (tests/browser/broken_servers.py) and every
browser scenario's policy behind each door (tests/browser/apps.py), served on
127.0.0.1 and called in-process, both under ``wsgiref.validate``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.apps import DOORS, DoorUnavailable, door_builder
from tests.browser.broken_servers import BROKEN_CASES, broken_app
from tests.browser.runner import fill
from tests.browser.scenarios import ORIGIN_KEYS, SCENARIOS, Scenario
from tests.browser.servers import start_server
from wsgicors.doctor import PageRequest, diagnose, parse_origin, parse_url
from wsgicors.doctor.outcome import Outcome
from wsgicors.doctor.transport import NetworkTransport
from wsgicors.doctor.wsgi import WsgiTransport

from .util import validated

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

pytestmark = pytest.mark.server

PAGE_PORT = "8123"  # no page server is needed: the doctor only sends the origin
SERVER_HEADERS = frozenset({"date", "server"})  # added by wsgiref, not by the app


def summary(outcome: Outcome) -> dict[str, Any]:
    """What must not depend on the transport."""
    blocked = outcome.blocked
    return {
        "verdict": outcome.verdict,
        "error": (blocked.id, blocked.console()) if blocked else None,
        "steps": [(s.kind, s.method, s.url, s.status, s.result) for s in outcome.steps],
        "readable": {k: v for k, v in outcome.readable.items() if k not in SERVER_HEADERS},
        "findings": sorted(f.id for f in outcome.findings if f.id != "app-raised"),
    }


@contextmanager
def served(app: WSGIApplication) -> Iterator[str]:
    server = start_server("127.0.0.1", app)
    try:
        yield f"127.0.0.1:{server.port}"
    finally:
        server.stop()


def both(app: WSGIApplication, request: PageRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    network = diagnose(request, NetworkTransport(timeout=10))
    in_process = diagnose(request, WsgiTransport(app, timeout=10))
    return summary(network), summary(in_process)


def tokens_for(host: str) -> dict[str, str]:
    tokens = {key: f"http://{value}:{PAGE_PORT}" for key, value in ORIGIN_KEYS.items()}
    port = host.rpartition(":")[2]
    return {**tokens, "P": PAGE_PORT, "api": f"http://{host}", "api-alias": f"http://localhost:{port}",
            "api-host": host}  # fmt: skip


@pytest.mark.parametrize("case", BROKEN_CASES, ids=[c.name for c in BROKEN_CASES])
def test_broken_server_same_verdict_in_process(case: Any) -> None:
    tokens: dict[str, str] = {}
    app = broken_app(tokens)
    with served(app) as host:
        tokens.update(tokens_for(host))
        request = PageRequest(
            parse_url(f"http://{host}/b/{case.name}"),
            parse_origin(tokens["page"]),
            case.method,
            list(case.headers.items()),
            case.body.encode() if case.body is not None else None,
            case.credentials,
        )
        network, in_process = both(app, request)
    assert in_process == network


def _requests(scenario: Scenario, tokens: Mapping[str, str]) -> list[PageRequest]:
    origin = "null" if scenario.frame == "sandbox" else tokens[scenario.page]
    return [
        PageRequest(
            parse_url(fill(f.url, tokens) if f.url else tokens["api"] + f.path),
            parse_origin(origin),
            f.method,
            list(f.headers.items()),
            f.body.encode() if f.body is not None else None,
            f.credentials,
            "sid=s3cr3t" if f.credentials == "include" else None,
        )
        for f in scenario.fetches
    ]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
@pytest.mark.parametrize("door", list(DOORS))
def test_door_same_verdict_in_process(door: str, scenario: Scenario) -> None:
    base = {key: f"http://{value}:{PAGE_PORT}" for key, value in ORIGIN_KEYS.items()} | {"P": PAGE_PORT}
    try:
        context = door_builder(door)(fill(dict(scenario.policy), base), [])
        with context as door_app:
            app = validated(door, door_app)
            with served(app) as host:
                tokens = tokens_for(host)
                for fetch, request in zip(scenario.fetches, _requests(scenario, tokens), strict=True):
                    network, in_process = both(app, request)
                    assert in_process == network, request
                    # What Chromium decides in tests/browser (where the doctor is checked against it).
                    assert network["verdict"] == ("allowed" if fetch.ok else "blocked"), network
    except DoorUnavailable as exc:
        pytest.skip(f"{door} door not available: {exc}")
