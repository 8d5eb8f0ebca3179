"""'Also noticed': what does not block this request today but bites later, or explains a block.

Fetch-algorithm checklist section 10 (checks the browser does not report) and
the Chromium 156 deviations from the Standard.

``missing-vary-origin``: an Access-Control-Allow-Origin equal to the page's origin
may be an echo or a fixed value (Apache's ``Header set ... "https://app"``); one
origin cannot tell them apart, and the doctor sends only what the browser sends.
So it is "info" alone; with ``--audit`` (other origins asked) it becomes a warning
when another origin got a different value, and is dropped when every origin got
the same one (``with_audit``).
"""

from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING

from ..digits import ascii_decimal
from .checks import header, parse_allow_list
from .layers import recognise

if TYPE_CHECKING:
    from .outcome import Finding, Outcome, Step

__all__ = ["address_space", "collect_findings", "with_audit"]

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
CHROMIUM_MAX_AGE = 7200
PORTABLE_MAX_AGE = 600  # WebKit's cap; Firefox caps at 86400


def address_space(host: str, names_are_public: bool = False) -> str | None:
    """Local Network Access space of a host (Chromium classifies the resolved IP; the doctor
    knows it for IP literals, localhost and .local). Other names: None, or "public" if asked."""
    if host == "localhost" or host.endswith(".localhost"):
        return "loopback"
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        if host.endswith(".local"):
            return "local"
        return "public" if names_are_public else None
    if ip.is_loopback:
        return "loopback"
    if ip.is_private or ip.is_link_local or ip in ipaddress.ip_network("100.64.0.0/10"):
        return "local"
    return "public"


class _Collector:
    def __init__(self) -> None:
        self.found: dict[str, Finding] = {}

    def add(self, id: str, severity: str, detail: str) -> None:
        from .outcome import Finding

        self.found.setdefault(id, Finding(id, severity, detail))


def _step_findings(out: _Collector, step: Step, origin: str, include: bool) -> None:
    response = step.response
    if response is None:
        return
    for note in response.notes:
        out.add("app-raised", "warning", note)
    for name, value in response.headers:
        if _CONTROL.search(value):
            out.add(
                "control-characters-in-header",
                "warning",
                f"the response header {name} holds control characters (CR, LF, NUL...): browsers may reject the "
                "answer or read it differently from this report",
            )
    if not step.cors:
        return
    allow_origin = header(response, "access-control-allow-origin")
    allow_credentials = header(response, "access-control-allow-credentials")
    vary = {item.strip().lower() for item in (header(response, "vary") or "").split(",")}
    if allow_origin == origin and origin != "null" and not vary & {"origin", "*"}:
        out.add(
            "missing-vary-origin",
            "info",
            f"Access-Control-Allow-Origin names this origin on the {step.kind} answer, without 'Vary: Origin'. "
            "If the server picks the value from the request's Origin (--audit shows whether it does), a shared "
            "or browser cache can hand this answer to another origin: add Vary: Origin.",
        )
    if allow_origin == "null":
        out.add(
            "allow-origin-null",
            "warning",
            "Access-Control-Allow-Origin: null trusts every sandboxed iframe, file: page and cross-origin redirect "
            "chain, any site can produce that origin.",
        )
    if allow_origin == "*" and allow_credentials == "true":
        out.add(
            "wildcard-with-credentials",
            "warning",
            "'Access-Control-Allow-Origin: *' together with 'Access-Control-Allow-Credentials: true': browsers "
            "refuse every credentialed request to this answer (WildcardOriginNotAllowed).",
        )
    if allow_credentials is not None and allow_credentials != "true":
        out.add(
            "allow-credentials-not-true",
            "warning" if include else "info",
            f"Access-Control-Allow-Credentials is {allow_credentials!r}: only 'true' (lower case) counts.",
        )
    if include:
        for name in ("access-control-allow-methods", "access-control-allow-headers", "access-control-expose-headers"):
            if "*" in (parse_allow_list(header(response, name)) or []):
                out.add(
                    "wildcard-literal-with-credentials",
                    "warning",
                    f"{name} holds '*', which is only a wildcard without credentials: with credentials it names a "
                    "header or method literally called '*'.",
                )
    if step.kind == "preflight" and step.result == "pass":
        _preflight_findings(out, step)


def _preflight_findings(out: _Collector, step: Step) -> None:
    assert step.response is not None
    max_age = header(step.response, "access-control-max-age")
    seconds = ascii_decimal(max_age.strip()) if max_age is not None else None
    if max_age is None:
        out.add("max-age-missing", "info", "no Access-Control-Max-Age: browsers cache this preflight for 5 s only.")
    elif seconds is not None and seconds > CHROMIUM_MAX_AGE:
        out.add(
            "max-age-over-cap",
            "info",
            f"Access-Control-Max-Age {max_age} is above Chromium's cap of {CHROMIUM_MAX_AGE} s (Firefox: 86400, "
            f"Safari: 600); a cached preflight also delays policy changes.",
        )
    elif seconds is not None and seconds > PORTABLE_MAX_AGE:
        out.add("max-age-over-600", "info", f"Access-Control-Max-Age {max_age}: Safari caps it at 600 s.")


