"""A user regex as an automaton over the characters of a serialised origin.

The start-up guard asks questions about *which origins* an origin regex can
match (:mod:`wsgicors.regex_origin`), which the parse tree alone cannot answer
through alternatives, optional parts and repeats. This module builds a
nondeterministic automaton (Thompson's construction) from the standard
library parser's tree, over the only characters a serialised origin holds
(lower-case ASCII letters, digits and ``-._:/[]+``), and steps through it
backwards, from the end of the origin.

The automaton may match *more* than the regex, never less: lookarounds and
word boundaries are read as matching anywhere, atomic groups and possessive
repeats as their plain forms, back-references as any text, and a counted
repeat too large to unroll as an unbounded one. A question answered "safe"
for the larger language is safe for the regex.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

from .regex_chars import ATOMIC, POSSESSIVE, REPEATS, c, char, folds

__all__ = ["ORIGIN_CHARS", "Automaton", "States"]

#: Every character of a serialised origin (scheme, host, IPv6 brackets, port).
ORIGIN_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-._:/[]+"
_CODES = frozenset(map(ord, ORIGIN_CHARS))
#: Most states an automaton may have; past it, counted repeats are read as unbounded.
MAX_STATES = 20_000

States = frozenset[int]


class Automaton:
    """States ``0..n-1``; ``start`` and ``accept``; character and empty edges, both ways."""

    def __init__(self, tree: Any, fold: bool) -> None:
        self.edges: list[list[tuple[frozenset[str], int]]] = []
        self.empty: list[list[int]] = []
        self.start = self._state()
        self.accept = self._seq(tree, self.start, fold)
        self.back: list[list[tuple[frozenset[str], int]]] = [[] for _ in self.edges]
        self.back_empty: list[list[int]] = [[] for _ in self.edges]
        for source, edges in enumerate(self.edges):
            for chars, target in edges:
                self.back[target].append((chars, source))
        for source, targets in enumerate(self.empty):
            for target in targets:
                self.back_empty[target].append(source)
        self._steps: dict[tuple[States, str, bool], States] = {}

    # -- construction --------------------------------------------------------------

    def _state(self) -> int:
        self.edges.append([])
        self.empty.append([])
        return len(self.edges) - 1

    def _link(self, source: int, target: int) -> None:
        self.empty[source].append(target)

    def _seq(self, seq: Iterable[Any], state: int, fold: bool) -> int:
        for op, av in seq:
            state = self._item(op, av, state, fold)
        return state

    def _any_text(self, state: int) -> int:
        loop = self._state()
        self._link(state, loop)
        self.edges[loop].append((frozenset(ORIGIN_CHARS), loop))
        return loop

    def _item(self, op: Any, av: Any, state: int, fold: bool) -> int:
        single = char(op, av, fold)
        if single is not None:
            out = self._state()
            chars = frozenset(chr(code) for code in single[0] & _CODES)
            if chars:
                self.edges[state].append((chars, out))
            return out
        if op is c.SUBPATTERN:
            return self._seq(av[-1], state, folds(fold, av))
        if op is ATOMIC:
            return self._seq(av, state, fold)
        if op is c.BRANCH or op is c.GROUPREF_EXISTS:
            alternatives = av[1] if op is c.BRANCH else [alt or [] for alt in av[1:]]
            out = self._state()
            for alt in alternatives:
                self._link(self._seq(alt, state, fold), out)
            return out
        if op in REPEATS or op is POSSESSIVE:
            return self._repeat(av, state, fold)
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return state  # read as matching anywhere: a larger language
        return self._any_text(state)  # a back-reference, or anything newer: any text

    def _repeat(self, av: Any, state: int, fold: bool) -> int:
        low, high, body = av
        size = _size(body)
        unbounded = high == c.MAXREPEAT or len(self.edges) + size * high > MAX_STATES
        copies = min(low, 1) if unbounded and len(self.edges) + size * low > MAX_STATES else low
        for _ in range(copies):
            state = self._seq(body, state, fold)
        if unbounded:
            loop = self._state()
            self._link(state, loop)
            self._link(self._seq(body, loop, fold), loop)
            return loop
        out = self._state()
        self._link(state, out)
        for _ in range(high - low):
            state = self._seq(body, state, fold)
            self._link(state, out)
        return out

    # -- stepping ------------------------------------------------------------------

    def closure(self, states: Iterable[int], backwards: bool) -> States:
        """``states`` and every state their empty edges reach (followed backwards or forwards)."""
        graph = self.back_empty if backwards else self.empty
        seen = set(states)
        todo = list(seen)
        while todo:
            for other in graph[todo.pop()]:
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return frozenset(seen)

    def step(self, states: States, ch: str, backwards: bool = True) -> States:
        """The states reached by reading ``ch`` (backwards: the character before)."""
        key = (states, ch, backwards)
        known = self._steps.get(key)
        if known is None:
            graph = self.back if backwards else self.edges
            known = self.closure((o for s in states for chars, o in graph[s] if ch in chars), backwards)
            self._steps[key] = known
        return known

    def reach(self, states: States, alphabet: str, backwards: bool = True) -> States:
        """Every state reached by reading any string over ``alphabet`` (the empty one too)."""
        allowed = frozenset(alphabet)
        graph, empty = (self.back, self.back_empty) if backwards else (self.edges, self.empty)
        seen = set(states)
        todo = list(seen)
        while todo:
            state = todo.pop()
            following = [o for chars, o in graph[state] if not chars.isdisjoint(allowed)]
            for other in (*empty[state], *following):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return frozenset(seen)

    def witness(self, states: States, goal: States, alphabet: str, backwards: bool = True) -> str | None:
        """A shortest string over ``alphabet`` leading from ``states`` to a state of ``goal``,
        in reading order (backwards: the characters as read from the end), or None.

        Where several characters lead the same way, the one first in ``alphabet`` is taken."""
        graph, empty = (self.back, self.back_empty) if backwards else (self.edges, self.empty)
        parents: dict[int, tuple[int, str] | None] = dict.fromkeys(states)
        todo = deque(states)
        while todo:
            state = todo.popleft()
            if state in goal:
                path: list[str] = []
                link = parents[state]
                while link is not None:
                    state, ch = link
                    path.append(ch)
                    link = parents[state]
                return "".join(reversed(path))
            for other in empty[state]:  # no character read: try these first
                if other not in parents:
                    parents[other] = (state, "")
                    todo.appendleft(other)
            for chars, other in graph[state]:
                read = next((ch for ch in alphabet if ch in chars), None)
                if read is not None and other not in parents:
                    parents[other] = (state, read)
                    todo.append(other)
        return None


def _children(op: Any, av: Any) -> int:
    if op is c.SUBPATTERN:
        return _size(av[-1])
    if op is ATOMIC:
        return _size(av)
    if op is c.BRANCH:
        return sum(_size(alt) for alt in av[1]) + 1
    if op is c.GROUPREF_EXISTS:
        return sum(_size(alt) for alt in av[1:] if alt is not None) + 1
    if op in REPEATS or op is POSSESSIVE:
        return _size(av[2]) * (2 if av[1] == c.MAXREPEAT else min(av[1], MAX_STATES)) + 2
    return 1


def _size(seq: Any) -> int:
    """About how many states ``seq`` needs once."""
    return sum(1 + _children(op, av) for op, av in seq)
