"""``--audit``: the same request from a fixed set of hostile origins; which ones does the server let read?"""

from __future__ import annotations

from . import fixes
from .checks import header
from .door import option_fix
from .layers import recognise
from .outcome import AuditEntry, Outcome
from .request import Origin, PageRequest, parse_origin
from .transport import Transport

__all__ = ["audit", "audit_advice", "hostile_origins"]


def hostile_origins(base: Origin) -> list[tuple[str, str]]:
    """(kind, origin) pairs built around ``base``: each one passes a classic broken origin check."""
    scheme, host = base.scheme or "https", base.host or "app.example"
    port = "" if base.opaque or base.serialise() == f"{scheme}://{host}" else f":{base.port}"
    pairs = [
        ("other site", "https://evil.example"),
        ("null (sandboxed iframe, file: page, redirect chain)", "null"),
        ("suffix look-alike: passes an unanchored or startswith check", f"{scheme}://{host}.evil.example{port}"),
        ("prefix look-alike: passes an endswith check", f"{scheme}://evil{host}{port}"),
        ("deep subdomain: passes a loose subdomain rule", f"{scheme}://a.b.{host}{port}"),
    ]
    if scheme == "https":
        pairs.insert(4, ("http downgrade: any network attacker can serve it", f"http://{host}{port}"))
    return [(kind, origin) for kind, origin in pairs if origin != base.serialise()]


def audit(request: PageRequest, transport: Transport) -> list[AuditEntry]:
    """Diagnose ``request`` from each hostile origin; the allowed ones first, credentialed first of all."""
    from .flow import diagnose

    base = request.origin if not request.origin.opaque else request.url.origin
    entries = []
    for kind, text in hostile_origins(base):
        origin = parse_origin(text)
        outcome = diagnose(request.with_origin(origin), transport)
        last = outcome.steps[-1].response if outcome.steps else None
        allowed = outcome.verdict == "allowed" and outcome.cors
        credentials = (
            allowed
            and last is not None
            and header(last, "access-control-allow-origin") == origin.serialise()
            and header(last, "access-control-allow-credentials") == "true"
        )
        value = header(last, "access-control-allow-origin") if last is not None else None
        entries.append(AuditEntry(kind, text, allowed, credentials, value))
    return sorted(entries, key=lambda e: (not e.credentials, not e.allowed))


def audit_advice(outcome: Outcome) -> tuple[str, str, tuple[str, str] | None] | None:
    """(why it matters, the fix naming the origins the server let read, this library's line), or None."""
    allowed = [entry for entry in outcome.audit or () if entry.allowed]
    if not allowed:
        return None
    names = ", ".join(entry.origin for entry in allowed)
    credentials = any(entry.credentials for entry in allowed)
    count = "this origin" if len(allowed) == 1 else f"any of these {len(allowed)} origins"
    why = f"a page on {count} can read this response" + (", with the user's cookies" if credentials else "") + "."
    origin = outcome.request.origin if not outcome.request.origin.opaque else outcome.request.url.origin
    trusted = origin.serialise()
    last = outcome.steps[-1].response if outcome.steps else None
    layer = recognise(last, outcome.steps[-1].method) if last is not None else None
    if layer is not None and layer.name == "express":
        layer_fix = (
            f"cors({{ origin: ['{trusted}'] }}) instead of origin: true or a pattern (true reflects every origin)"
        )
        if credentials:
            layer_fix = (
                f"cors({{ origin: ['{trusted}'], credentials: true }}) instead of origin: true (it reflects every "
                "origin)"
            )
    elif layer is not None and layer.name == "nginx":
        layer_fix = (
            'anchor every regex of the map ("~^https://app\\.example\\.com$", not "~app\\.example\\.com") '
            f"or list exact origins: {fixes.allow_origin(layer, [trusted])}"
        )
    else:
        layer_fix = fixes.allow_origin(layer, [trusted]) or ""
    fix = (
        f"Stop allowing {names}: compare the Origin with an exact allow-list (here '{trusted}') and never reflect "
        "it unchecked" + (f"; {layer_fix}" if layer_fix else "") + "."
    )
    return why, fix, option_fix(outcome.door, [("origins", f"['{trusted}']")])