def _authorization_wildcard(out: _Collector, outcome: Outcome) -> None:
    request = outcome.request
    if request.include or not any(name.lower() == "authorization" for name, _ in request.headers):
        return
    for step in outcome.steps:
        if step.kind == "preflight" and step.response is not None and step.result == "pass":
            names = {n.lower() for n in parse_allow_list(header(step.response, "access-control-allow-headers")) or []}
            if "*" in names and "authorization" not in names:
                out.add(
                    "authorization-covered-by-wildcard",
                    "warning",
                    "Authorization is allowed only through 'Access-Control-Allow-Headers: *'. Chromium 156 lets "
                    "it through, but the Fetch Standard says '*' never covers Authorization, and Firefox will "
                    "block it once its pref flips: name 'authorization' explicitly.",
                )


def _blocked_findings(out: _Collector, outcome: Outcome) -> None:
    blocked = outcome.blocked
    if blocked is None or blocked.step is None or blocked.step.response is None:
        return
    step, response = blocked.step, blocked.step.response
    layer = recognise(response, step.method)
    if layer is not None and layer.name != "wsgicors":  # wsgicors: in-process only, its engine's lines say it
        out.add("answered-by", "info", f"the {step.kind} answer ({response.status}) came from {layer.describe()}.")
    status = response.status
    if blocked.id.removeprefix("Preflight") == "MissingAllowOriginHeader" and status >= 400:
        path = "/" + step.url.split("://", 1)[-1].partition("/")[2]
        who = layer.label if layer is not None else "the server"
        made = f"{layer.short()}" + (f" ('{layer.detail}')" if layer.detail else "") if layer else ""
        cause = {
            401: "an authentication layer answered before the CORS layer (a preflight never carries credentials)",
            403: "an authorisation layer or a WAF answered before the CORS layer",
            404: f"{who} has nothing at {path} for {step.method}"
            + (" (OPTIONS is not routed there)" if step.method == "OPTIONS" else ""),
            405: f"{who} refuses {step.method} on {path} before any CORS layer sees it",
        }.get(status, f"it is {made}" if made else "the server answered with an error")
        out.add(
            "error-status-without-cors-headers",
            "warning",
            f"the {step.kind} answer was a {status} without CORS headers: {cause}. The browser reports only the "
            "missing header, not the status.",
        )


def with_audit(outcome: Outcome) -> list[Finding]:
    """The findings, with what ``--audit`` showed: whether Access-Control-Allow-Origin follows the Origin."""
    from .outcome import Finding

    if outcome.audit is None:
        return list(outcome.findings)
    page = "null" if outcome.request.origin.opaque else outcome.request.origin.serialise()
    others = sorted({f"'{entry.allow_origin}'" if entry.allow_origin else "no Access-Control-Allow-Origin"
                     for entry in outcome.audit if entry.allow_origin != page})  # fmt: skip
    found = []
    for finding in outcome.findings:
        if finding.id == "missing-vary-origin":
            if not others:
                continue  # the same value for every origin: a fixed value, nothing to vary on
            finding = Finding(
                finding.id,
                "warning",
                "Access-Control-Allow-Origin follows the request's Origin (--audit's origins got "
                f"{', '.join(others[:3])}{' ...' if len(others) > 3 else ''}), and the answer has no 'Vary: Origin': "
                "a shared or browser cache can hand one origin's answer to another, an error that comes and goes. "
                "Add Vary: Origin (Apache: Header always merge Vary Origin; nginx: add_header Vary Origin always;).",
            )
        found.append(finding)
    return sorted(found, key=lambda f: f.severity != "warning")


def collect_findings(outcome: Outcome, tainted: bool) -> list[Finding]:
    """Every finding of one diagnosis, warnings first."""
    out = _Collector()
    for warning in outcome.request.warnings:
        out.add("forbidden-header-dropped", "warning", warning)
    if not outcome.cors:
        out.add("same-origin", "info", "the page and the URL are the same origin: CORS does not apply.")
    origin = "null" if tainted or outcome.request.origin.opaque else outcome.request.origin.serialise()
    for step in outcome.steps:
        _step_findings(out, step, origin, outcome.request.include)
    _authorization_wildcard(out, outcome)
    _blocked_findings(out, outcome)
    if tainted:
        matched = outcome.blocked is None and any(
            header(s.response, "access-control-allow-origin") == "null" for s in outcome.steps if s.response
        )
        out.add(
            "redirect-tainted-origin",
            "warning" if matched else "info",
            "a cross-origin redirect made the request's origin 'null'"
            + (", and 'Access-Control-Allow-Origin: null' matched it (Chromium 156 allows it, credentials included)"
               if matched else "")
            + ". Call the final URL directly; never allow 'null' to make it work.",
        )  # fmt: skip
    # A page served under a domain name is taken as public (it almost always is).
    page = None if outcome.request.origin.opaque else address_space(outcome.request.origin.host, True)
    target = address_space(outcome.request.url.host)
    if page == "public" and target in ("local", "loopback"):
        out.add(
            "local-network-access",
            "warning",
            f"a public page fetching a {target} address: Chrome 142+ asks the user (Local Network Access) and "
            "blocks it from non-secure pages; no response header changes that.",
        )
    return sorted(out.found.values(), key=lambda f: f.severity != "warning")
