"""The hostile-origins corpus (tests/data/hostile_origins.json), every case.

Each case is sent twice through ``CORSMiddleware`` under ``wsgiref.validate`` on
both sides: as an actual GET and as a preflight. The corpus README's semantics:

* ``must_allow`` true: ``Access-Control-Allow-Origin`` is there, equal to
  ``expected_acao``; false: no ``Access-Control-*`` header at all.
* ``config_note``: refusing the policy with ``CORSConfigError`` also passes,
  except where DESIGN.md says the policy must be accepted (exact origins,
  wildcards, ``null``, upper-case or default-port entries); backtracking
  regexes (category ``redos``) must be refused.
* ``strict_only`` cases still expect denial.
* ``max_ms`` cases run in a child process under a hard cap (10 x max_ms, at
  least 1 s) that catches hangs; nothing here measures time.

Origins go into the environ the way a WSGI server puts them there (UTF-8 bytes
decoded as latin-1, PEP 3333); non-ASCII ones are also sent as raw ``str``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from wsgicors import DEFAULT_METHODS, CORSConfigError
from wsgicors.sites import anchors_a_site

from .conftest import Refused, data_file, refusal, run_with_hard_timeout, wire
from .wsgi import Recorder, Response, call, environ_for, wrap

CASES: list[dict[str, Any]] = json.loads(data_file("hostile_origins.json").read_text("utf-8"))
PREFLIGHT_METHOD = "PUT"
PREFLIGHT_HEADERS = "x-requested-with"
APP_BODY = b"hello from the app"

Outcome = tuple[Response, int] | Refused


def _params() -> list[Any]:
    params = []
    for case in CASES:
        origin = case["request_origin"]
        encodings = ["wire"]
        if isinstance(origin, str) and not origin.isascii():
            encodings.append("raw")
        for kind in ("actual", "preflight"):
            for encoding in encodings:
                params.append(pytest.param(case, kind, encoding, id=f"{case['id']}-{kind}-{encoding}"))
    return params


def exchange(case: dict[str, Any], kind: str, encoding: str) -> Outcome:
    """Build the case's policy and send its request; (response, app calls) or Refused."""
    options: dict[str, Any] = {"origins": case["configured_origins"]}
    if case.get("credentials"):
        options["credentials"] = True
    app = Recorder(body=[APP_BODY])
    try:
        wrapped = wrap(app, **options)
    except CORSConfigError as exc:
        return refusal(exc)
    headers: dict[str, str] = {}
    origin = case["request_origin"]
    if origin is not None:
        headers["origin"] = wire(origin) if encoding == "wire" else origin
    if kind == "preflight":
        headers["access_control_request_method"] = PREFLIGHT_METHOD
        headers["access_control_request_headers"] = PREFLIGHT_HEADERS
    response = call(wrapped, environ_for("OPTIONS" if kind == "preflight" else "GET", "/", **headers))
    return response, len(app.seen)


def must_be_accepted(case: dict[str, Any]) -> bool:
    """DESIGN.md: exact origins (normalised), wildcards under a name one owner holds and ``null``
    are valid entries; a regex may be refused, and so are '*' or 'null' with credentials and a
    wildcard over a name anyone can register under (issue 17)."""
    entries = case["configured_origins"]
    regex = any(isinstance(entry, str) and entry.startswith("~") for entry in entries)
    credentialed = bool(case.get("credentials")) and ("*" in entries or "null" in entries)
    open_wildcard = any(
        isinstance(entry, str) and "://*." in entry and not anchors_a_site(entry.split("://*.")[1].split(":")[0])
        for entry in entries
    )
    return not regex and not credentialed and not open_wildcard


def vary_tokens(response: Response) -> list[str]:
    items = (item.strip().lower() for value in response.all("Vary") for item in value.split(","))
    return [item for item in items if item]


def test_corpus_is_complete() -> None:
    assert len(CASES) == 82
    ids = [case["id"] for case in CASES]
    assert len(set(ids)) == len(ids)
    for case in CASES:
        assert isinstance(case["must_allow"], bool), case["id"]
        assert not case["must_allow"] or "expected_acao" in case, case["id"]


@pytest.mark.parametrize(("case", "kind", "encoding"), _params())
def test_hostile_case(case: dict[str, Any], kind: str, encoding: str) -> None:
    if "max_ms" in case:
        cap = max(1.0, 10 * case["max_ms"] / 1000)
        outcome: Outcome = run_with_hard_timeout(exchange, case, kind, encoding, timeout=cap)
    else:
        outcome = exchange(case, kind, encoding)

    if isinstance(outcome, Refused):
        assert "config_note" in case, f"policy refused but the case allows no refusal: {outcome.message}"
        assert not must_be_accepted(case), f"DESIGN.md requires this policy to be accepted: {outcome.message}"
        assert outcome.option == "origins"
        assert outcome.fix, "a refusal must say how to fix the option"
        return
    assert case.get("category") != "redos", "a backtracking regex must be refused at start-up (DESIGN.md)"

    response, app_calls = outcome
    origin = case["request_origin"]
    is_preflight = kind == "preflight" and bool(origin)  # an empty or absent Origin is no preflight
    for name, value in response.headers:
        value.encode("latin-1")  # PEP 3333: header values are latin-1 str
        assert not any(char in value for char in "\r\n\0"), (name, value)

    if case["configured_origins"] != ["*"]:
        assert "origin" in vary_tokens(response)

    if is_preflight:
        assert app_calls == 0, "a preflight is answered without the app"
        assert response.status == "200 OK"
        assert response.body == b""
        assert response.get("Content-Type") == "text/plain"
        assert response.get("Content-Length") == "0"
    else:
        assert app_calls == 1
        assert response.status == "200 OK"
        assert response.body == APP_BODY

    cors = response.cors()
    if not case["must_allow"]:
        assert cors == {}, f"{case['id']}: {case['why']}"
        return

    assert response.get("Access-Control-Allow-Origin") == case["expected_acao"]
    expected = {"Access-Control-Allow-Origin": case["expected_acao"]}
    if case.get("credentials"):
        expected["Access-Control-Allow-Credentials"] = "true"
    if is_preflight:
        expected["Access-Control-Allow-Methods"] = ", ".join(DEFAULT_METHODS)
        expected["Access-Control-Allow-Headers"] = PREFLIGHT_HEADERS
    assert cors == expected
