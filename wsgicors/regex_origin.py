r"""The shape of an origin regex: every host it lets in must belong to a fixed site.

Read from the end of the origin, past an optional port, the host must reach a
fixed registrable name (``example.com``, ``myapp.github.io``) before any free
part of the pattern, and then a dot: everything the free part adds in front is
then a subdomain of that name, owned by whoever owns it. A host the pattern
fixes entirely (``https://a\.example\.com``, ``https://(app|admin)\.example\.com``)
is one site too. Refused, with an origin the pattern would let in:

* a free part that can produce a whole label right under a public suffix
  (``~https://[a-z0-9-]+\.vercel\.app``, ``~https://.*\.github\.io``,
  ``~https://([a-z0-9-]+\.)*co\.uk``): anyone can register a name there;
* a free part glued to the front of the name (``~https://.*example\.com``
  lets in ``https://attackerexample.com``);
* anything but a port after the host (``~https://a\.example\.com.*`` lets in
  ``https://a.example.com.attacker.com``);
* a free part inside an IP address, and more than :data:`MAX_HOSTS` steps of
  enumerating fixed hosts (``[a-z]{1,3}\.com``: thousands of other people's sites).

The automaton (:mod:`wsgicors.regex_nfa`) is walked backwards over the host,
one character at a time; a set of states seen twice on one walk before a site
is fixed means the part in between repeats freely.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Any

from .regex_nfa import Automaton, States
from .sites import anchors_a_site, open_suffix, own_name_fix
from .suffixes import is_ip_literal, registrable_domain

__all__ = ["MAX_HOSTS", "OriginShapeError", "check_origin_shape"]

#: Most steps the backward walk over the hosts may take before a site is fixed.
MAX_HOSTS = 4096

_DNS = "abcdefghijklmnopqrstuvwxyz0123456789-_."
_LABEL = "abcdefghijklmnopqrstuvwxyz0123456789_"
_V6 = "0123456789abcdef:."
_SCHEME = "abcdefghijklmnopqrstuvwxyz0123456789+-."
_PORT_DIGITS = "1234567890"  # '1' first: a shortest witness port is ':1', not the invalid ':0'
#: What the examples put where the pattern is free: in a label, or after the host.
_LABEL_WORD = "attacker"
_AFTER_WORD = ".attacker.com"


class OriginShapeError(Exception):
    """An origin regex that lets in hosts of other sites: the problem and the fix."""

    def __init__(self, problem: str, fix: str) -> None:
        self.problem = problem
        self.fix = fix
        super().__init__(problem)


class _Free(Exception):
    def __init__(self, path: list[tuple[States, str]]) -> None:
        self.path = path
        super().__init__("free")


def check_origin_shape(tree: Any, fold: bool, pattern: re.Pattern[str]) -> None:
    """Raise :class:`OriginShapeError` if ``pattern`` (parsed as ``tree``) lets in another site's host."""
    walk = _Walk(Automaton(tree, fold))
    try:
        walk.host(walk.host_end(), "", "dns")
    except _Free as free:
        raise walk.refusal(free.path, pattern) from None


