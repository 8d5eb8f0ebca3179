"""The CORS doctor agrees with Chromium: same verdict, same DevTools error, same console line.

For every scenario of scenarios.py on each door, and for every server broken on
purpose (broken_servers.py), headless Chromium makes the page's fetches with a
DevTools session listening; then the doctor is run (``--json``, network mode)
against the same live server for the same request. Its verdict and ``error.id``
must equal what Chromium decided and reported (``Network.loadingFailed``'s
``corsErrorStatus.corsError``, or the console line for out-of-process frames),
its console line must be Chromium's, and for an allowed fetch the headers it
lists as readable must be the ones the page could read.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, redirect_stdout
from typing import Any

import pytest

from tests.doctor.util import validated
from wsgicors.doctor.cli import main

from .apps import DOORS, DoorUnavailable, ci, door_builder
from .broken_servers import BROKEN_CASES, BrokenCase, broken_app
from .chromium import Chromium
from .devtools import BrowserFetch, Seen, drive_devtools
from .runner import fill
from .scenarios import SCENARIOS, Scenario
from .servers import start_server

pytestmark = [pytest.mark.browser, pytest.mark.server]

#: What was compared and what agreed, over the whole module (printed by the last test).
TALLY: dict[str, Any] = {"compared": 0, "agreed": 0, "console": 0, "readable": 0, "by_source": {}}
SEED_COOKIE = {"name": "sid", "value": "s3cr3t", "domain": "127.0.0.1", "path": "/", "sameSite": "Lax"}


def run_doctor(url: str, origin: str, fetch: BrowserFetch) -> tuple[int, dict[str, Any]]:
    """The doctor's JSON verdict for the fetch the page made (network mode)."""
    argv = [url, "--origin", origin, "--method", fetch.method, "--credentials", fetch.credentials, "--json"]
    argv += ["--initiator", fetch.initiator]
    for name, value in fetch.headers.items():
        argv += ["-H", f"{name}: {value}"]
    if fetch.body is not None:
        argv += ["--data", fetch.body]
    if fetch.credentials == "include":
        argv += ["--cookie", "sid=s3cr3t"]
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(argv)
    return code, json.loads(out.getvalue())


def compare(source: str, label: str, seen: Seen, origin: str, fetch: BrowserFetch) -> list[str]:
    """Run the doctor for one fetch Chromium made; every difference, and the tally updated."""
    code, document = run_doctor(fetch.url, origin, fetch)
    chromium = ("allowed" if seen.allowed else "blocked", seen.error_id)
    error = document["error"]
    doctor = (document["verdict"], error["id"] if error else None)
    tally = TALLY["by_source"].setdefault(source, [0, 0])
    TALLY["compared"] += 1
    tally[0] += 1
    problems = []
    if chromium == doctor:
        TALLY["agreed"] += 1
        tally[1] += 1
    else:
        problems.append(f"{label}: Chromium {chromium}, doctor {doctor}; Chromium's console: {seen.console}")
    if code != {"allowed": 0, "blocked": 1}.get(doctor[0], 3):
        problems.append(f"{label}: exit status {code} for verdict {doctor[0]}")
    if error is not None and seen.cors_console is not None:
        TALLY["console"] += 1
        if error["console"] != seen.cors_console:
            problems.append(f"{label}: console line\n  doctor:   {error['console']}\n  Chromium: {seen.cors_console}")
    if seen.allowed and doctor[0] == "allowed":
        TALLY["readable"] += 1
        if sorted(document["readable_headers"]) != sorted(seen.result["names"]):
            problems.append(f"{label}: readable {sorted(document['readable_headers'])}, page {seen.result['names']}")
    return problems


def _fetches(scenario: Scenario, tokens: Mapping[str, str]) -> list[BrowserFetch]:
    return [
        BrowserFetch(
            url=fill(f.url, tokens) if f.url else tokens["api"] + f.path,
            method=f.method,
            headers=dict(f.headers),
            body=f.body,
            credentials=f.credentials,
            read=list(f.readable),
        )
        for f in scenario.fetches
    ]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
