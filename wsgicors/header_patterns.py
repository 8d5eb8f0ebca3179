"""Header-name patterns in ``headers``: compiled ``re.Pattern`` entries beside the listed names.

A ``headers`` list holding a pattern cannot be sent as one fixed
Access-Control-Allow-Headers value, so such a policy answers a preflight with
the requested names it allows (a listed name, or one a pattern full-matches,
case-insensitively: header names are case-insensitive), in the request's
casing, and nothing when none is allowed (flask-cors's ``allow_headers``
patterns). Patterns go through the same start-up guard as every user regex; a
header name is a token of at most 128 characters, so a quadratic chain is
cheap and the origins' budget applies to that length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .regex_chain import Budget
from .regex_safety import RegexUse, guard_regex
from .tokens import is_token

__all__ = ["HEADER_REGEX", "allowed_request_headers", "split_header_entries"]

#: Header names: at most 128 characters (``tokens.is_token``), so quadratic chains stay cheap.
HEADER_REGEX = RegexUse("header name", Budget(128))


def split_header_entries(value: object) -> tuple[object, tuple[re.Pattern[str], ...] | None]:
    """``headers`` without its patterns, and the patterns (guarded, case-insensitive); None when there are none."""
    if not isinstance(value, (list, tuple, set, frozenset)) or not any(isinstance(v, re.Pattern) for v in value):
        return value, None
    names: list[object] = []
    patterns: list[re.Pattern[str]] = []
    for entry in value:
        if isinstance(entry, re.Pattern):
            guarded = guard_regex(entry, "headers", HEADER_REGEX)
            patterns.append(re.compile(guarded.pattern, guarded.flags | re.IGNORECASE))
        else:
            names.append(entry)
    return names, tuple(patterns)


def allowed_request_headers(
    request_headers: str, names: Iterable[str], literal: frozenset[str], patterns: tuple[re.Pattern[str], ...]
) -> tuple[list[str], list[str]]:
    """The requested names allowed (as the request spelt them) and those refused.

    ``names`` are the lower-case names ``tokens.parse_request_headers`` read
    from ``request_headers``, in the same order as its non-empty items.
    """
    spelt = (item.strip(" \t") for item in request_headers.split(","))
    allowed: list[str] = []
    refused: list[str] = []
    for name, as_sent in zip(names, (item for item in spelt if item), strict=False):
        if is_token(as_sent) and (name in literal or any(p.fullmatch(as_sent) for p in patterns)):
            allowed.append(as_sent)
        else:
            refused.append(name)
    return allowed, refused