class _Walk:
    def __init__(self, nfa: Automaton) -> None:
        self.nfa = nfa
        self.steps = 0
        self.on_path: set[States] = set()
        self.path: list[tuple[States, str]] = []
        begin = nfa.closure([nfa.start], backwards=False)
        self.begin = nfa.closure([nfa.start], backwards=True)
        schemes = nfa.reach(begin, _SCHEME, backwards=False)
        #: The states right after some ``scheme://``, then after any DNS host prefix or ``[`` and an IPv6 prefix.
        self.after_scheme = self._read(schemes, "://", backwards=False)
        self.live = {
            "dns": nfa.reach(self.after_scheme, _DNS, backwards=False),
            "v6": nfa.reach(nfa.step(self.after_scheme, "[", backwards=False), _V6, backwards=False),
        }

    def _read(self, states: States, text: str, backwards: bool) -> States:
        for ch in text:
            states = self.nfa.step(states, ch, backwards)
        return states

    def host_end(self) -> States:
        """The states where the host ends, read backwards from the end: no port, or ':' and 1-5 digits."""
        nfa = self.nfa
        end = nfa.closure([nfa.accept], backwards=True)
        ports: set[int] = set()
        digits = end
        for _ in range(5):
            digits = frozenset(s for d in _PORT_DIGITS for s in nfa.step(digits, d))
            ports |= digits
        return end | nfa.step(frozenset(ports), ":")

    def host(self, states: States, suffix: str, phase: str) -> None:
        """Walk the hosts backwards from ``states``; ``suffix``: the host's end read so far."""
        if phase == "dns" and suffix.startswith(".") and anchors_a_site(suffix[1:]):
            return  # everything before is a subdomain of a fixed site
        self.steps += 1
        if states in self.on_path or self.steps > MAX_HOSTS:
            raise _Free([*self.path, (states, suffix)])
        self.on_path.add(states)
        self.path.append((states, suffix))
        live = self.live[phase]
        for ch in _DNS if phase == "dns" else _V6:
            after = self.nfa.step(states, ch) & live
            if after:
                self.host(after, ch + suffix, phase)
        if phase == "dns" and not suffix:
            after = self.nfa.step(states, "]") & self.live["v6"]
            if after:
                self.host(after, "]", "v6")
        self.path.pop()
        self.on_path.discard(states)

    # -- the refusal: an origin the pattern lets in, what is wrong, and what to write --

    def example(self, states: States, word: str, suffix: str) -> tuple[str, str, str] | None:
        """``(scheme, host, port)`` of an origin whose host ends with ``word + suffix``, or None."""
        nfa = self.nfa
        v6 = suffix.startswith("]")
        states = self._read(states, word[::-1], backwards=True) & self.live["v6" if v6 else "dns"]
        end = word + suffix
        if v6:  # an IPv6 host: back to its '['
            goal = nfa.step(self.after_scheme, "[", backwards=False)
            prefix = nfa.witness(states, goal, _V6)
            if prefix is None:
                return None
            prefix = "[" + prefix[::-1]
        else:
            first_ok = bool(end) and end[0] in _LABEL
            prefix = _label_start_witness(nfa, states, self.after_scheme, first_ok)
        if not states or prefix is None:
            return None
        host = prefix + end
        at_host = self._read(states, prefix[::-1], backwards=True) & self.after_scheme
        scheme_part = nfa.witness(at_host, self.begin, ":/" + _SCHEME)
        if scheme_part is None or not scheme_part.startswith("//:"):
            return None
        scheme = scheme_part[3:][::-1]
        forward = self._read(nfa.closure([nfa.start], backwards=False), f"{scheme}://{host}", backwards=False)
        port = nfa.witness(forward, frozenset([nfa.accept]), ":" + _PORT_DIGITS, backwards=False)
        if port is None:
            return None
        return scheme, host, port

    def forced(self, path: list[tuple[States, str]]) -> int:
        """How many nodes of ``path``, from its start, each the one way on from the one before."""
        count = 1
        for states, suffix in path[:-1]:
            alphabet = _V6 if suffix.startswith("]") else _DNS
            live = self.live["v6" if suffix.startswith("]") else "dns"]
            if sum(1 for ch in alphabet if self.nfa.step(states, ch) & live) != 1:
                break
            count += 1
        return count

    def refusal(self, path: list[tuple[States, str]], pattern: re.Pattern[str]) -> OriginShapeError:
        from .origins import is_serialized_origin  # origins imports the guard: import at use

        # Where the free part can start: a label right under a name (deepest first), after the
        # host, glued to a name; else the walk's own last host.
        fixed = path[: self.forced(path)]  # the host's end as the pattern fixes it, before any choice
        tries = [(states, suffix, _LABEL_WORD) for states, suffix in reversed(fixed) if _under_open(suffix)]
        tries += [(states, suffix, _AFTER_WORD) for states, suffix in path if not suffix]
        tries += [(states, suffix, _LABEL_WORD) for states, suffix in fixed if not suffix.startswith(".")]
        tries += [(states, suffix, "") for states, suffix in reversed(path)]
        for states, suffix, word in tries:
            found = self.example(states, word, suffix)
            if found is None:
                continue
            scheme, host, port = found
            origin = f"{scheme}://{host}{port}"
            if not is_serialized_origin(origin) or pattern.fullmatch(origin) is None:
                continue
            if word and "attacker" not in registrable_domain(host).split(".")[0]:
                continue
            if not word:  # where the free part meets the fixed end: the last label boundary walked
                suffix = next((s for _, s in reversed(path) if _under_open(s) and host.endswith(s)), "")
            return _message(origin, scheme, host, host[: len(host) - len(word + suffix)], suffix, port)
        return OriginShapeError(
            "it lets in hosts of sites other than one fixed registrable name",
            r"write the whole host, e.g. r'~https://([a-z0-9-]+\.)*example\.com'",
        )


