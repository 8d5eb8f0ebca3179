r"""The one start-up guard every user regex goes through (origins and route paths).

:func:`guard_regex` compiles a ``"~regex"`` string (or takes a ``re.Pattern``)
and refuses, with a :class:`CORSConfigError` naming the option, what could make
a request slow or match what the user did not mean, reading the tree of the
standard library's own regex parser:

* exponential backtracking: an unbounded repeat whose body holds another
  variable part that can also match what follows it inside the body (or the
  body's start on the next round), as in ``(a+)+`` or ``([a-z0-9-]+\.?)+``. A
  body whose inner repeat is fenced by a literal it cannot match
  (``([a-z0-9-]+\.)*``) passes, and so do bounded parts such as ``(.*[./])?``;
* polynomial backtracking: chains of repeats in a row over the budget of the
  use (``regex_chain``): quadratic at most for origins, whose length is
  capped before any matching, linear for paths, which can be long;
* nesting deeper than :data:`MAX_NESTING` (the parser would recurse out);
* for origins, patterns that cannot be read as a whole origin: one that does
  not start with a literal scheme and ``://`` (Kong's host-only regexes let
  ``http://`` through a rule meant for ``https://``), and a bare ``.`` outside
  any repeat, nearly always a dot someone forgot to escape.

Case-insensitive patterns (``re.I``, ``(?i)``, ``(?i:...)``) are judged by what
they match case-insensitively.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from .errors import CORSConfigError
from .regex_chain import MAX_SPLITS, Budget, ChainTooLong, check_chains
from .regex_chars import ATOMIC, NONE, POSSESSIVE, REPEATS, Chars, c, first, folds, overlap, parser, union
from .regex_cost import check_length, check_total_cost, pattern_size
from .regex_origin import OriginShapeError, check_origin_shape

__all__ = ["MAX_NESTING", "PATH_REGEX", "RegexUse", "guard_regex", "guard_regex_cost"]

#: Deepest nesting of groups a user regex may have.
MAX_NESTING = 64

_MAXREPEAT = c.MAXREPEAT
_SEPARATOR = [(c.LITERAL, ord(":")), (c.LITERAL, ord("/")), (c.LITERAL, ord("/"))]
# Upper case too: with re.IGNORECASE an upper-case scheme matches what browsers send.
_SCHEME_CHARS = frozenset(map(ord, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-."))
_VERBOSE_START = re.compile(r"\(\?[aiLmsu]*x")


class RegexUse(NamedTuple):
    """What a user regex is matched against, which decides what the guard refuses."""

    #: ``"origin"`` or ``"path"``, for the messages.
    subject: str
    #: What its chains of repeats may cost (see ``regex_chain.Budget``).
    budget: Budget
    #: True for origins: a literal scheme and ``://`` first, no bare ``.``.
    whole_origin: bool = False


#: Route paths: no length bound, so every accepted pattern matches in linear time.
PATH_REGEX = RegexUse("path", Budget(None))


class _Unsafe(Exception):
    def __init__(self, problem: str, fix: str) -> None:
        self.problem = problem
        self.fix = fix
        super().__init__(problem)


def guard_regex(entry: str | re.Pattern[str], option: str, use: RegexUse) -> re.Pattern[str]:
    """The compiled pattern of a ``"~regex"`` string or a ``re.Pattern``, once found safe.

    Raises :class:`CORSConfigError` naming ``option``, the entry and a fix.
    """
    return guard_regex_cost(entry, option, use)[0]


def guard_regex_cost(entry: str | re.Pattern[str], option: str, use: RegexUse) -> tuple[re.Pattern[str], int]:
    """:func:`guard_regex`, and what one match may cost (``regex_cost``), for a policy's total."""
    text = entry[1:] if isinstance(entry, str) else entry.pattern
    flags = entry.flags if isinstance(entry, re.Pattern) else 0
    if not isinstance(text, str):
        raise CORSConfigError(option, entry, f"a bytes pattern cannot match {use.subject}s", "use a str pattern")
    try:
        if _nesting(text, bool(flags & re.VERBOSE)) > MAX_NESTING:
            raise RecursionError
        check_length(option, entry, text, use.subject)
        pattern = re.compile(text) if isinstance(entry, str) else entry
        tree = parser.parse(text, pattern.flags)
        cost = _check(tree, bool(tree.state.flags & re.IGNORECASE), use) + pattern_size(tree, use.budget.bound)
        if use.whole_origin:
            check_total_cost(option, entry, [(entry, cost)], use.subject)  # before the costlier shape check
            check_origin_shape(tree, bool(tree.state.flags & re.IGNORECASE), pattern)
    except re.error as exc:
        raise CORSConfigError(option, entry, f"invalid regular expression ({exc})", "fix the pattern") from None
    except RecursionError:
        raise CORSConfigError(
            option,
            entry,
            f"groups nested more than {MAX_NESTING} deep",
            "flatten the pattern (a wildcard origin or a path prefix often says the same)",
        ) from None
    except (_Unsafe, OriginShapeError) as exc:
        raise CORSConfigError(option, entry, exc.problem, exc.fix) from None
    return pattern, cost


