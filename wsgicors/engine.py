"""The decision function: (policy, request) -> Decision. Pure: no I/O, no framework.

It only looks answers up: the route (:mod:`wsgicors.routes`), then the
policy's compiled answers (:mod:`wsgicors.answers`), then the bounded memo
(:mod:`wsgicors.memo`); on a miss it matches the origin and has the answer built.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .decision import Decision, Kind, make_decision
from .memo import MAX_MEMO_VALUE, remember
from .origins import MAX_ORIGIN_LENGTH, is_serialized_origin
from .preflight import build_preflight
from .routes import routing_method, select_policy
from .shown import shown
from .tokens import is_token, parse_request_headers

if TYPE_CHECKING:
    from .policy import Policy

__all__ = ["decide", "decide_request", "evaluate", "explain", "logger", "routing_method", "select_policy"]

#: Denials and left-out headers are explained here, at DEBUG.
logger = logging.getLogger("wsgicors")

_NOT_COVERED = make_decision(Kind.NOT_CORS)


def decide(policy: Policy, environ: Mapping[str, Any]) -> Decision:
    """Decide what a request gets. ``environ`` is a WSGI environ (or Django's META).

    Reads REQUEST_METHOD, PATH_INFO, HTTP_HOST, HTTP_ORIGIN and the
    HTTP_ACCESS_CONTROL_REQUEST_* keys; callable origin checks get ``environ``.
    """
    if policy.routes is not None:
        chosen = select_policy(policy, environ)
        if chosen is None:
            return _NOT_COVERED
        policy = chosen
    answers = policy.answers
    origin: str = environ.get("HTTP_ORIGIN")  # type: ignore[assignment]  # or None: looked up below
    if origin and environ["REQUEST_METHOD"] == "OPTIONS":
        request_method = environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD")
        if request_method:
            return _preflight(policy, origin, request_method, environ)
    # No Origin, an empty one (absent, as in Kong), or an exact allowed origin.
    decision = answers.actual_by_origin.get(origin)
    if decision is not None:
        return decision
    if answers.any_actual is not None:
        return answers.any_actual
    memo = answers.actual_memo
    if memo is not None:  # wildcards and regexes, no callable: the answer is the origin's alone
        decision = memo.get(origin)
        if decision is not None:
            return decision
        if len(origin) > MAX_ORIGIN_LENGTH:
            return answers.denied
        decision = answers.actual(origin) if policy.matcher.match(origin, environ) else answers.denied
        return remember(memo, origin, decision)
    if policy.matcher.dynamic and _allowed(policy, origin, environ):
        return answers.actual(origin)
    return answers.denied


def _allowed(policy: Policy, origin: str, environ: Mapping[str, Any]) -> bool:
    try:
        return policy.matcher.match(origin, environ)
    except Exception:
        # A raising origin check denies; it never becomes a 500 (pitfalls #40).
        logger.exception("CORS origin check raised for origin %s; denying", shown(origin))
        return False


def _preflight(policy: Policy, origin: str, request_method: str, environ: Mapping[str, Any]) -> Decision:
    answers = policy.answers
    matcher = policy.matcher
    request_headers: str | None = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS")
    static = answers.preflight_by_origin.get("*" if matcher.any else origin)
    if static is not None and request_method in policy.methods:  # type: ignore[operator]  # static: listed
        if not request_headers:
            return static
        names = parse_request_headers(request_headers)
        if names is not None and policy.allowed_headers.issuperset(names):  # type: ignore[union-attr]
            return static
    allow_origin: str | None  # None: the origin is matched below
    if matcher.any:
        allow_origin = "*"
    elif origin in matcher.exact:
        allow_origin = origin
    elif not matcher.dynamic or len(origin) > MAX_ORIGIN_LENGTH:
        return answers.denied_preflight
    else:
        allow_origin = None
    request_pna: str | None = environ.get("HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK")
    memo = answers.preflight_memo
    if (
        memo is None
        or len(request_method) > MAX_MEMO_VALUE
        or (request_headers is not None and len(request_headers) > MAX_MEMO_VALUE)
        or (request_pna is not None and request_pna != "true")
    ):  # a callable check sees the whole request; long values are not kept
        if allow_origin is None:
            if not _allowed(policy, origin, environ):
                return answers.denied_preflight
            allow_origin = origin
        return build_preflight(policy, allow_origin, request_method, request_headers, request_pna)
    key = (origin, request_method, request_headers, request_pna)
    decision = memo.get(key)
    if decision is not None:
        return decision
    if allow_origin is None:
        if not matcher.match(origin, environ):
            return remember(memo, key, answers.denied_preflight)
        allow_origin = origin
    return remember(memo, key, build_preflight(policy, allow_origin, request_method, request_headers, request_pna))


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
