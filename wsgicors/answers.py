"""The compiled answers of one policy: what is precomputed, what is built per request.

Built once from a validated :class:`~wsgicors.policy.Policy`; the decision
function only looks these up. Every answer that does not depend on the request
is a ready :class:`Decision`: no Origin, denied, each exact origin's actual
answer and (when nothing is echoed) its preflight answer. An answer that
reflects a dynamic origin or echoes a preflight's request values is built by
:meth:`Answers.actual` / :meth:`Answers.preflight` and, when it is pure,
remembered in the policy's bounded memo (:mod:`wsgicors.memo`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .decision import Decision, Kind, make_decision
from .protocol import ACAC, ACAH, ACAM, ACAO, ACEH, ACMA

if TYPE_CHECKING:
    from .policy import Policy

__all__ = ["Answers", "HeaderLines"]

HeaderLines = tuple[tuple[str, str], ...]


class Answers:
    """Every answer of one policy that can be built ahead of a request, and the builders of the rest."""

    __slots__ = (
        "actual_by_origin",
        "actual_memo",
        "actual_tail",
        "actual_vary",
        "any_actual",
        "denied",
        "denied_preflight",
        "expose_response_headers",
        "no_origin",
        "preflight_by_origin",
        "preflight_end",
        "preflight_headers",
        "preflight_memo",
        "preflight_methods",
        "preflight_status",
        "preflight_tail",
        "preflight_vary",
        "preflight_vary_line",
        "vary_origin",
    )

    #: False only for '*' without credentials and with allow_origin_absent.
    vary_origin: bool
    no_origin: Decision
    denied: Decision
    denied_preflight: Decision
    #: The actual answer of a '*' policy (None for an origin list).
    any_actual: Decision | None
    #: Origin (None or '' for none) -> precomputed answer of an actual request.
    actual_by_origin: Mapping[str | None, Decision]
    #: Origin ('*' for a '*' policy) -> the full preflight answer, when it is static.
    preflight_by_origin: Mapping[str, Decision]
    actual_tail: HeaderLines
    actual_vary: tuple[str, ...]
    expose_response_headers: bool
    preflight_tail: HeaderLines
    preflight_methods: HeaderLines
    preflight_headers: HeaderLines
    preflight_end: HeaderLines
    preflight_vary: tuple[str, ...]
    preflight_vary_line: tuple[str, str] | None
    #: None: the app answers the preflight (preflight_continue).
    preflight_status: int | None
    #: Origin -> actual answer, for wildcards and regexes (None: nothing to remember).
    actual_memo: dict[str, Decision] | None
    #: (Origin, ACRM, ACRH, ACRPN) -> preflight answer (None with a callable check).
    preflight_memo: dict[tuple[str, str, str | None, str | None], Decision] | None

    def __init__(self, policy: Policy) -> None:
        set_ = object.__setattr__
        any_origin = policy.matcher.any
        credentials = policy.credentials
        # '*' without credentials, sent also without Origin: nothing is
        # reflected, so no response varies on Origin (DESIGN, "Vary").
        vary_origin = not (any_origin and policy.allow_origin_absent)
        set_(self, "vary_origin", vary_origin)
        origin_vary: tuple[str, ...] = ("Origin",) if vary_origin else ()

        exposed = policy.exposed_headers
        tail: list[tuple[str, str]] = []
        if credentials:
            tail.append((ACAC, "true"))
        if exposed is None and not credentials:
            tail.append((ACEH, "*"))
        elif exposed:
            tail.append((ACEH, ", ".join(exposed)))
        actual_tail = tuple(tail)
        set_(self, "actual_tail", actual_tail)
        set_(self, "actual_vary", origin_vary)
        set_(self, "expose_response_headers", exposed is None and credentials)

        pre: list[tuple[str, str]] = [(ACAC, "true")] if credentials else []
        if policy.max_age is not None:
            pre.append((ACMA, str(policy.max_age)))
        set_(self, "preflight_tail", tuple(pre))
        set_(self, "preflight_methods", ((ACAM, policy.methods_value),) if policy.methods is not None else ())
        set_(self, "preflight_headers", ((ACAH, policy.headers_value),) if policy.headers_value is not None else ())
        base: HeaderLines = (("Content-Type", "text/plain"), ("Content-Length", "0"))
        set_(self, "preflight_end", () if policy.preflight_continue or policy.preflight_status == 204 else base)

        if any_origin:
            star = ((ACAO, "*"), *actual_tail)
            set_(self, "any_actual", make_decision(Kind.ACTUAL, star, origin_vary))
            no_origin = (
                make_decision(Kind.NOT_CORS, star)
                if policy.allow_origin_absent
                else make_decision(Kind.NOT_CORS, (), origin_vary)
            )
        else:
            set_(self, "any_actual", None)
            no_origin = make_decision(Kind.NOT_CORS, (), origin_vary)
        set_(self, "no_origin", no_origin)
        set_(self, "denied", make_decision(Kind.DENIED, (), origin_vary, reason="origin not allowed"))
        preflight_vary = _preflight_vary(policy, origin_vary)
        set_(self, "preflight_vary", preflight_vary)
        set_(self, "preflight_vary_line", ("Vary", ", ".join(preflight_vary)) if preflight_vary else None)
        set_(self, "preflight_status", None if policy.preflight_continue else policy.preflight_status)
        set_(
            self,
            "denied_preflight",
            make_decision(
                Kind.DENIED,
                self.preflight_end,
                preflight_vary,
                status=self.preflight_status,
                reason="origin not allowed",
            ),
        )
        # One lookup serves the hot path: no Origin (None or "") and every exact
        # origin's precomputed answer; anything else falls through to matching.
        by_origin: dict[str | None, Decision] = {origin: self.actual(origin) for origin in policy.matcher.exact}
        by_origin[None] = by_origin[""] = no_origin
        set_(self, "actual_by_origin", by_origin)

        # With methods and headers listed (nothing echoed) and no private-network
        # answer, a preflight's full answer depends on the origin alone: build it
        # now for each exact origin (and for '*'), used when nothing is refused.
        static: dict[str, Decision] = {}
        if (
            policy.methods is not None
            and policy.allowed_headers is not None
            and policy.header_patterns is None
            and not policy.private_network
        ):
            for origin in ("*",) if any_origin else policy.matcher.exact:
                static[origin] = self.preflight(origin, self.preflight_methods, self.preflight_headers)
        set_(self, "preflight_by_origin", static)

        # A callable sees the whole request, so its answers are never remembered.
        pure = not policy.matcher.checks
        set_(self, "actual_memo", {} if pure and policy.matcher.dynamic else None)
        set_(self, "preflight_memo", {} if pure else None)

    def actual(self, origin: str) -> Decision:
        """The answer to an actual request from an allowed ``origin``."""
        return make_decision(
            Kind.ACTUAL,
            ((ACAO, origin), *self.actual_tail),
            self.actual_vary,
            expose_response_headers=self.expose_response_headers,
        )

    def preflight(
        self,
        allow_origin: str,
        methods: HeaderLines,
        headers: HeaderLines,
        private_network: HeaderLines = (),
        reason: str | None = None,
    ) -> Decision:
        """The full answer to a preflight from an allowed origin, with the
        Allow-Methods / Allow-Headers / Allow-Private-Network lines given."""
        return make_decision(
            Kind.PREFLIGHT,
            ((ACAO, allow_origin), *self.preflight_tail, *methods, *headers, *private_network, *self.preflight_end),
            self.preflight_vary,
            status=self.preflight_status,
            reason=reason,
            vary_line=self.preflight_vary_line,
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Answers are immutable (tried to set {name!r})")


def _preflight_vary(policy: Policy, origin_vary: tuple[str, ...]) -> tuple[str, ...]:
    """Vary of a preflight answer: Origin, and each request header it echoes."""
    vary = list(origin_vary)
    if policy.methods is None:
        vary.append("Access-Control-Request-Method")
    if policy.allowed_headers is None or policy.header_patterns is not None:
        vary.append("Access-Control-Request-Headers")
    if policy.private_network:
        vary.append("Access-Control-Request-Private-Network")
    return tuple(vary)
