"""Character sets of a parsed regex, for the start-up guard (``regex_safety``).

A set is read off the standard library parser's tree: the code points below 256
it holds, and whether it holds any above. That is exact enough to answer "can
these two parts match the same character?", the one question the guard asks.
Under ``re.IGNORECASE`` (the flag, ``(?i)`` or ``(?i:...)``) every set is
widened to what the engine matches case-insensitively, so ``A+`` and ``a+``
overlap as they do at run time.
"""

from __future__ import annotations

import functools
import importlib
import re
from typing import Any

# The standard library's own regex parser (private, stable since 3.11).
c: Any = importlib.import_module("re._constants")
parser: Any = importlib.import_module("re._parser")

__all__ = ["ALL", "NONE", "Chars", "alphabet", "c", "complement", "first", "folds", "overlap", "parser", "union"]

Chars = tuple[frozenset[int], bool]
NONE: Chars = (frozenset(), False)
ALL: Chars = (frozenset(range(256)), True)
REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT)
POSSESSIVE = getattr(c, "POSSESSIVE_REPEAT", None)
ATOMIC = getattr(c, "ATOMIC_GROUP", None)
_CATEGORIES: dict[Any, Chars] = {
    c.CATEGORY_DIGIT: (frozenset(range(48, 58)), True),
    c.CATEGORY_WORD: (frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"), True),
    c.CATEGORY_SPACE: (frozenset(b" \t\n\r\f\v"), True),
}


def union(a: Chars, b: Chars) -> Chars:
    return (a[0] | b[0], a[1] or b[1])


def overlap(a: Chars, b: Chars) -> bool:
    return bool(a[0] & b[0]) or (a[1] and b[1])


def complement(a: Chars) -> Chars:
    return (ALL[0] - a[0], not a[1])


def folds(fold: bool, av: Any) -> bool:
    """Whether case folding applies inside a group ``(group, add_flags, del_flags, seq)``."""
    return (fold or bool(av[1] & re.IGNORECASE)) and not av[2] & re.IGNORECASE


@functools.cache
def _fold_table() -> tuple[tuple[frozenset[int], ...], frozenset[int]]:
    """Asked of the engine itself, once: for each code point below 256, those below
    256 it matches under IGNORECASE; and those below 256 some code point above matches
    (the Kelvin sign and 'k', the long s and 's', ...)."""
    low = "".join(map(chr, range(256)))
    table = tuple(frozenset(map(ord, re.findall("(?i)" + re.escape(ch), low))) for ch in low)
    high = "".join(map(chr, range(256, 0x110000)))
    hits = set(re.findall("(?i)[\x00-\xff]", high))
    reach = frozenset(ord(m) for h in hits for m in re.findall("(?i)" + re.escape(h), low))
    return table, reach


def _fold(chars: Chars) -> Chars:
    table, reach = _fold_table()
    low = set(chars[0])
    for code in chars[0]:
        low |= table[code]
    if chars[1]:
        low |= reach
    return frozenset(low), chars[1] or bool(chars[0] & reach)


def _literal(code: int, fold: bool) -> Chars:
    chars: Chars = (frozenset([code]), False) if code < 256 else (frozenset(), True)
    return _fold(chars) if fold else chars


def _category(cat: Any) -> Chars:
    for positive, chars in _CATEGORIES.items():
        if cat is positive:
            return chars
    # The negated categories (\D, \W, \S) and the rest: the complement where
    # known, else anything.
    name = str(cat).replace("NOT_", "")
    for positive, chars in _CATEGORIES.items():
        if str(positive) == name:
            return complement(chars)
    return ALL


def _in_set(items: list[tuple[Any, Any]], fold: bool) -> Chars:
    chars: Chars = NONE
    categories: Chars = NONE  # \d, \w, \s: the same with or without IGNORECASE, so never folded
    negate = False
    for op, av in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            chars = union(chars, (frozenset([av]) if av < 256 else frozenset(), av >= 256))
        elif op is c.RANGE:
            lo, hi = av
            chars = union(chars, (frozenset(range(lo, min(hi, 255) + 1)), hi >= 256))
        elif op is c.CATEGORY:
            categories = union(categories, _category(av))
        else:
            chars = ALL
    if fold:
        chars = _fold(chars)
    chars = union(chars, categories)
    return complement(chars) if negate else chars


def char(op: Any, av: Any, fold: bool) -> Chars | None:
    """The characters a one-character item matches, or None if it is not one."""
    if op is c.LITERAL:
        return _literal(av, fold)
    if op is c.NOT_LITERAL:
        return complement(_literal(av, fold))
    if op is c.ANY:
        return ALL
    if op is c.IN:
        return _in_set(av, fold)
    return None


def first(seq: Any, fold: bool) -> tuple[Chars, bool]:
    """The characters a sequence can start with, and whether it can match empty."""
    chars = NONE
    for op, av in seq:
        node, nullable = _first_node(op, av, fold)
        chars = union(chars, node)
        if not nullable:
            return chars, False
    return chars, True


def _first_node(op: Any, av: Any, fold: bool) -> tuple[Chars, bool]:
    single = char(op, av, fold)
    if single is not None:
        return single, False
    if op is c.SUBPATTERN:
        return first(av[-1], folds(fold, av))
    if op is c.BRANCH:
        chars, nullable = NONE, False
        for alt in av[1]:
            alt_chars, alt_nullable = first(alt, fold)
            chars = union(chars, alt_chars)
            nullable = nullable or alt_nullable
        return chars, nullable
    if op in REPEATS or op is POSSESSIVE:
        chars, nullable = first(av[2], fold)
        return chars, nullable or av[0] == 0
    if op is ATOMIC:
        return first(av, fold)
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return NONE, True
    # Back-references, conditionals and anything newer: assume the worst.
    return ALL, True


def alphabet(seq: Any, fold: bool) -> Chars:
    """Every character a sequence can consume, anywhere in it."""
    chars = NONE
    for op, av in seq:
        single = char(op, av, fold)
        if single is not None:
            chars = union(chars, single)
        elif op is c.SUBPATTERN:
            chars = union(chars, alphabet(av[-1], folds(fold, av)))
        elif op is c.BRANCH:
            for alt in av[1]:
                chars = union(chars, alphabet(alt, fold))
        elif op in REPEATS or op is POSSESSIVE:
            chars = union(chars, alphabet(av[2], fold))
        elif op is ATOMIC:
            chars = union(chars, alphabet(av, fold))
        elif op not in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return ALL  # back-references, conditionals: anything
    return chars
