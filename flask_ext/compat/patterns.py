"""How flask-cors 6 reads a value that may hold patterns (``core.sanitize_regex_param``, ``probably_regex``).

A scalar is one entry and an iterable its entries (a set sorted, for a stable
order); ``'*'`` is the regex ``'.*'``; a string is a regex when it holds one of
flask-cors's regex characters, else a literal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["entries", "is_any", "prefix_match", "probably_regex"]

# Global inline flags at the start, which cannot sit inside the (?:...) wrapper.
_LEADING_FLAGS = re.compile(r"(?:\(\?[aiLmsux]+\))+")
# flask-cors's guess: a string holding one of these is a regex (core._REGEX_HINT_CHARS).
_REGEX_HINT_CHARS = frozenset("*\\]?$^[()")


def probably_regex(value: str | re.Pattern[str]) -> bool:
    return isinstance(value, re.Pattern) or not _REGEX_HINT_CHARS.isdisjoint(value)


def _text(item: Any) -> str:
    return item.pattern if isinstance(item, re.Pattern) else str(item)


def entries(value: Any) -> list[Any]:
    """flask-cors's ``ensure_iterable`` then ``re_fix``: scalars become one entry, ``'*'`` is ``'.*'``."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        items = [value]
    else:
        items = sorted(value, key=_text) if isinstance(value, (set, frozenset)) else list(value)
    return [".*" if item == "*" else item for item in items]


def is_any(item: Any) -> bool:
    return item == ".*" or (isinstance(item, re.Pattern) and item.pattern == ".*")


def prefix_match(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A pattern whose full match means flask-cors's ``pattern.match`` (its start): ``(?:P)`` then anything."""
    head = _LEADING_FLAGS.match(pattern.pattern)
    cut = head.end() if head is not None else 0
    tail = "\n" if pattern.flags & re.VERBOSE else ""  # a trailing comment must not swallow ')'
    source = pattern.pattern
    return re.compile(f"{source[:cut]}(?:{source[cut:]}{tail})(?s:.*)", pattern.flags)