def _under_open(suffix: str) -> bool:
    """Is ``suffix`` a dot and then a name anyone can register under (``.github.io``)?"""
    return suffix.startswith(".") and open_suffix(suffix[1:])


def _label_start_witness(nfa: Automaton, states: States, goal: States, first_ok: bool) -> str | None:
    """A shortest host prefix leading back from ``states`` to ``goal`` whose first character
    starts a label (a letter, digit or '_'), in the host's order; None if there is none."""
    Node = tuple[int, bool]  # a state, and whether the last character read starts a label
    parents: dict[Node, tuple[Node, str] | None] = {(s, first_ok): None for s in states}
    todo: deque[Node] = deque(parents)
    while todo:
        node = todo.popleft()
        state, ok = node
        if ok and state in goal:
            read = []
            link = parents[node]
            while link is not None:
                node, ch = link
                read.append(ch)
                link = parents[node]
            return "".join(read)  # read backwards from the end, so this is the host's order
        for other in nfa.back_empty[state]:
            if (other, ok) not in parents:
                parents[other, ok] = (node, "")
                todo.appendleft((other, ok))
        for chars, other in nfa.back[state]:
            # One character that starts a label and one that does not, where the edge has them.
            for found in (next((c for c in _LABEL if c in chars), None), next((c for c in "-." if c in chars), None)):
                key = (other, found in _LABEL) if found is not None else None
                if found is not None and key is not None and key not in parents:
                    parents[key] = (node, found)
                    todo.append(key)
    return None


def _message(origin: str, scheme: str, host: str, before: str, suffix: str, port: str) -> OriginShapeError:
    """What is wrong, from where the free part meets the fixed end of the host."""
    shown = f"it would let in {origin!r}"
    if is_ip_literal(host) or host.split(".")[-1].isdigit():
        return OriginShapeError(
            f"its free part runs inside an IP address, which lets in hosts you may not control: {shown}",
            "list the addresses as exact origins, e.g. " + repr(origin),
        )
    if not suffix:
        fixed = re.escape(f"{scheme}://{before or 'app.example.com'}")
        return OriginShapeError(
            f"after the host comes more than a port, so the host can go on into another site: {shown}",
            f"end the pattern with the host and at most a port, e.g. r'~{fixed}(:[0-9]+)?'",
        )
    if suffix.startswith("."):
        name = suffix[1:]
        return OriginShapeError(
            f"its free part can produce a whole label right under the public suffix {name!r}: "
            f"anyone can register a name under {name}, so {shown}",
            own_name_fix(scheme, name, port),
        )
    own = suffix if anchors_a_site(suffix) else "example.com"
    return OriginShapeError(
        f"its free part is glued to {suffix!r} with no dot between them, so other names end the same way: {shown}",
        "end the free part with an escaped dot, e.g. r'~"
        + re.escape(f"{scheme}://")
        + r"([a-z0-9-]+\.)*"
        + re.escape(own + port)
        + "'",
    )
