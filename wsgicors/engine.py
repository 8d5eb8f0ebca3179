"""The decision function: (policy, request) -> Decision. Pure: no I/O, no framework.

It only looks answers up: the route (:mod:`wsgicors.routes`), then the
policy's compiled answers (:mod:`wsgicors.answers`), then the bounded memo
(:mod:`wsgicors.memo`); on a miss it matches the origin and has the answer built.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .decision import Decision, Kind, make_decision
from .memo import MAX_MEMO_VALUE, MEMO_SIZE, remember
from .origins import MAX_ORIGIN_LENGTH, is_serialized_origin
from .preflight import build_preflight
from .routes import routing_method, select_policy
from .shown import shown
from .tokens import is_token, parse_request_headers

if TYPE_CHECKING:
    from .policy import Policy

__all__ = [
    "Decide",
    "compile_decide",
    "decide",
    "decide_request",
    "evaluate",
    "explain",
    "logger",
    "routing_method",
    "select_policy",
]

#: Denials and left-out headers are explained here, at DEBUG.
logger = logging.getLogger("wsgicors")

_NOT_COVERED = make_decision(Kind.NOT_CORS)


#: A policy's compiled decision function: a WSGI environ (or Django's META) in, a Decision out.
Decide = Callable[[Mapping[str, Any]], Decision]


def decide(policy: Policy, environ: Mapping[str, Any]) -> Decision:
    """Decide what a request gets. ``environ`` is a WSGI environ (or Django's META).

    Reads REQUEST_METHOD, PATH_INFO, HTTP_HOST, HTTP_ORIGIN and the
    HTTP_ACCESS_CONTROL_REQUEST_* keys; callable origin checks get ``environ``.
    """
    return policy.decide(environ)


def compile_decide(policy: Policy) -> Decide:
    """The policy's decision function (what :func:`decide` runs), its lookups bound once.

    Built by the policy itself at start-up; a closure, so the hot path reads
    local cells instead of attributes. The order of the lookups is the order
    of their cost: no Origin and exact origins (one dict), '*', the memo, and
    only then matching and building.
    """
    if policy.routes is not None:

        def decide_routed(environ: Mapping[str, Any]) -> Decision:
            chosen = select_policy(policy, environ)
            return _NOT_COVERED if chosen is None else chosen.decide(environ)

        return decide_routed

    answers = policy.answers
    matcher = policy.matcher
    by_origin = answers.actual_by_origin.get
    # What an origin that is neither absent nor listed gets: '*', or denied.
    otherwise = answers.any_actual or answers.denied
    memo = answers.actual_memo
    denied = answers.denied
    build = answers.actual
    # A user regex is the costly match (and the origin-syntax check before it):
    # only then is a refusal worth remembering.
    remember_denied = bool(matcher.patterns)
    preflight = _compile_preflight(policy)

    if not matcher.dynamic:  # '*', or exact origins only: one lookup answers every actual request

        def decide_listed(environ: Mapping[str, Any]) -> Decision:
            origin: str = environ.get("HTTP_ORIGIN")  # type: ignore[assignment]  # or None
            if origin and environ["REQUEST_METHOD"] == "OPTIONS":
                request_method = environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD")
                if request_method:
                    return preflight(origin, request_method, environ)
            # No Origin, an empty one (absent, as in Kong), an exact allowed origin, or the rest.
            return by_origin(origin, otherwise)

        return decide_listed

    def decide_matched(environ: Mapping[str, Any]) -> Decision:
        origin: str = environ.get("HTTP_ORIGIN")  # type: ignore[assignment]  # or None
        if origin and environ["REQUEST_METHOD"] == "OPTIONS":
            request_method = environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD")
            if request_method:
                return preflight(origin, request_method, environ)
        decision = by_origin(origin)
        if decision is not None:
            return decision
        if memo is not None:  # wildcards and regexes, no callable: the answer is the origin's alone
            decision = memo.get(origin)
            if decision is not None:
                return decision
            if len(origin) > MAX_ORIGIN_LENGTH:
                return denied
            if matcher.match(origin, environ):
                decision = build(origin)
            elif remember_denied:
                decision = denied
            else:  # a wildcard refuses as fast as the memo would answer: keep the room for answers
                return denied
            # remember(), inlined: a flood of new origins pays this on every request.
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            memo[origin] = decision
            return decision
        return build(origin) if _allowed(policy, origin, environ) else denied

    return decide_matched


def _allowed(policy: Policy, origin: str, environ: Mapping[str, Any]) -> bool:
    try:
        return policy.matcher.match(origin, environ)
    except Exception:
        # A raising origin check denies; it never becomes a 500 (pitfalls #40).
        logger.exception("CORS origin check raised for origin %s; denying", shown(origin))
        return False


PreflightDecide = Callable[[str, str, Mapping[str, Any]], Decision]


def _compile_preflight(policy: Policy) -> PreflightDecide:
    """The decision for a preflight (Origin and Access-Control-Request-Method present)."""
    answers = policy.answers
    matcher = policy.matcher
    static_by_origin = answers.preflight_by_origin.get
    methods = policy.methods
    allowed_headers = policy.allowed_headers
    any_origin = matcher.any
    exact = matcher.exact
    dynamic = matcher.dynamic
    memo = answers.preflight_memo
    denied = answers.denied_preflight

    def decide_preflight(origin: str, request_method: str, environ: Mapping[str, Any]) -> Decision:
        request_headers: str | None = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS")
        if not request_headers:
            static = static_by_origin("*" if any_origin else origin)
            if static is not None and request_method in methods:  # type: ignore[operator]  # static: listed
                return static
        allow_origin: str | None  # None: the origin is matched below
        if any_origin:
            allow_origin = "*"
        elif origin in exact:
            allow_origin = origin
        elif not dynamic or len(origin) > MAX_ORIGIN_LENGTH:
            return denied
        else:
            allow_origin = None
        request_pna: str | None = environ.get("HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK")
        if memo is None:  # a callable check sees the whole request: never remembered
            if allow_origin is None:
                if not _allowed(policy, origin, environ):
                    return denied
                allow_origin = origin
            return _static_or_built(allow_origin, request_method, request_headers, request_pna)
        key = (origin, request_method, request_headers, request_pna)
        decision = memo.get(key)
        if decision is not None:
            return decision
        if allow_origin is None:
            if not matcher.match(origin, environ):
                decision = denied
            allow_origin = origin
        if decision is None:
            decision = _static_or_built(allow_origin, request_method, request_headers, request_pna)
        if (
            len(request_method) <= MAX_MEMO_VALUE
            and (request_headers is None or len(request_headers) <= MAX_MEMO_VALUE)
            and (request_pna is None or request_pna == "true")
        ):  # long or odd values are answered, not kept
            remember(memo, key, decision)
        return decision

    def _static_or_built(
        allow_origin: str, request_method: str, request_headers: str | None, request_pna: str | None
    ) -> Decision:
        static = static_by_origin("*" if any_origin else allow_origin)
        if static is not None and request_method in methods:  # type: ignore[operator]  # static: listed
            names = parse_request_headers(request_headers) if request_headers else ()
            if names is not None and allowed_headers.issuperset(names):  # type: ignore[union-attr]
                return static
        return build_preflight(policy, allow_origin, request_method, request_headers, request_pna)

    return decide_preflight


def explain(decision: Decision, environ: Mapping[str, Any]) -> None:
    """Log why a request was denied or a header left out, at DEBUG, values escaped."""
    if decision.reason is None or not logger.isEnabledFor(logging.DEBUG):
        return
    origin = environ.get("HTTP_ORIGIN")
    method = environ.get("REQUEST_METHOD")
    # Every request value escaped and capped (a 100 KB header makes no 100 KB line).
    logger.debug(
        "CORS %s: %s (origin %s%s, %s %s)",
        decision.kind.value,
        decision.reason,
        shown(origin),
        "" if origin is None or is_serialized_origin(origin) else ", not a serialised origin",
        method if isinstance(method, str) and is_token(method) else shown(method),
        shown(environ.get("PATH_INFO")),
    )


def evaluate(policy: Policy, environ: Mapping[str, Any]) -> Decision:
    """:func:`decide`, then :func:`explain`: what the doors call."""
    decision = decide(policy, environ)
    if decision.reason is not None:
        explain(decision, environ)
    return decision


def decide_request(
    policy: Policy,
    method: str,
    path: str = "/",
    headers: Mapping[str, str] | None = None,
) -> Decision:
    """:func:`decide` for a method, a path and request headers by their HTTP names."""
    environ: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": path}
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return decide(policy, environ)
