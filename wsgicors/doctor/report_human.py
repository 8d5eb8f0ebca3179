"""The human report: the requests sent, the headers that matter, the verdict, why and how to fix it.

Every value that came from the server (or the user) is escaped: anything outside
printable ASCII is shown as ``\\uXXXX``; Authorization and cookies are masked.
Colour only on a terminal, and never with ``NO_COLOR`` set.
"""

from __future__ import annotations

import textwrap

from .audit import audit_advice
from .catalogue import escape_hint as escape
from .explain import explain
from .findings import with_audit
from .layers import recognise
from .outcome import Outcome, Step
from .report_json import mask

__all__ = ["render"]

_SHOWN_REQUEST = frozenset(
    {"origin", "access-control-request-method", "access-control-request-headers", "cookie", "authorization"}
)
_SHOWN_RESPONSE = ("access-control-", "vary", "location", "content-type", "server", "x-powered-by", "via", "allow")
_COLOURS = {"green": "32", "red": "31", "yellow": "33", "bold": "1"}


class _Paint:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, colour: str) -> str:
        return f"\x1b[{_COLOURS[colour]}m{text}\x1b[0m" if self.colour else text


MAX_SHOWN = 300


def _shown(value: str, limit: int = MAX_SHOWN) -> str:
    """``value`` escaped, and shortened when a hostile server sent something huge."""
    if len(value) <= limit:
        return escape(value)
    return f"{escape(value[: limit * 2 // 3])}...{escape(value[-limit // 6 :])} ({len(value)} characters)"


def _wrap(label: str, text: str, indent: int | None = None) -> list[str]:
    hanging = " " * (len(label) if indent is None else indent)
    return textwrap.wrap(
        escape(text), width=100, initial_indent=label, subsequent_indent=hanging, break_on_hyphens=False
    ) or [label]


def _header_line(prefix: str, name: str, value: str) -> str:
    return f"      {prefix} {_shown(name)}: {_shown(mask(name, value))}"


def _step_lines(number: int, step: Step, paint: _Paint, author: set[str]) -> list[str]:
    response = step.response
    status = f"{response.status} {escape(response.reason)}".rstrip() if response is not None else "no answer"
    result = paint("pass", "green") if step.result == "pass" else paint("FAIL", "red")
    lines = [f"  {number}. {step.kind:<9} {step.method} {escape(step.url)} -> {status}  {result}"]
    for name, value in step.request_headers:
        if name.lower() in _SHOWN_REQUEST or name.lower() in author:
            lines.append(_header_line(">", name, value))
    if response is not None:
        for name, value in response.headers:
            lname = name.lower()
            if lname.startswith(_SHOWN_RESPONSE) or escape(value) != value or lname in author:
                lines.append(_header_line("<", name, value))
        layer = recognise(response, step.method)
        if layer is not None and layer.name != "wsgicors":  # wsgicors: its engine's own lines below say more
            lines += _wrap("      answered by: ", layer.describe())
        for note in response.notes:
            lines += _wrap("      note: ", note)
        for message in response.engine:
            lines += _wrap("      wsgicors engine says: ", message)
    return lines


def _request_line(outcome: Outcome) -> str:
    request = outcome.request
    kind = "XMLHttpRequest" if request.initiator == "xhr" else "fetch()"
    return (
        f"cors-doctor: {kind} {request.method} {escape(request.url.serialise())} "
        f"from origin {escape(request.origin.serialise())}, credentials: {request.credentials}"
    )


def _verdict_lines(outcome: Outcome, paint: _Paint) -> list[str]:
    blocked = outcome.blocked
    if blocked is None:
        return [paint("ALLOWED", "green") + ": the page can read the response."]
    if blocked.id == "transport":
        head = paint("ERROR", "red") + f": transport failure, net::{blocked.net_error} (not a CORS verdict)"
    else:
        head = paint("BLOCKED", "red") + f": {blocked.id}"
    lines = [head, "  Chromium's console:", "    " + _shown(blocked.console(), 1500)]
    step = blocked.step
    if step is not None and step.response is not None and step.response.status >= 400:
        reason = f" ({escape(step.response.reason)})" if step.response.reason else ""
        status = f"{step.response.status}{reason}"
        lines.append(f"    Failed to load resource: the server responded with a status of {status}")
    lines.append(f"    Failed to load resource: net::{blocked.net_error or 'ERR_FAILED'}")
    explanation = explain(outcome)
    assert explanation is not None
    lines += _wrap("  Why: ", explanation.why)
    lines += _wrap("  Fix: ", explanation.fix)
    if explanation.ours is not None:
        lines += _wrap(f"  {explanation.ours[0]}: ", explanation.ours[1])
    return lines


def render(outcome: Outcome, colour: bool = False) -> str:
    """The whole human report for one diagnosis."""
    paint = _Paint(colour)
    lines = [_request_line(outcome)]
    if not outcome.cors:
        lines.append("Preflight: none (same origin: CORS does not apply)")
    elif outcome.preflight_reasons:
        lines += _wrap("Preflight needed: ", "; ".join(outcome.preflight_reasons))
    else:
        lines.append("Preflight: not needed (a CORS-safelisted method and headers)")
    lines.append("Requests sent:")
    author = {name.lower() for name, _ in outcome.request.headers}
    for number, step in enumerate(outcome.steps, 1):
        lines += _step_lines(number, step, paint, author)
    lines.append("")
    lines += _verdict_lines(outcome, paint)
    if outcome.blocked is None:
        names = ", ".join(escape(name) for name in outcome.readable) or "(none)"
        lines += _wrap("Readable by the page's script: ", names)
    if outcome.audit is not None:
        lines.append("")
        allowed = [entry for entry in outcome.audit if entry.allowed]
        title = f"Audit: {len(allowed)} of {len(outcome.audit)} hostile origins allowed"
        lines.append(paint(title, "red") if allowed else title)
        for entry in outcome.audit:
            verdict = ("ALLOWED with credentials" if entry.credentials else "ALLOWED") if entry.allowed else "denied"
            lines.append(f"  {verdict:<24} {escape(entry.origin)}  ({entry.label})")
        advice = audit_advice(outcome)
        if advice is not None:
            lines += _wrap("  Why it matters: ", advice[0])
            lines += _wrap("  Fix: ", advice[1])
            if advice[2] is not None:
                lines += _wrap(f"  {advice[2][0]}: ", advice[2][1])
    findings = [f for f in with_audit(outcome) if f.id != "answered-by"]  # the steps show who answered
    if findings:
        lines += ["", "Also noticed:"]
        for finding in findings:
            label = paint(finding.severity, "yellow") if finding.severity == "warning" else finding.severity
            lines += _wrap(f"  [{label}] {finding.id}: ", finding.detail, 6)
    return "\n".join(lines) + "\n"
