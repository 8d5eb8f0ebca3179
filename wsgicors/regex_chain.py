r"""Chains of repeats: the polynomial half of the start-up regex guard.

Variable-length parts in a row that can take the same characters (``.*\..*``,
``[a-z.]{0,250}[a-z.]{0,250}``) let a failing match try every way of sharing
the text among them: a chain of k unbounded repeats costs O(n**k), and a
bounded repeat ``{m,n}`` multiplies the count by its n - m + 1 lengths. A chain
ends at a character that it cannot match (``[a-z]+-[a-z]+`` is two chains of
one), and before a repeat whose every round starts with a character the chain
cannot match (``[a-z]+(-[a-z]+)*``: the ``-`` fixes where each round begins),
wherever the parts sit: groups, alternatives and optional parts are followed
through, so ``(.*)(.*)`` is one chain of two.

The walk also sums what the chains cost (:func:`check_chains` returns it): every
alternative is walked, so alternatives add up instead of counting once.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .regex_chars import ALL, ATOMIC, NONE, POSSESSIVE, REPEATS, Chars, alphabet, c, char, first, folds, overlap, union

__all__ = ["MAX_SPLITS", "Budget", "ChainTooLong", "check_chains"]

_MAXREPEAT = c.MAXREPEAT


class ChainTooLong(Exception):
    """A chain over budget: how many parts it has and how it costs."""

    def __init__(self, links: int, unbounded: int, ways: int) -> None:
        self.links = links
        self.unbounded = unbounded
        self.ways = ways
        super().__init__(f"{links} repeats in a row")


#: Most ways a chain may split a text of bounded length: two unbounded repeats
#: over a 300-character origin. (Three, cubic, cost up to half a second on one.)
MAX_SPLITS = 300**2


class Budget(NamedTuple):
    """What a chain may cost: ``ways * n**unbounded`` against the text's length ``n``.

    With a length bound (origins are capped before matching) that is at most
    :data:`MAX_SPLITS`. Without one (paths) matching must stay linear: at most
    one unbounded repeat per chain, beside bounded ones of at most ``factor``
    lengths in all; a chain of bounded ones alone, :data:`MAX_SPLITS` ways.
    """

    bound: int | None
    factor: int = 16

    def allows(self, unbounded: int, ways: int) -> bool:
        if self.bound is None:
            return ways <= (MAX_SPLITS if unbounded == 0 else self.factor if unbounded == 1 else 0)
        cost: int = ways * self.bound**unbounded
        return cost <= MAX_SPLITS


class _Run(NamedTuple):
    """The chain the text so far may be split among (``links == 0``: none)."""

    links: int
    unbounded: int
    ways: int
    chars: Chars  # every character its parts can take
    tail: Chars  # where its last part can stop: after one of these
    pending: tuple[Chars, ...]  # characters matched since its last part


_EMPTY = _Run(0, 0, 1, NONE, NONE, ())


def _worst(a: _Run, b: _Run) -> _Run:
    """Either way through an alternative: the costlier, with only the fences both share."""
    if not a.links:
        return b
    if not b.links:
        return a
    return _Run(
        max(a.links, b.links),
        max(a.unbounded, b.unbounded),
        max(a.ways, b.ways),
        union(a.chars, b.chars),
        union(a.tail, b.tail),
        tuple(p for p in a.pending if p in b.pending),
    )


def _has_unbounded(seq: Any) -> bool:
    for op, av in seq:
        if op in REPEATS or op is POSSESSIVE:
            if av[1] == _MAXREPEAT or _has_unbounded(av[2]):
                return True
        elif op is c.SUBPATTERN:
            if _has_unbounded(av[-1]):
                return True
        elif op is c.BRANCH:
            if any(_has_unbounded(alt) for alt in av[1]):
                return True
        elif op is ATOMIC:
            if _has_unbounded(av):
                return True
        elif char(op, av, False) is None and op not in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return True  # back-references, conditionals: assume the worst
    return False


def _last(seq: Any, fold: bool) -> Chars:
    """The characters one match of ``seq`` must end with (ALL if not one fixed set)."""
    items = list(seq)
    if not items:
        return ALL
    op, av = items[-1]
    single = char(op, av, fold)
    if single is not None:
        return single
    if op is c.SUBPATTERN:
        return _last(av[-1], folds(fold, av))
    if op in REPEATS and av[0] >= 1:
        return _last(av[2], fold)
    return ALL


class _Walk:
    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        #: The chains' summed cost, ``ways * n**unbounded`` each, at every link.
        self.cost = 0

    def seq(self, seq: Any, run: _Run, fold: bool) -> _Run:
        for op, av in seq:
            run = self.item(op, av, run, fold)
        return run

    def link(
        self, run: _Run, unbounded: int, ways: int, chars: Chars, tail: Chars, nullable: bool, start: Chars = ALL
    ) -> _Run:
        """Add a variable-length part; it joins the chain unless something fences it off.

        ``start``: what every non-empty match of the part starts with. The boundary
        with the chain moves only if the chain can take that character or the part
        can start with the chain's last one. A part that can match empty does not
        end the chain before it either: the parts on both sides of it may still be adjacent.
        """
        begins = (start[0] & chars[0], start[1] and chars[1])
        joins = (
            run.links
            and overlap(begins, run.chars)
            and overlap(begins, run.tail)
            and all(overlap(chars, p) for p in run.pending)
        )
        if joins:
            ends = union(run.tail, tail) if nullable else tail
            new = _Run(run.links + 1, run.unbounded + unbounded, run.ways * ways, union(run.chars, chars), ends, ())
        else:
            new = _Run(1, unbounded, ways, chars, tail, ())
        if not self.budget.allows(new.unbounded, new.ways):
            raise ChainTooLong(new.links, new.unbounded, new.ways)
        self.cost += new.ways * (self.budget.bound or MAX_SPLITS) ** new.unbounded
        return _worst(run, new) if nullable and not joins else new

    def item(self, op: Any, av: Any, run: _Run, fold: bool) -> _Run:
        single = char(op, av, fold)
        if single is not None:
            if not run.links or not overlap(single, run.chars):
                return _EMPTY  # a character no part of the chain can take ends it
            return run if single in run.pending else run._replace(pending=(*run.pending, single))
        if op is c.SUBPATTERN:
            return self.seq(av[-1], run, folds(fold, av))
        if op is ATOMIC:
            return self.seq(av, run, fold)
        if op is c.BRANCH:
            out = _EMPTY
            for alt in av[1]:
                out = _worst(out, self.seq(alt, run, fold))
            return out
        if op is c.GROUPREF_EXISTS:
            yes = self.seq(av[1], run, fold)
            return _worst(yes, self.seq(av[2], run, fold) if av[2] is not None else run)
        if op is c.ASSERT or op is c.ASSERT_NOT:
            # Tried again at every split the chain reaches: its parts multiply the chain's.
            self.seq(av[1], run, fold)
            return run
        if op is c.AT:
            return run
        if op in REPEATS or op is POSSESSIVE:
            return self.repeat(av, run, fold)
        return self.link(run, 1, 1, ALL, ALL, True)  # a back-reference: any length, any text

    def repeat(self, av: Any, run: _Run, fold: bool) -> _Run:
        low, high, body = av
        if high <= 1:
            through = self.seq(body, run, fold)
            return _worst(run, through) if low == 0 else through
        if low == high:
            for _ in range(min(low, 3)):  # a fixed count: its body, in a row
                run = self.seq(body, run, fold)
            return run
        # A first round of the body may chain with what came before...
        self.seq(body, run, fold)
        # ...and the number of rounds is one more variable part.
        start, empty_round = first(body, fold)
        nullable = low == 0 or empty_round
        # A round that may match empty starts with whatever follows it: no fence.
        start = ALL if empty_round else start
        unbounded = 1 if high == _MAXREPEAT or _has_unbounded(body) else 0
        ways = 1 if unbounded else high - low + 1
        return self.link(run, unbounded, ways, alphabet(body, fold), _last(body, fold), nullable, start)


def check_chains(tree: Any, fold: bool, budget: Budget) -> int:
    """Raise :class:`ChainTooLong` if any chain in ``tree`` costs more than ``budget``.

    Returns the chains' summed cost (``n`` the budget's bound, for paths :data:`MAX_SPLITS`).
    """
    walk = _Walk(budget)
    walk.seq(tree, _EMPTY, fold)
    return walk.cost
