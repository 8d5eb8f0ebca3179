"""Recording real servers' answers to the doctor, and replaying them through a fake transport.

A recording (``tests/data/doctor/<case>.json``) holds the case's config, and for each
``Ask`` the raw exchanges: every request the doctor sent (method, URL, headers) and the
status, reason, header lines and body that came back. ``Replay`` answers the doctor from
them; a request that was never recorded fails the test (the doctor's requests changed:
re-record with ``scripts/record_doctor_answers.py``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wsgicors.doctor import Outcome, PageRequest, diagnose
from wsgicors.doctor.audit import audit
from wsgicors.doctor.checks import Response
from wsgicors.doctor.layers import recognise
from wsgicors.doctor.report_human import render
from wsgicors.doctor.report_json import to_document
from wsgicors.doctor.request import Url, normalise_method, parse_origin, parse_url, split_author_headers
from wsgicors.doctor.transport import Transport

from .recorded_cases import Ask, Case

__all__ = [
    "DATA", "MAX_BODY_SHOWN", "REQUEST_FIELDS", "Recorder", "Replay", "check", "load", "page_request", "run", "save",
]  # fmt: skip

DATA = Path(__file__).resolve().parents[1] / "data" / "doctor"
MAX_BODY_SHOWN = 4000  # characters of a body kept in a recording (the doctor reads the start only)
#: The fields of an Ask that shape the requests sent (the others are expectations).
REQUEST_FIELDS = ("path", "origin", "method", "headers", "credentials", "data", "audit")
_KEY_HEADERS = ("origin", "access-control-request-method", "access-control-request-headers")


def page_request(ask: Ask | dict[str, Any], base: str) -> PageRequest:
    """The page's request an ``Ask`` describes, against a server at ``base``."""
    fields = ask.to_json() if isinstance(ask, Ask) else ask
    headers, warnings = split_author_headers(list(fields["headers"]))
    data = fields["data"]
    return PageRequest(
        parse_url(base + fields["path"]),
        parse_origin(fields["origin"]),
        normalise_method(fields["method"]),
        headers,
        data.encode() if data is not None else None,
        fields["credentials"],
        None,
        "fetch",
        warnings,
    )


def _key(method: str, url: str, headers: Sequence[tuple[str, str]]) -> str:
    sent = {name.lower(): value for name, value in headers}
    return " ".join([method, url, *(sent.get(name, "-") for name in _KEY_HEADERS)])


@dataclass
class Recorder:
    """Wraps the network transport and keeps every exchange."""

    inner: Transport
    exchanges: list[dict[str, Any]] = field(default_factory=list)

    def send(self, method: str, url: Url, headers: Sequence[tuple[str, str]], body: bytes | None) -> Response:
        response = self.inner.send(method, url, headers, body)
        self.exchanges.append(
            {
                "method": method,
                "url": url.serialise(),
                "request_headers": [list(pair) for pair in headers],
                "status": response.status,
                "reason": response.reason,
                "headers": [list(pair) for pair in response.headers],
                "body": response.body.decode("utf-8", "replace")[:MAX_BODY_SHOWN],
            }
        )
        return response


@dataclass
class Replay:
    """Answers the doctor from recorded exchanges (keyed by method, URL, Origin, ACRM and ACRH)."""

    exchanges: list[dict[str, Any]]

    def send(self, method: str, url: Url, headers: Sequence[tuple[str, str]], body: bytes | None) -> Response:
        key = _key(method, url.serialise(), headers)
        for exchange in self.exchanges:
            if _key(exchange["method"], exchange["url"], [tuple(p) for p in exchange["request_headers"]]) == key:
                pairs = [(name, value) for name, value in exchange["headers"]]
                return Response(exchange["status"], exchange["reason"], pairs, exchange["body"].encode())
        raise AssertionError(f"not recorded: {key} (re-record with scripts/record_doctor_answers.py)")


def run(ask: Ask | dict[str, Any], base: str, transport: Transport) -> tuple[Outcome, str, dict[str, Any]]:
    """The doctor's outcome, human report and JSON document for one ``Ask``."""
    fields = ask.to_json() if isinstance(ask, Ask) else ask
    request = page_request(fields, base)
    outcome = diagnose(request, transport)
    if fields["audit"]:
        outcome.audit = audit(request, transport)
    return outcome, render(outcome), to_document(outcome)


def save(case: Case, base: str, software: str, asks: list[dict[str, Any]]) -> Path:
    """Write one case's recording."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"{case.name}.json"
    document = {
        "name": case.name,
        "server": case.server,
        "software": software,
        "about": case.about,
        "config": case.config,
        "base": base,
        "asks": asks,
    }
    path.write_text(json.dumps(document, indent=1, ensure_ascii=True) + "\n")
    return path


def load(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text())
    return document


def check(ask: dict[str, Any], outcome: Outcome, human: str, doc: dict[str, Any]) -> None:
    """The verdict, the error, the layer recognised and the explanation an ``Ask`` expects."""
    assert outcome.verdict == ask["verdict"], human
    assert (outcome.blocked.id if outcome.blocked else None) == ask["error"], human
    if ask["layer"] is not None:
        assert outcome.blocked is not None and outcome.blocked.step is not None
        response = outcome.blocked.step.response
        assert response is not None
        layer = recognise(response, outcome.blocked.step.method)
        assert layer is not None and layer.name == ask["layer"], human
        # The JSON document names it too, with the headers that showed it.
        answered = [f["detail"] for f in doc["findings"] if f["id"] == "answered-by"]
        assert answered and layer.label in answered[0] and layer.evidence[0] in answered[0], doc["findings"]
    text = " ".join(human.split())
    for phrase in ask["says"]:
        assert phrase in text, f"{phrase!r} missing from:\n{human}"
    for phrase in ask["never"]:
        assert phrase not in text, f"{phrase!r} in:\n{human}"
    warnings = {f["id"] for f in doc["findings"] if f["severity"] == "warning"}
    assert set(ask["warnings"]) <= warnings, doc["findings"]
    assert not set(ask["no_warnings"]) & warnings, doc["findings"]
    if doc["error"] is not None:  # the JSON document says what the report says
        assert " ".join(doc["error"]["why"].split()) in text
        for part in " ".join(doc["error"]["fix"].split()).split(" With "):
            assert part.removesuffix(".") in text
