"""HTTP token syntax: methods and header names, and the parsing of request lists."""

from __future__ import annotations

import re

__all__ = [
    "MAX_REQUEST_HEADERS_LENGTH",
    "MAX_REQUEST_HEADERS_COUNT",
    "is_token",
    "parse_request_headers",
]

# RFC 9110 section 5.6.2: token = 1*tchar.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_is_token = _TOKEN.fullmatch
# What browsers send: lower-case names joined by bare commas. Taken as is.
_CANONICAL_LIST = re.compile(r"[a-z0-9!#$%&'*+.^_`|~-]+(?:,[a-z0-9!#$%&'*+.^_`|~-]+)*").fullmatch

# Bounds for Access-Control-Request-Headers: a browser sends a short list, so a
# long value is refused before it is split (rs/cors#170: comma floods).
MAX_REQUEST_HEADERS_LENGTH = 2048
MAX_REQUEST_HEADERS_COUNT = 64


def is_token(value: str) -> bool:
    """True if ``value`` is one HTTP token (a method or a header name)."""
    return len(value) <= 128 and _is_token(value) is not None


def parse_request_headers(value: str) -> tuple[str, ...] | None:
    """Split Access-Control-Request-Headers into lower-case names, or None if malformed.

    Empty items (``a,,b``, as gateways that join split lines produce) are skipped;
    anything that is not a token makes the whole value malformed.
    """
    if len(value) > MAX_REQUEST_HEADERS_LENGTH:
        return None
    if _CANONICAL_LIST(value) is not None and value.count(",") < MAX_REQUEST_HEADERS_COUNT:
        return tuple(value.split(","))
    names: list[str] = []
    for item in value.split(","):
        item = item.strip(" \t")
        if not item:
            continue
        if _is_token(item) is None or len(names) >= MAX_REQUEST_HEADERS_COUNT:
            return None
        names.append(item.lower())
    return tuple(names)
