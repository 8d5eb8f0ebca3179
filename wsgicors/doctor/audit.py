"""``--audit``: the same request from a fixed set of hostile origins; which ones does the server let read?"""

from __future__ import annotations

from .checks import header
from .outcome import AuditEntry
from .request import Origin, PageRequest, parse_origin
from .transport import Transport

__all__ = ["audit", "hostile_origins"]


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
        entries.append(AuditEntry(kind, text, allowed, credentials))
    return sorted(entries, key=lambda e: (not e.credentials, not e.allowed))
