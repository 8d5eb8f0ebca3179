"""What a diagnosis found: the requests sent (steps), the verdict, the error, the findings."""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalogue import CATALOGUE, console_line
from .checks import Failure, Response
from .door import Door
from .request import PageRequest

__all__ = ["AuditEntry", "Blocked", "Finding", "Outcome", "Step"]


@dataclass
class Step:
    """One request the doctor sent as the browser would, and what came back."""

    kind: str  # preflight | actual | redirect
    method: str
    url: str
    request_headers: list[tuple[str, str]]
    response: Response | None = None
    result: str = "pass"  # pass | fail
    cors: bool = True  # False: a same-origin hop, no CORS check applies

    @property
    def status(self) -> int | None:
        return self.response.status if self.response is not None else None


@dataclass(frozen=True)
class Finding:
    """Something that does not block today but bites later (or explains a block)."""

    id: str
    severity: str  # warning | info
    detail: str


@dataclass(frozen=True)
class Blocked:
    """The one error the browser reports, with where it happened."""

    failure: Failure
    url: str  # the URL of the request whose answer failed
    first_url: str
    origin: str  # the page's origin as Chromium's console prints it
    initiator: str
    step: Step | None = None
    net_error: str = ""  # for transport failures
    detail: str = ""

    @property
    def id(self) -> str:
        return self.failure.id

    def console(self) -> str:
        if self.failure.id == "transport":
            method = self.step.method if self.step is not None else "GET"
            return f"{method} {self.url} net::{self.net_error}"
        return console_line(self.failure.id, self.failure.hint, self.initiator, self.url, self.first_url, self.origin)

    def why(self) -> str:
        if self.failure.id == "transport":
            return (
                f"No HTTP answer to judge ({self.detail}). The page sees 'TypeError: Failed to fetch', which "
                "looks like a CORS error but is not one: no response header can fix it."
            )
        why = CATALOGUE[self.failure.id].why
        return f"{why} ({self.detail})" if self.detail else why

    @property
    def error_page(self) -> bool:
        """No Allow-Origin on an error status: something answered before (or instead of) the CORS layer."""
        response = self.step.response if self.step is not None else None
        return response is not None and response.status >= 400 and self.id.endswith("MissingAllowOriginHeader")

    def fix(self) -> str:
        if self.failure.id == "transport":
            return "Check that the server is up and reachable at this URL (port, TLS certificate, proxy, DNS)."
        if self.error_page and self.id.startswith("Preflight"):
            return (
                "Let the CORS layer answer OPTIONS before authentication, routing or a WAF run (a preflight never "
                "carries cookies or Authorization), and allow the origin there."
            )
        if self.error_page:
            return "Fix the error itself, and let the CORS layer wrap error responses too (it must be outermost)."
        return CATALOGUE[self.failure.id].fix

    def wsgicors_fix(self) -> str:
        if self.failure.id == "transport":
            return ""
        if self.error_page:
            return "CORSMiddleware outermost, around the auth layer and the router (Django: first in MIDDLEWARE)"
        text = CATALOGUE[self.failure.id].wsgicors
        return text.replace("<origin>", self.origin).replace("{hint}", self.failure.hint)


@dataclass(frozen=True)
class AuditEntry:
    """One hostile origin sent by ``--audit``: did the server let it read, with credentials?"""

    label: str
    origin: str
    allowed: bool
    credentials: bool
    allow_origin: str | None = None  # the Access-Control-Allow-Origin it got (None: none)


@dataclass
class Outcome:
    """The whole diagnosis of one page request."""

    request: PageRequest
    preflight_reasons: list[str]
    steps: list[Step] = field(default_factory=list)
    blocked: Blocked | None = None
    readable: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    audit: list[AuditEntry] | None = None
    cors: bool = True  # False: same-origin all the way, CORS never applied
    door: Door | None = None  # the in-process app's door (--app); None over the network

    @property
    def verdict(self) -> str:
        if self.blocked is None:
            return "allowed"
        return "error" if self.blocked.id == "transport" else "blocked"

    @property
    def preflight_needed(self) -> bool:
        return any(step.kind == "preflight" for step in self.steps) or (self.cors and bool(self.preflight_reasons))