@pytest.mark.parametrize("door", list(DOORS))
def test_doctor_agrees_on_door(door: str, scenario: Scenario, browser: Chromium, origins: dict[str, str]) -> None:
    problems: list[str] = []
    with ExitStack() as stack:
        try:
            app = stack.enter_context(door_builder(door)(fill(dict(scenario.policy), origins), []))
        except DoorUnavailable as exc:
            if ci():
                raise
            pytest.skip(f"{door} door not available: {exc}")
        server = start_server("127.0.0.1", validated(door, app))
        stack.callback(server.stop)
        tokens = {**origins, "api": f"http://127.0.0.1:{server.port}", "api-alias": f"http://localhost:{server.port}"}
        fetches = _fetches(scenario, tokens)
        sandbox = scenario.frame == "sandbox"
        cookies = [SEED_COOKIE] if scenario.seed_cookie else []
        seen = browser.run(drive_devtools, tokens[scenario.page] + "/", fetches, sandbox, cookies)
        origin = "null" if sandbox else tokens[scenario.page]
        for i, (fetch, one) in enumerate(zip(fetches, seen, strict=True)):
            label = f"{door}/{scenario.name} fetch #{i}"
            if one.allowed != scenario.fetches[i].ok:  # the harness serves what test_doors.py checks
                problems.append(f"{label}: Chromium {one.result}, the scenario expects ok={scenario.fetches[i].ok}")
            problems += compare(door, label, one, origin, fetch)
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def broken_run(browser: Chromium, origins: dict[str, str]) -> Iterator[tuple[dict[str, str], list[Seen]]]:
    """Every broken case fetched by Chromium from one page, against one server kept running."""
    tokens: dict[str, str] = dict(origins)
    server = start_server("127.0.0.1", broken_app(tokens))
    try:
        tokens.update(
            api=f"http://127.0.0.1:{server.port}",
            **{"api-alias": f"http://localhost:{server.port}", "api-host": f"127.0.0.1:{server.port}"},
        )
        seen = browser.run(drive_devtools, tokens["page"] + "/", [_broken_fetch(c, tokens) for c in BROKEN_CASES])
        yield tokens, seen
    finally:
        server.stop()


def _broken_fetch(case: BrokenCase, tokens: Mapping[str, str]) -> BrowserFetch:
    return BrowserFetch(tokens["api"] + f"/b/{case.name}", case.method, dict(case.headers), case.body, case.credentials)


@pytest.mark.parametrize("index", range(len(BROKEN_CASES)), ids=[c.name for c in BROKEN_CASES])
def test_doctor_agrees_on_broken_server(index: int, broken_run: tuple[dict[str, str], Sequence[Seen]]) -> None:
    tokens, seen = broken_run
    case = BROKEN_CASES[index]
    one = seen[index]
    assert (one.allowed, one.error_id) == (case.expect is None, case.expect), (
        f"Chromium itself: {one.result} {one.error_id}; console {one.console}"
    )
    problems = compare("broken", f"broken/{case.name}", one, tokens["page"], _broken_fetch(case, tokens))
    assert not problems, "\n".join(problems)


def test_agreement_count(capsys: pytest.CaptureFixture[str]) -> None:
    """The tally: how many fetches were compared, how many agreed (all must)."""
    if not TALLY["compared"]:
        pytest.skip("no comparison ran in this session")
    with capsys.disabled():
        print(
            f"\ndoctor vs Chromium: {TALLY['agreed']}/{TALLY['compared']} fetches agreed "
            f"(by source: {TALLY['by_source']}); console lines compared: {TALLY['console']}; "
            f"readable-header sets compared: {TALLY['readable']}"
        )
    assert TALLY["agreed"] == TALLY["compared"]
