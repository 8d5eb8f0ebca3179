"""What a policy's regexes cost together, bounded at start-up.

Each user regex passes the guard alone (``regex_safety``: no exponential loop,
no chain of repeats over the budget), but costs add up: a request's origin is
tried against every alternative of every regex entry, so a hundred quadratic
alternatives cost a hundred times one (measured: 100 alternatives of two
overlapping repeats, 22-55 ms per 253-character origin). A pattern's estimate
is the sum of its chains (``regex_chain``: ``ways * n**unbounded`` each, every
alternative counted) and of its size (each item once, ``n`` times inside an
unbounded repeat); a policy's is the sum over its entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .errors import CORSConfigError
from .regex_chars import ATOMIC, POSSESSIVE, REPEATS, c

__all__ = ["MAX_COST", "MAX_PATTERN_LENGTH", "check_length", "check_total_cost", "pattern_size"]

#: Most backtracking steps (estimated) one origin may cost across a policy's regexes:
#: about ten quadratic chains over a 300-character origin (each about 0.2 ms in CPython).
MAX_COST = 1_000_000
#: Longest regex source read at all: past it, parsing and checking alone take seconds at start-up
#: (5,000 alternatives of a fixed origin: about 125,000 characters, 2 s).
MAX_PATTERN_LENGTH = 50_000
_FIX = {
    "origin": "list exact origins instead (a set lookup, whatever their number), or fence the repeats "
    r"(one per label, as in '~https://([a-z0-9-]+\.)*example\.com')",
    "path": "use path prefixes such as '/api' (no regex), or fewer alternatives",
}


def check_length(option: str, entry: object, text: str, subject: str) -> None:
    """Refuse a regex source longer than :data:`MAX_PATTERN_LENGTH`, before it is parsed."""
    if len(text) > MAX_PATTERN_LENGTH:
        raise CORSConfigError(
            option,
            entry,
            f"a regex of {len(text):,} characters, more than {MAX_PATTERN_LENGTH:,}: every alternative "
            f"is tried in turn on every {subject}",
            _FIX[subject],
        )


def pattern_size(seq: Any, bound: int | None, inside: int = 1) -> int:
    """Items of ``seq``, each counted once, or ``bound`` times inside an unbounded repeat."""
    n = bound or 1
    total = 0
    for op, av in seq:
        total += inside
        if op is c.SUBPATTERN:
            total += pattern_size(av[-1], bound, inside)
        elif op is ATOMIC:
            total += pattern_size(av, bound, inside)
        elif op is c.BRANCH:
            total += sum(pattern_size(alt, bound, inside) for alt in av[1])
        elif op is c.GROUPREF_EXISTS:
            total += sum(pattern_size(alt, bound, inside) for alt in av[1:] if alt is not None)
        elif op is c.ASSERT or op is c.ASSERT_NOT:
            total += pattern_size(av[1], bound, inside)
        elif op in REPEATS or op is POSSESSIVE:
            rounds = n if av[1] == c.MAXREPEAT else min(av[1], n)
            # Its items run once a round, but never more than n times in all: each round takes a character.
            total += pattern_size(av[2], bound, min(inside * max(rounds, 1), n))
    return total


def check_total_cost(option: str, value: object, costs: Sequence[tuple[object, int]], subject: str) -> None:
    """Refuse ``value`` (the option as given) if its regexes' ``(entry, cost)`` add up past :data:`MAX_COST`.

    The error quotes the one regex when there is one, else the whole option.
    """
    total = sum(cost for _, cost in costs)
    if total <= MAX_COST:
        return
    entry, worst = max(costs, key=lambda item: item[1])
    what = "regex costs" if len(costs) == 1 else f"{len(costs)} regexes cost"
    raise CORSConfigError(
        option,
        entry if len(costs) == 1 else value,  # one regex: show it, not the whole list
        f"the {what} an estimated {total:,} backtracking steps to match one {subject}, over the "
        f"budget of {MAX_COST:,} (about ten quadratic chains over a 300-character {subject}): every alternative "
        f"of every entry is tried in turn; the costliest entry, {entry!r}, alone {worst:,}",
        _FIX[subject],
    )
