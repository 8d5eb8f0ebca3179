"""The bounded memo of pure decisions (DESIGN, "Rules every door keeps").

A plain dict per policy and request kind, keyed by exactly the request values
a decision depends on. Under the GIL each ``get``, ``len``, ``clear`` and item
assignment is one atomic step, so threads share it without a lock: the worst a
race can do is clear it twice, or let it hold one extra entry per thread for
an instant. When full it is cleared (one O(n) step every ``MEMO_SIZE`` misses),
so a flood of distinct origins keeps it bounded and costs each request one
insert more than the uncached path. Callable origin checks never reach it.
"""

from __future__ import annotations

from typing import TypeVar

__all__ = ["MAX_MEMO_VALUE", "MEMO_SIZE", "remember"]

#: Most entries one memo holds.
MEMO_SIZE = 1024
#: Longest Access-Control-Request-Headers value remembered (longer ones are
#: answered uncached), so that one entry's key stays small.
MAX_MEMO_VALUE = 256

K = TypeVar("K")
V = TypeVar("V")


def remember(memo: dict[K, V], key: K, value: V) -> V:
    """Store ``value`` under ``key`` (clearing a full memo first) and return it."""
    if len(memo) >= MEMO_SIZE:
        memo.clear()
    memo[key] = value
    return value
