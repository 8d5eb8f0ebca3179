"""The preflight answer built per request: echoing and checking what the preflight asks for.

Fetch Standard, section 4.8 ("CORS-preflight fetch"): the browser checks the
requested method and header names against Access-Control-Allow-Methods and
-Headers. A pure function of the policy and the request's values, so its
answer may be remembered (:mod:`wsgicors.memo`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .decision import Decision
from .header_patterns import allowed_request_headers
from .protocol import ACAH, ACAM, ACAPN
from .shown import shown
from .tokens import is_token, parse_request_headers

if TYPE_CHECKING:
    from .policy import Policy

__all__ = ["build_preflight"]

_ALLOW_PNA = ((ACAPN, "true"),)


def build_preflight(
    policy: Policy,
    allow_origin: str,
    request_method: str,
    request_headers: str | None,
    request_private_network: str | None,
) -> Decision:
    """The full answer to a preflight from an allowed origin (``allow_origin``: '*' or the origin).

    An allowed origin gets the full answer even when it asks for more than the
    policy gives: the browser then names the method or header at fault, and
    the answer's ``reason`` says which one.
    """
    answers = policy.answers
    notes: list[str] = []
    methods = answers.preflight_methods
    if policy.methods is None:
        # Fetch, "CORS-preflight fetch": ACRM is one method token.
        if is_token(request_method):
            methods = ((ACAM, request_method),)
        else:
            notes.append(f"Access-Control-Request-Method {shown(request_method)} is not one method; methods left out")
    elif request_method not in policy.methods:
        notes.append(f"method {shown(request_method)} is not in methods")
    headers = answers.preflight_headers
    if request_headers:
        names = parse_request_headers(request_headers)
        if names is None:
            notes.append(f"Access-Control-Request-Headers {shown(request_headers)} is malformed; not echoed")
        elif policy.allowed_headers is None:
            if names:
                headers = ((ACAH, ", ".join(names)),)
        elif policy.header_patterns is not None:  # the requested names allowed, as sent; nothing if none
            allowed, refused = allowed_request_headers(
                request_headers, names, policy.allowed_headers, policy.header_patterns
            )
            if allowed:
                headers = ((ACAH, ", ".join(allowed)),)
            if refused:
                notes.append(f"headers {shown(refused)} are not in headers")
        elif not policy.allowed_headers.issuperset(names):
            refused = [name for name in names if name not in policy.allowed_headers]
            notes.append(f"headers {shown(refused)} are not in headers")
    pna = _ALLOW_PNA if policy.private_network and request_private_network == "true" else ()
    return answers.preflight(allow_origin, methods, headers, pna, "; ".join(notes) if notes else None)
