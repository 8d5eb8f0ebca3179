"""The ``--json`` document (schema version 1): one object, values as received but secrets masked."""

from __future__ import annotations

import json
import re
from typing import Any

from .explain import explain
from .findings import with_audit
from .outcome import Outcome, Step

__all__ = ["SCHEMA_VERSION", "mask", "to_document", "to_json"]

SCHEMA_VERSION = 1
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie", "set-cookie2"})


def mask(name: str, value: str) -> str:
    """Credentials never leave the doctor: Authorization and cookie values are masked."""
    if name.lower() not in _SECRET_HEADERS:
        return value
    if name.lower() in ("authorization", "proxy-authorization") and " " in value:
        return value.split(" ", 1)[0] + " <masked>"
    return "<masked>"


def _headers(pairs: list[tuple[str, str]]) -> list[list[str]]:
    return [[name, mask(name, value)] for name, value in pairs]


def _step(step: Step) -> dict[str, Any]:
    response = step.response
    return {
        "kind": step.kind,
        "method": step.method,
        "url": step.url,
        "request_headers": _headers(step.request_headers),
        "status": response.status if response is not None else None,
        "response_headers": _headers(response.headers) if response is not None else [],
        "result": step.result,
        "engine": list(response.engine) if response is not None else [],
    }


def to_document(outcome: Outcome) -> dict[str, Any]:
    """The JSON object for one diagnosis (schema version 1; see the README)."""
    blocked = outcome.blocked
    error = None
    explanation = explain(outcome)
    if blocked is not None and explanation is not None:
        fix = explanation.fix
        if explanation.ours is not None:
            fix += f" {explanation.ours[0]}: {explanation.ours[1]}."
        error = {"id": blocked.id, "console": blocked.console(), "why": explanation.why, "fix": fix}
    document: dict[str, Any] = {
        "version": SCHEMA_VERSION,
        "verdict": outcome.verdict,
        "error": error,
        "preflight": {"needed": outcome.preflight_needed, "reasons": list(outcome.preflight_reasons)},
        "steps": [_step(step) for step in outcome.steps],
        "readable_headers": {name: mask(name, value) for name, value in outcome.readable.items()},
        "findings": [{"id": f.id, "severity": f.severity, "detail": f.detail} for f in with_audit(outcome)],
    }
    if outcome.audit is not None:
        document["audit"] = [
            {"origin": a.origin, "allowed": a.allowed, "credentials": a.credentials, "kind": a.label}
            for a in outcome.audit
        ]
    return document


_STRING = r'"(?:[^"\\]|\\.)*"'
_PAIR = re.compile(r"\[\n\s+(" + _STRING + r"),\n\s+(" + _STRING + r")\n\s+\]")


def to_json(outcome: Outcome) -> str:
    """The document as ASCII JSON (control characters and non-ASCII escaped), a header pair per line."""
    return _PAIR.sub(r"[\1, \2]", json.dumps(to_document(outcome), indent=2, ensure_ascii=True))