def _nesting(text: str, verbose: bool) -> int:
    """How deep groups nest in a pattern's source (read before the recursive parser runs)."""
    verbose = verbose or _VERBOSE_START.match(text) is not None
    depth = deepest = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 1
        elif ch == "[":
            i += 2 if text.startswith("^", i + 1) else 1
            i += 1 if text.startswith("]", i + 1) else 0
            while i + 1 < n and text[i + 1] != "]":
                i += 2 if text[i + 1] == "\\" else 1
            i += 1
        elif text.startswith("(?#", i):
            close = text.find(")", i)
            i = n if close < 0 else close
        elif ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth -= 1
        elif ch == "#" and verbose:
            close = text.find("\n", i)
            i = n if close < 0 else close
        i += 1
    return deepest


def _check(tree: Any, fold: bool, use: RegexUse) -> int:
    if use.whole_origin and not _starts_with_scheme(tree):
        raise _Unsafe(
            "an origin regex must start with a literal scheme and '://', or it lets other schemes and ports through",
            r"write the whole origin, e.g. r'~https://([a-z0-9-]+\.)*example\.com'",
        )
    _Scan(use).seq(tree, NONE, False, fold)
    try:
        return check_chains(_without_any_tail(tree), fold, use.budget)
    except ChainTooLong as exc:
        raise _chain_error(exc, use) from None


def _any_repeat(item: Any, dotall: bool) -> bool:
    """True for ``(?s:.*)``: a repeat from zero of any character at all."""
    op, av = item
    if op is c.SUBPATTERN:
        add, remove, body = av[1], av[2], av[-1]
        dotall = (dotall or bool(add & re.DOTALL)) and not remove & re.DOTALL
        return len(body) == 1 and _any_repeat(body[0], dotall)
    if op in REPEATS and op is not POSSESSIVE:
        low, high, body = av
        return low == 0 and high == _MAXREPEAT and dotall and list(body) == [(c.ANY, None)]
    return False


def _without_any_tail(tree: Any) -> Any:
    """``tree`` without a last ``(?s:.*)``: matched to the end of the text at its first try, it never
    sends the engine back into the repeats before it, so it adds no chain (``(?:P)(?s:.*)``, how
    a start-anchored ``re.match`` pattern is written as a full match, costs what ``P`` costs)."""
    items = list(tree)
    if items and _any_repeat(items[-1], bool(tree.state.flags & re.DOTALL)):
        return parser.SubPattern(tree.state, items[:-1])
    return tree


def _chain_error(exc: ChainTooLong, use: RegexUse) -> _Unsafe:
    bound = use.budget.bound
    cost = f"O(n**{exc.unbounded})" if exc.unbounded else "a constant"
    if exc.ways > 1:
        cost += f" times {exc.ways} ways for the bounded ones"
    if bound is None:
        return _Unsafe(
            f"{exc.links} repeats in a row can each take any share of the text: matching a long "
            f"{use.subject} costs {cost}, and a {use.subject} regex must match in linear time "
            f"(one unbounded repeat per stretch, beside bounded ones of at most {use.budget.factor} "
            f"lengths; bounded ones alone, {MAX_SPLITS} ways)",
            "fence the repeats with a character they cannot match, e.g. '[^/]*' for one path segment",
        )
    return _Unsafe(
        f"{exc.links} repeats in a row can each take any share of the text, which backtracks "
        f"polynomially: {cost}, more than {MAX_SPLITS} ways to split a {bound}-character {use.subject}",
        "fence them with characters they cannot match, or use a wildcard origin such as 'https://*.example.com'",
    )


_BACKTRACK_FIX = (
    "fence the inner repeat with a character it cannot match "
    r"(e.g. ([a-z0-9-]+\.)*), or use a wildcard origin such as "
    "'https://*.example.com'"
)
_PATH_BACKTRACK_FIX = r"fence the inner repeat with a character it cannot match (e.g. ([a-z0-9-]+/)*)"


