"""The decision function: (policy, request) -> Decision. Pure: no I/O, no framework."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from .decision import Decision, Kind, make_decision
from .origins import is_serialized_origin
from .policy import ACAH, ACAM, ACAPN, Policy
from .tokens import is_token, parse_request_headers

__all__ = ["decide", "decide_request", "evaluate", "explain", "logger", "routing_method", "select_policy"]

#: Denials and left-out headers are explained here, at DEBUG.
logger = logging.getLogger("wsgicors")

_NOT_COVERED = make_decision(Kind.NOT_CORS)
_ALLOW_PNA = ((ACAPN, "true"),)


def routing_method(environ: Mapping[str, Any]) -> str:
    """The method a request is routed by: for a preflight, the
    Access-Control-Request-Method it asks about, not OPTIONS; else REQUEST_METHOD.

    Doors that pick a policy by their framework's routing use it too, so a
    preflight gets the policy of the view that will serve the actual request.
    """
    method: str = environ.get("REQUEST_METHOD", "GET")
    if method == "OPTIONS" and environ.get("HTTP_ORIGIN"):
        return environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD") or method
    return method


def select_policy(policy: Policy, environ: Mapping[str, Any]) -> Policy | None:
    """The policy that governs this request: the first matching route's, or None."""
    if policy.routes is None:
        return policy
    method = routing_method(environ)
    path = environ.get("PATH_INFO", "")
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    for route in policy.routes:
        if route.matches(path, method, host):
            return route.policy
    return None


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
    origin: str = environ.get("HTTP_ORIGIN")  # type: ignore[assignment]  # or None: looked up below
    if origin and environ["REQUEST_METHOD"] == "OPTIONS":
        request_method = environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD")
        if request_method:
            return _preflight(policy, origin, request_method, environ)
    # No Origin, an empty one (absent, as in Kong), or an exact allowed origin.
    decision = policy.actual_by_origin.get(origin)
    if decision is not None:
        return decision
    if policy.any_actual is not None:
        return policy.any_actual
    if policy.matcher.dynamic and _allowed(policy, origin, environ):
        return policy.actual_answer(origin)
    return policy.denied


def _allowed(policy: Policy, origin: str, environ: Mapping[str, Any]) -> bool:
    try:
        return policy.matcher.match(origin, environ)
    except Exception:
        # A raising origin check denies; it never becomes a 500 (pitfalls #40).
        logger.exception("CORS origin check raised for origin %r; denying", origin)
        return False


def _preflight(policy: Policy, origin: str, request_method: str, environ: Mapping[str, Any]) -> Decision:
    static = policy.preflight_by_origin.get("*" if policy.matcher.any else origin)
    if static is not None and request_method in policy.methods:  # type: ignore[operator]  # static: listed
        request_headers = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS")
        if not request_headers:
            return static
        names = parse_request_headers(request_headers)
        if names is not None and policy.allowed_headers.issuperset(names):  # type: ignore[union-attr]
            return static
    if policy.matcher.any:
        allow_origin = "*"
    elif origin in policy.matcher.exact or (policy.matcher.dynamic and _allowed(policy, origin, environ)):
        allow_origin = origin
    else:
        return policy.denied_preflight
    # An allowed origin gets the full answer even when it asks for more than the
    # policy gives: the browser then names the method or header at fault.
    notes: list[str] = []
    methods = policy.preflight_methods
    if policy.methods is None:
        # Fetch, "CORS-preflight fetch": ACRM is one method token.
        if is_token(request_method):
            methods = ((ACAM, request_method),)
        else:
            notes.append(f"Access-Control-Request-Method {request_method!r} is not one method; methods left out")
    elif request_method not in policy.methods:
        notes.append(f"method {request_method!r} is not in methods")
    headers = policy.preflight_headers
    request_headers = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS")
    if request_headers:
        names = parse_request_headers(request_headers)
        if names is None:
            notes.append(f"Access-Control-Request-Headers {request_headers!r} is malformed; not echoed")
        elif policy.allowed_headers is None:
            if names:
                headers = ((ACAH, ", ".join(names)),)
        elif not policy.allowed_headers.issuperset(names):
            refused = [name for name in names if name not in policy.allowed_headers]
            notes.append(f"headers {refused!r} are not in headers")
    pna = (
        _ALLOW_PNA
        if policy.private_network and environ.get("HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK") == "true"
        else ()
    )
    return policy.preflight_answer(allow_origin, methods, headers, pna, "; ".join(notes) if notes else None)


def explain(decision: Decision, environ: Mapping[str, Any]) -> None:
    """Log why a request was denied or a header left out, at DEBUG, values escaped."""
    if decision.reason is None or not logger.isEnabledFor(logging.DEBUG):
        return
    origin = environ.get("HTTP_ORIGIN")
    logger.debug(
        "CORS %s: %s (origin %r%s, %s %r)",
        decision.kind.value,
        decision.reason,
        origin,
        "" if origin is None or is_serialized_origin(origin) else ", not a serialised origin",
        environ.get("REQUEST_METHOD"),
        environ.get("PATH_INFO"),
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
