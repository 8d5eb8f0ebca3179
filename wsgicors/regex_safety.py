"""Start-up checks for user-supplied origin regexes.

Two refusals, both read off the tree of the standard library's own regex parser:

* catastrophic backtracking: an unbounded repeat whose body holds another
  unbounded repeat that can also match what follows it inside the body (or the
  body's start on the next round), as in ``(a+)+`` or ``([a-z0-9-]+\\.?)+``.
  A body whose inner repeat is fenced by a literal it cannot match
  (``([a-z0-9-]+\\.)*``) passes, and so do bounded repeats (``(.*[./])?``).
* patterns that cannot be read as a whole origin: one that does not start with
  a literal scheme and ``://`` (Kong's host-only regexes let ``http://`` through
  a rule meant for ``https://``), and a bare ``.`` outside any repeat, which is
  nearly always a dot someone forgot to escape (``(www|api).example.com``
  full-matches ``wwwaexampleacom``).
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# The standard library's own regex parser (private, stable since 3.11).
_c: Any = importlib.import_module("re._constants")
_p: Any = importlib.import_module("re._parser")

__all__ = ["UnsafeRegex", "check_origin_regex"]

_MAXREPEAT = _c.MAXREPEAT
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT)
_SEPARATOR = [(_c.LITERAL, ord(":")), (_c.LITERAL, ord("/")), (_c.LITERAL, ord("/"))]
# Upper case too: with re.IGNORECASE an upper-case scheme matches what browsers send.
_SCHEME_CHARS = frozenset(map(ord, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-."))

# A set of characters: the code points below 256 it holds, and whether it holds
# any code point above. Exact enough to decide "can these two overlap?".
_Chars = tuple[frozenset[int], bool]
_NONE: _Chars = (frozenset(), False)
_ALL: _Chars = (frozenset(range(256)), True)
_CATEGORIES: dict[Any, _Chars] = {
    _c.CATEGORY_DIGIT: (frozenset(range(48, 58)), True),
    _c.CATEGORY_WORD: (
        frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"),
        True,
    ),
    _c.CATEGORY_SPACE: (frozenset(b" \t\n\r\f\v"), True),
}


class UnsafeRegex(ValueError):
    """Raised with a human-readable reason and a fix."""

    def __init__(self, problem: str, fix: str) -> None:
        self.problem = problem
        self.fix = fix
        super().__init__(problem)


def _union(a: _Chars, b: _Chars) -> _Chars:
    return (a[0] | b[0], a[1] or b[1])


def _overlap(a: _Chars, b: _Chars) -> bool:
    return bool(a[0] & b[0]) or (a[1] and b[1])


def _complement(a: _Chars) -> _Chars:
    return (_ALL[0] - a[0], not a[1])


def _category(cat: Any) -> _Chars:
    for positive, chars in _CATEGORIES.items():
        if cat is positive:
            return chars
    # The negated categories (\D, \W, \S) and the rest: take the complement
    # where known, else assume anything.
    name = str(cat).replace("NOT_", "")
    for positive, chars in _CATEGORIES.items():
        if str(positive) == name:
            return _complement(chars)
    return _ALL


def _in_set(items: list[tuple[Any, Any]]) -> _Chars:
    chars: _Chars = _NONE
    negate = False
    for op, av in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            chars = _union(chars, (frozenset([av]) if av < 256 else frozenset(), av >= 256))
        elif op is _c.RANGE:
            lo, hi = av
            chars = _union(chars, (frozenset(range(lo, min(hi, 255) + 1)), hi >= 256))
        elif op is _c.CATEGORY:
            chars = _union(chars, _category(av))
        else:
            chars = _ALL
    return _complement(chars) if negate else chars


def _first(seq: Any) -> tuple[_Chars, bool]:
    """The characters a sequence can start with, and whether it can match empty."""
    chars = _NONE
    for op, av in seq:
        node, nullable = _first_node(op, av)
        chars = _union(chars, node)
        if not nullable:
            return chars, False
    return chars, True


def _first_node(op: Any, av: Any) -> tuple[_Chars, bool]:
    if op is _c.LITERAL:
        return (frozenset([av]) if av < 256 else frozenset(), av >= 256), False
    if op is _c.NOT_LITERAL:
        return _complement((frozenset([av]) if av < 256 else frozenset(), False)), False
    if op is _c.ANY:
        return _ALL, False
    if op is _c.IN:
        return _in_set(av), False
    if op is _c.SUBPATTERN:
        return _first(av[-1])
    if op is _c.BRANCH:
        chars, nullable = _NONE, False
        for alt in av[1]:
            alt_chars, alt_nullable = _first(alt)
            chars = _union(chars, alt_chars)
            nullable = nullable or alt_nullable
        return chars, nullable
    if op in _REPEATS or op is getattr(_c, "POSSESSIVE_REPEAT", None):
        chars, nullable = _first(av[2])
        return chars, nullable or av[0] == 0
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _first(av)
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return _NONE, True
    # Back-references, conditionals and anything newer: assume the worst.
    return _ALL, True


_BACKTRACK_FIX = (
    "fence the inner repeat with a character it cannot match "
    r"(e.g. ([a-z0-9-]+\.)*), or use a wildcard origin such as "
    "'https://*.example.com'"
)
_POSSESSIVE = getattr(_c, "POSSESSIVE_REPEAT", None)
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)


def _scan(seq: Any, follow: _Chars, in_loop: bool) -> None:
    """Walk ``seq``; ``follow`` is what may come right after it.

    A repeat that can run more than once is a loop, bounded or not (``(a+){2,9}``
    backtracks like ``(a+)+``). Inside a loop, any part of variable length (a
    repeat, an alternation) that could also match what follows it makes the
    loop ambiguous, and ambiguous loops backtrack exponentially.
    """
    items = list(seq)
    _check_chain(items)
    for i, (op, av) in enumerate(items):
        rest, rest_nullable = _first(items[i + 1 :])
        after = _union(rest, follow) if rest_nullable else rest
        if op in _REPEATS:
            low, high, body = av
            body_first, _ = _first(body)
            if in_loop and low != high and _overlap(body_first, after):
                raise UnsafeRegex("nested unbounded repeats can backtrack catastrophically", _BACKTRACK_FIX)
            if high == _MAXREPEAT or high > 1:
                # Inside the loop, the body's end is followed by its own start.
                _scan(body, body_first, True)
            else:
                _scan(body, after, in_loop)
        elif op is _POSSESSIVE or op is _ATOMIC:
            # Never backtracked into once matched, but backtracks within itself.
            _scan(av[2] if op is _POSSESSIVE else av, _NONE, in_loop)
        elif op is _c.ASSERT or op is _c.ASSERT_NOT:
            _scan(av[1], _NONE, in_loop)
        elif op is _c.SUBPATTERN:
            _scan(av[-1], after, in_loop)
        elif op is _c.BRANCH:
            if in_loop:
                _check_branch(av[1], after)
            for alt in av[1]:
                _scan(alt, after, in_loop)
        elif op is _c.GROUPREF_EXISTS:
            for alt in av[1:]:
                if alt is not None:
                    _scan(alt, after, in_loop)
        elif op is _c.ANY and not in_loop:
            raise UnsafeRegex(
                "a bare '.' matches any character, not only a dot",
                r"escape it as '\.' (or write '.*' / '.+' if any characters are meant)",
            )


#: Longest chain of unbounded repeats allowed in a row: ``.*\..*\..*`` is
#: cubic, which the origin length cap keeps fast; a longer chain is not.
MAX_REPEAT_CHAIN = 3


def _check_chain(items: list[Any]) -> None:
    r"""Refuse a chain of more than MAX_REPEAT_CHAIN unbounded repeats in a row.

    Repeats are chained while nothing between them fences them apart: a
    single-character item that the repeats can also match does not fence
    (``.*\..*``), one they cannot match does (``[a-z]+-[a-z]+``). Each link
    multiplies the ways to split the text: a chain of k is O(n**k).
    """
    length = 0
    chars: _Chars = _NONE
    for op, av in items:
        if op in _REPEATS and av[1] == _MAXREPEAT:
            body, _ = _first(av[2])
            length = length + 1 if length and _overlap(body, chars) else 1
            chars = _union(chars, body) if length > 1 else body
            if length > MAX_REPEAT_CHAIN:
                raise UnsafeRegex(
                    f"{length} unbounded repeats in a row can each take any share of the text, "
                    "which backtracks polynomially (O(n**k))",
                    "fence them with characters they cannot match, or use a wildcard origin "
                    "such as 'https://*.example.com'",
                )
        elif op in (_c.LITERAL, _c.IN, _c.ANY, _c.NOT_LITERAL, *_REPEATS) and length:
            # A character (or a bounded run of them) the chain can also match.
            between, _ = _first_node(op, av)
            if not _overlap(between, chars):
                length, chars = 0, _NONE
        elif op is not _c.AT:
            length, chars = 0, _NONE


def _check_branch(alternatives: Any, after: _Chars) -> None:
    """In a loop, alternatives that can match the same text make it ambiguous.

    The parser has already factored out common prefixes (``(a|aa)`` is
    ``a(|a)``), so overlapping starts, two empty alternatives, or an empty one
    beside one that could also match what follows are real ambiguities.
    """
    seen: _Chars = _NONE
    nullable_seen = False
    for alt in alternatives:
        first, nullable = _first(alt)
        if _overlap(first, seen) or (nullable and nullable_seen):
            break
        seen = _union(seen, first)
        nullable_seen = nullable_seen or nullable
    else:
        if not (nullable_seen and _overlap(seen, after)):
            return
    raise UnsafeRegex(
        "alternatives inside a repeat can match the same text, which backtracks catastrophically",
        "make each alternative start with a different character, or use a wildcard origin "
        "such as 'https://*.example.com'",
    )


def _scheme_only(seq: Any) -> bool:
    """True if ``seq`` can only match a bounded run of scheme characters."""
    for op, av in seq:
        if op is _c.LITERAL:
            if av not in _SCHEME_CHARS:
                return False
        elif op is _c.SUBPATTERN:
            if not _scheme_only(av[-1]):
                return False
        elif op is _c.BRANCH:
            if not all(_scheme_only(alt) for alt in av[1]):
                return False
        elif op in _REPEATS:
            if av[1] == _MAXREPEAT or not _scheme_only(av[2]):
                return False
        elif not (op is _c.AT and av is _c.AT_BEGINNING):
            return False
    return True


def _starts_with_scheme(seq: Any, prefixed: bool = False) -> bool:
    """True if every way through ``seq`` starts with scheme characters and ``://``."""
    items = list(seq)
    for i, (op, av) in enumerate(items):
        if items[i : i + 3] == _SEPARATOR:
            return (prefixed or i > 0) and _scheme_only(items[:i])
        if (op is _c.BRANCH or op is _c.SUBPATTERN) and not _scheme_only([(op, av)]):
            alternatives = av[1] if op is _c.BRANCH else [av[-1]]
            head = prefixed or i > 0
            return _scheme_only(items[:i]) and all(_starts_with_scheme(alt, head) for alt in alternatives)
    return False


def check_origin_regex(pattern: re.Pattern[str]) -> None:
    """Raise :class:`UnsafeRegex` if ``pattern`` is unfit to match origins."""
    tree = _p.parse(pattern.pattern, pattern.flags)
    if not _starts_with_scheme(tree):
        raise UnsafeRegex(
            "an origin regex must start with a literal scheme and '://', "
            "or it lets other schemes and ports through",
            r"write the whole origin, e.g. '~https://([a-z0-9-]+\.)*example\.com'",
        )
    _scan(tree, _NONE, False)
