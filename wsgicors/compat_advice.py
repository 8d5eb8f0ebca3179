"""Advice for a peer's origin regex the core's guard refuses: a look-alike it lets in, and the fix.

The core (``wsgicors.regex_safety``) says *why* a pattern is refused; a user
switching from flask-cors or django-cors-headers also wants to see *what* it
would let in and what to write instead, in the peer's vocabulary (a regex
string, which both read with ``re.match``). A look-alike is only shown when the
pattern really matches it (``re.match`` with IGNORECASE, as flask-cors reads
it), preferring one it matches as a whole. :func:`regex_fix` is what both
compat layers show: the advice, if the guard accepts it, else the guard's own
fix with its origin values as regex strings.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Callable, Iterator
from typing import Any

from .compat_fix import regex_literal, translate_fix
from .errors import CORSConfigError
from .origins import ORIGIN_REGEX, is_serialized_origin
from .regex_safety import guard_regex
from .suffixes import registrable_domain

__all__ = ["Advice", "advise", "escape_bare_dots", "port_dropped", "regex_fix", "suffix_lookalike"]

_c: Any = importlib.import_module("re._constants")
_p: Any = importlib.import_module("re._parser")

_WORD = "abcdefghijklmnopqrstuvwxyz0123456789"


class Advice:
    """What to tell the user about one refused pattern."""

    __slots__ = ("compat_fix", "lookalike")

    def __init__(self, lookalike: str | None, compat_fix: str) -> None:
        self.lookalike = lookalike
        self.compat_fix = compat_fix

    def seen(self) -> str:
        """What the pattern lets in, for the problem ('' when no look-alike was found)."""
        return f"; it would let {self.lookalike!r} in" if self.lookalike else ""


def _char_of_set(items: Any) -> str:
    for op, av in items:
        if op is _c.NEGATE:
            return "a"
        if op is _c.LITERAL:
            return chr(av)
        if op is _c.RANGE:
            return chr(av[0])
        if op is _c.CATEGORY:
            return "1" if "DIGIT" in str(av) else "a"
    return "a"


def _example(seq: Any, bare_any: str, in_repeat: bool = False) -> str:
    """A short string the parsed ``seq`` matches; a bare ``.`` stands for ``bare_any``."""
    out: list[str] = []
    for op, av in seq:
        if op is _c.LITERAL:
            out.append(chr(av))
        elif op is _c.NOT_LITERAL:
            out.append("a" if av != ord("a") else "b")
        elif op is _c.ANY:
            out.append("a" if in_repeat else bare_any)
        elif op is _c.IN:
            out.append(_char_of_set(av))
        elif op is _c.CATEGORY:
            out.append("1" if "DIGIT" in str(av) else "a")
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            low, high, body = av
            count = low
            if (low, high) == (0, 1) and len(body) == 1 and body[0][0] is _c.LITERAL and chr(body[0][1]).isalpha():
                count = 1  # 'https?' reads better as 'https'
            out.append(_example(body, bare_any, True) * count)
        elif op is _c.SUBPATTERN:
            out.append(_example(av[-1], bare_any, in_repeat))
        elif op is _c.BRANCH:
            out.append(_example(av[1][0], bare_any, in_repeat))
    return "".join(out)


def _domain(example: str) -> str:
    """The host-looking part of an example match: ``'.*.example.com'`` -> ``'example.com'``."""
    host = example.split("://", 1)[-1]
    host = re.split(r"[:/?#]", host, maxsplit=1)[0]
    return host.strip(".-").lower()


def regex_tokens(regex: str) -> Iterator[tuple[int, str, bool]]:
    r"""A regex's text as ``(index, token, literal)``: a token is one character or an escape (``\.``);
    ``literal`` when it is an escape or part of a character set ``[...]``, so it has no syntax of its own."""
    i, in_set = 0, False
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            yield i, regex[i : i + 2], True
            i += 2
            continue
        literal = in_set or char == "["
        if in_set:
            in_set = char != "]"
        elif char == "[":
            in_set = True
        yield i, char, literal
        i += 1


def escape_bare_dots(pattern: str) -> str:
    r"""``pattern`` with every unescaped ``.`` outside ``[...]`` and not repeated written as ``\.``."""
    out: list[str] = []
    for i, token, literal in regex_tokens(pattern):
        if not literal and token == "." and (i + 1 == len(pattern) or pattern[i + 1] not in "*+?{"):
            token = r"\."
        out.append(token)
    return "".join(out)


def _lookalike(pattern: re.Pattern[str], candidates: list[str]) -> str | None:
    peer = re.compile(pattern.pattern, pattern.flags | re.IGNORECASE)
    matched = [c for c in candidates if is_serialized_origin(c) and peer.match(c)]
    whole = [c for c in matched if peer.fullmatch(c)]
    found = whole or matched
    return found[0] if found else None


def _one_dot_off(example: str) -> list[str]:
    """The example with one bare ``.`` (marked NUL) written as ``-``, each in turn; the rest as dots."""
    spots = [i for i, char in enumerate(example) if char == "\0"]
    dotted = example.replace("\0", ".")
    return [dotted[:i] + "-" + dotted[i + 1 :] for i in spots]


_ANY_PREFIX = re.compile(r"\^?\.[*+](?:\\?\.)?")


def _unescaped_host(text: str) -> str | None:
    """``'example\\.com'`` or ``'example.com'`` -> ``'example.com'``; None if not a plain host."""
    host = text.rstrip("$").replace("\\.", ".").replace("\\-", "-")
    return host.lower() if re.fullmatch(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", host) else None


def advise(pattern: re.Pattern[str], problem: str) -> Advice:
    """Advice for ``pattern``, refused by the core for ``problem``."""
    source = pattern.pattern
    try:
        marked = _example(_p.parse(source, pattern.flags), "\0")
    except Exception:  # pragma: no cover - the pattern compiled, so it parses
        marked = ""
    dotted = marked.replace("\0", ".")
    domain = _domain(dotted)
    if "://" in dotted:
        candidates = _one_dot_off(marked)
    else:
        candidates = ["https://evil" + c for c in _one_dot_off(marked)]
        candidates += ["https://evil" + dotted, "http://evil." + domain, "https://evil." + domain + ":8443"]
    if "backtrack" in problem:
        scheme = dotted.split("://", 1)[0] if "://" in dotted else "https"
        base = registrable_domain(domain) or "example.com"
        return Advice(None, regex_literal(f"{scheme}://([a-z0-9-]+\\.)+{re.escape(base)}"))
    lookalike = _lookalike(pattern, candidates)
    if "://" in source:  # a bare '.'
        fixed = escape_bare_dots(source)
        return Advice(lookalike, regex_literal(fixed))
    prefix = _ANY_PREFIX.match(source)
    host = _unescaped_host(source[prefix.end() :]) if prefix else None
    if host is not None:
        return Advice(lookalike, regex_literal(f"https://([a-z0-9-]+\\.)+{re.escape(host)}"))
    fixed = "https://" + escape_bare_dots(source.lstrip("^"))
    return Advice(lookalike, regex_literal(fixed))


def _prefix_matches(pattern: re.Pattern[str], tails: tuple[str, ...]) -> str | None:
    """An example match plus one of ``tails`` that ``re.match`` accepts and a full match does not."""
    try:
        example = _example(_p.parse(pattern.pattern, pattern.flags), ".")
    except Exception:  # pragma: no cover - the pattern compiled, so it parses
        return None
    peer = re.compile(pattern.pattern, pattern.flags | re.IGNORECASE)
    for tail in tails:
        candidate = example + tail
        if is_serialized_origin(candidate) and peer.match(candidate) and not pattern.fullmatch(candidate):
            return candidate
    return None


def suffix_lookalike(pattern: re.Pattern[str]) -> str | None:
    """An origin flask-cors's ``re.match`` lets through ``pattern`` and a full match does not, if any:
    an example match with an attacker's host appended (``https://app.example.com.evil.example``)."""
    return _prefix_matches(pattern, (".evil.example", "-evil.example"))


def port_dropped(pattern: re.Pattern[str]) -> str | None:
    """An example match with a port, which ``re.match`` accepted and a full match does not."""
    return _prefix_matches(pattern, (":8080",))


def regex_fix(pattern: re.Pattern[str], exc: CORSConfigError, written: Callable[[str], str]) -> tuple[str, str]:
    """(what ``pattern`` lets in, for the problem; the fix) for a pattern the guard refused with ``exc``.

    The fix is "write " + ``written(regex)`` of the advised pattern when the guard
    accepts it; else the guard's own fix, its origin values written by ``written``.
    """
    advice = advise(pattern, exc.problem)
    refused = exc
    try:
        suggested = written(ast.literal_eval(advice.compat_fix))
        guard_regex(re.compile(ast.literal_eval(suggested), re.IGNORECASE), "origins", ORIGIN_REGEX)
    except CORSConfigError as again:  # the advised pattern breaks another rule: that rule's fix instead
        refused = again
    except (ValueError, SyntaxError, re.error):
        pass
    else:
        return advice.seen(), "write " + suggested
    return advice.seen(), translate_fix(refused.fix, lambda name, value: None, written)
