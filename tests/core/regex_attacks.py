"""Adversarial inputs for a regex: the strings that make backtracking engines work hardest.

Built from the pattern's own parse tree, as ReDoS fuzzers do: a prefix that
leads the match to each repeat, the repeat pumped with what its body (or any
character of the pattern) matches, then a character that makes the match fail
late. Every character the pattern names is also tried in long runs, alone and
in pairs. The test decides nothing from timings: it runs these under a hard
limit in a child process (``conftest.run_with_hard_timeout``).
"""

from __future__ import annotations

import importlib
import re
from typing import Any

_c: Any = importlib.import_module("re._constants")
_p: Any = importlib.import_module("re._parser")

__all__ = ["attack_inputs"]

_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None))
#: Characters that end a match late: outside most classes, '.' without DOTALL, Unicode folding.
_MISFITS = ["!", "\n", "\x00", "~", " ", "\u00e9", "\u212a", "#", "%"]
_CATEGORY_SAMPLES = {"DIGIT": "0", "WORD": "a", "SPACE": " "}
_CANDIDATES = "a0A_-./:z9Z" + "".join(_MISFITS)


def _in_set(items: list[tuple[Any, Any]], ch: str) -> bool:
    code = ord(ch)
    hit = False
    negate = False
    for op, av in items:
        if op is _c.NEGATE:
            negate = True
        elif op is _c.LITERAL:
            hit = hit or code == av
        elif op is _c.RANGE:
            hit = hit or av[0] <= code <= av[1]
        elif op is _c.CATEGORY:
            name = str(av).replace("CATEGORY_", "")
            positive = {"DIGIT": r"\d", "WORD": r"\w", "SPACE": r"\s"}.get(name.replace("NOT_", ""), ".")
            inside = re.fullmatch(positive, ch) is not None
            hit = hit or (inside != name.startswith("NOT_"))
    return hit != negate


def _members(op: Any, av: Any) -> list[str]:
    """A few characters a one-character item matches, and a few it does not."""
    if op is _c.LITERAL:
        return [chr(av)]
    if op is _c.NOT_LITERAL:
        return ["a" if av != ord("a") else "b", chr(av)]
    if op is _c.ANY:
        return ["a"]
    if op is _c.IN:
        found = []
        for kind, value in av:
            if kind is _c.LITERAL:
                found.append(chr(value))
            elif kind is _c.RANGE:
                found += [chr(value[0]), chr(value[1])]
            elif kind is _c.CATEGORY:
                found.append(_CATEGORY_SAMPLES.get(str(value).replace("CATEGORY_", ""), "a"))
        inside = [ch for ch in found + list(_CANDIDATES) if _in_set(av, ch)][:4]
        outside = [ch for ch in _CANDIDATES if not _in_set(av, ch)][:2]
        return inside + outside
    return []


_MARK = "\uffff"


def _contains(seq: Any, target: int | None) -> bool:
    """Whether the repeat whose arguments have id ``target`` is somewhere in ``seq``."""
    if target is None:
        return False
    for op, av in seq:
        if op in _REPEATS and op is not None and (id(av) == target or _contains(av[2], target)):
            return True
        if op is _c.SUBPATTERN and _contains(av[-1], target):
            return True
        if op is _c.BRANCH and any(_contains(alt, target) for alt in av[1]):
            return True
        if op is getattr(_c, "ATOMIC_GROUP", None) and _contains(av, target):
            return True
    return False


class _Sampler:
    """Minimal matching text for a tree; with ``pump_id``, the text up to that repeat, then a mark."""

    def __init__(self, pump_id: int | None = None) -> None:
        self.pump_id = pump_id
        self.groups: dict[int, str] = {}
        self.stop = False

    def seq(self, seq: Any) -> str:
        out = []
        for op, av in seq:
            if self.stop:
                break
            out.append(self.item(op, av))
        return "".join(out)

    def item(self, op: Any, av: Any) -> str:
        members = _members(op, av)
        if members:
            return members[0]
        if op is _c.SUBPATTERN:
            text = self.seq(av[-1])
            if av[0] is not None:
                self.groups[av[0]] = text
            return text
        if op is _c.BRANCH:
            chosen = next((alt for alt in av[1] if _contains(alt, self.pump_id)), av[1][0])
            return self.seq(chosen)
        if op in _REPEATS and op is not None:
            if id(av) == self.pump_id:
                self.stop = True  # the rest is left to the caller's pump and tail
                return _MARK
            return "".join(self.seq(av[2]) for _ in range(av[0] if av[0] < 100 else 100))
        if op is _c.GROUPREF:
            return self.groups.get(av, "")
        if op is _c.GROUPREF_EXISTS:
            return self.seq(av[1])
        if op is getattr(_c, "ATOMIC_GROUP", None):
            return self.seq(av)
        return ""  # anchors, lookarounds


def _walk(seq: Any, repeats: list[Any], chars: list[str]) -> None:
    for op, av in seq:
        for ch in _members(op, av):
            if ch not in chars:
                chars.append(ch)
        if op is _c.SUBPATTERN:
            _walk(av[-1], repeats, chars)
        elif op is _c.BRANCH:
            for alt in av[1]:
                _walk(alt, repeats, chars)
        elif op in _REPEATS and op is not None:
            if av[0] != av[1]:
                repeats.append(av)
            _walk(av[2], repeats, chars)
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            _walk(av, repeats, chars)
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            _walk(av[1], repeats, chars)
        elif op is _c.GROUPREF_EXISTS:
            for alt in av[1:]:
                if alt is not None:
                    _walk(alt, repeats, chars)


def attack_inputs(pattern: re.Pattern[str], length: int) -> list[str]:
    """Strings of at most ``length`` characters, shaped to make ``pattern`` backtrack."""
    tree = _p.parse(pattern.pattern, pattern.flags)
    repeats: list[Any] = []
    chars: list[str] = []
    _walk(tree, repeats, chars)
    for ch in _MISFITS:
        if ch not in chars:
            chars.append(ch)
    whole = _Sampler().seq(tree)
    literal_prefix = ""
    for op, av in tree:
        if op is not _c.LITERAL:
            break
        literal_prefix += chr(av)
    tails = ["", *_MISFITS[:4]]
    found: list[str] = [whole]

    def add(prefix: str, unit: str, tail: str) -> None:
        if unit:
            room = length - len(prefix) - len(tail)
            text = prefix + unit * max(room // len(unit), 1) + tail
            found.append(text[:length])

    for av in repeats:
        text = _Sampler(id(av)).seq(tree)
        if _MARK not in text:
            continue
        prefix = text.split(_MARK)[0]
        body = _Sampler().seq(av[2])
        for pump in dict.fromkeys([body, *(ch for op, item in av[2] for ch in _members(op, item))]):
            for tail in tails:
                add(prefix, pump, tail)
    for prefix in {"", literal_prefix}:
        for a in chars:
            for tail in tails:
                add(prefix, a, tail)
        for a in chars[:10]:
            for b in chars[:10]:
                if a != b:
                    add(prefix, a + b, "!")
                    add(prefix, a + b, "\n")
    return list(dict.fromkeys(found))