class _Scan:
    """The exponential half: ambiguous loops."""

    def __init__(self, use: RegexUse) -> None:
        self.use = use
        self.fix = _BACKTRACK_FIX if use.whole_origin else _PATH_BACKTRACK_FIX

    def seq(self, seq: Any, follow: Chars, in_loop: bool, fold: bool) -> None:
        """Walk ``seq``; ``follow`` is what may come right after it.

        A repeat that can run more than once is a loop, bounded or not (``(a+){2,9}``
        backtracks like ``(a+)+``). Inside a loop, any part of variable length (a
        repeat, an alternation) that could also match what follows it makes the
        loop ambiguous, and ambiguous loops backtrack exponentially.
        """
        items = list(seq)
        for i, (op, av) in enumerate(items):
            rest, rest_nullable = first(items[i + 1 :], fold)
            after = union(rest, follow) if rest_nullable else rest
            # Possessive repeats and atomic groups are judged as their plain forms:
            # once matched they are never backtracked into, but a loop still retries
            # them at every round, and a long scan that ends short is paid each time.
            if op in REPEATS or op is POSSESSIVE:
                low, high, body = av
                body_first, body_nullable = first(body, fold)
                # In a loop, a variable part that can also match what follows, or
                # match empty in two ways (``(-*)?``), doubles the ways every round.
                if in_loop and low != high and (body_nullable or overlap(body_first, after)):
                    raise _Unsafe("nested unbounded repeats can backtrack catastrophically", self.fix)
                if high == _MAXREPEAT or high > 1:
                    # Inside the loop, the body's end is followed by its own start.
                    self.seq(body, body_first, True, fold)
                else:
                    self.seq(body, after, in_loop, fold)
            elif op is ATOMIC:
                self.seq(av, after, in_loop, fold)
            elif op is c.ASSERT or op is c.ASSERT_NOT:
                self.seq(av[1], NONE, in_loop, fold)
            elif op is c.SUBPATTERN:
                self.seq(av[-1], after, in_loop, folds(fold, av))
            elif op is c.BRANCH:
                if in_loop:
                    self.branch(av[1], after, fold)
                for alt in av[1]:
                    self.seq(alt, after, in_loop, fold)
            elif op is c.GROUPREF_EXISTS:
                for alt in av[1:]:
                    if alt is not None:
                        self.seq(alt, after, in_loop, fold)
            elif op is c.ANY and not in_loop and self.use.whole_origin:
                raise _Unsafe(
                    "a bare '.' matches any character, not only a dot",
                    r"escape it as '\.' (or write '.*' / '.+' if any characters are meant)",
                )

    def branch(self, alternatives: Any, after: Chars, fold: bool) -> None:
        """In a loop, alternatives that can match the same text make it ambiguous.

        The parser has already factored out common prefixes (``(a|aa)`` is
        ``a(|a)``), so overlapping starts, two empty alternatives, or an empty one
        beside one that could also match what follows are real ambiguities.
        """
        seen: Chars = NONE
        nullable_seen = False
        for alt in alternatives:
            start, nullable = first(alt, fold)
            if overlap(start, seen) or (nullable and nullable_seen):
                break
            seen = union(seen, start)
            nullable_seen = nullable_seen or nullable
        else:
            if not (nullable_seen and overlap(seen, after)):
                return
        raise _Unsafe(
            "alternatives inside a repeat can match the same text, which backtracks catastrophically",
            "make each alternative start with a different character"
            + (", or use a wildcard origin such as 'https://*.example.com'" if self.use.whole_origin else ""),
        )


def _scheme_only(seq: Any) -> bool:
    """True if ``seq`` can only match a bounded run of scheme characters."""
    for op, av in seq:
        if op is c.LITERAL:
            if av not in _SCHEME_CHARS:
                return False
        elif op is c.SUBPATTERN:
            if not _scheme_only(av[-1]):
                return False
        elif op is c.BRANCH:
            if not all(_scheme_only(alt) for alt in av[1]):
                return False
        elif op in REPEATS:
            if av[1] == _MAXREPEAT or not _scheme_only(av[2]):
                return False
        elif not (op is c.AT and av is c.AT_BEGINNING):
            return False
    return True


def _starts_with_scheme(seq: Any, prefixed: bool = False) -> bool:
    """True if every way through ``seq`` starts with scheme characters and ``://``."""
    items = list(seq)
    for i, (op, av) in enumerate(items):
        if items[i : i + 3] == _SEPARATOR:
            return (prefixed or i > 0) and _scheme_only(items[:i])
        if (op is c.BRANCH or op is c.SUBPATTERN) and not _scheme_only([(op, av)]):
            alternatives = av[1] if op is c.BRANCH else [av[-1]]
            head = prefixed or i > 0
            return _scheme_only(items[:i]) and all(_starts_with_scheme(alt, head) for alt in alternatives)
    return False
