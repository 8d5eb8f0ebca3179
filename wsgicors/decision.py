"""What the engine decided for one request: a small immutable value."""

from __future__ import annotations

import enum
from http import HTTPStatus

__all__ = ["ADD", "MERGE", "PASS", "RESPOND", "Decision", "Kind", "make_decision", "status_line"]

Header = tuple[str, str]


class Kind(enum.StrEnum):
    """The four outcomes of the decision function."""

    NOT_CORS = "not-cors"  #: no Origin header (or no route covers it): not a CORS request
    PREFLIGHT = "preflight"  #: an allowed preflight
    ACTUAL = "actual"  #: an allowed actual (non-preflight) request
    DENIED = "denied"  #: a CORS request whose origin is not allowed


def status_line(status: int) -> str:
    """``200`` -> ``'200 OK'``, as WSGI's start_response wants it."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Status"


#: :attr:`Decision.write` values.
PASS, RESPOND, ADD, MERGE = range(4)

# Preflight statuses are 2xx: their status lines, built once.
_OK_LINES = {code: status_line(code) for code in range(200, 300)}


class _Draft:
    """The storage of a Decision, writable only while :func:`make_decision` fills it in."""

    # Slots, not a NamedTuple: the doors read several fields on every request,
    # and slot reads (and writes) are the cheapest attribute access CPython has.
    __slots__ = (
        "expose_response_headers",
        "extra",
        "extra_list",
        "headers",
        "kind",
        "reason",
        "respond",
        "status",
        "status_line",
        "touches_response",
        "vary",
        "write",
    )

    kind: Kind
    status: int | None
    headers: tuple[Header, ...]
    vary: tuple[str, ...]
    expose_response_headers: bool
    reason: str | None
    respond: bool
    #: False when the response passes through exactly as the app made it.
    touches_response: bool
    #: ``headers`` followed by ``("Vary", ...)`` when ``vary`` is not empty.
    extra: tuple[Header, ...]
    #: ``"200 OK"`` for ``status`` 200; None when the app answers.
    status_line: str | None
    #: ``extra`` as a list, for ``headers + extra_list`` (a new list); never modified.
    extra_list: list[Header]
    #: What the door does, in one read: PASS, RESPOND, ADD (``extra``, merged
    #: when the app has such headers) or MERGE (always the careful path).
    write: int


class Decision(_Draft):
    """The engine's answer for one request (built by :func:`make_decision`; immutable).

    ``respond``: answer now with ``status`` and ``headers`` plus the Vary line,
    without calling the app (a preflight). Otherwise the app answers and the door
    sets ``headers`` on its response (replacing the app's own headers of those
    names), merges ``vary`` into its ``Vary`` and, with
    ``expose_response_headers``, lists the response's own header names in
    Access-Control-Expose-Headers. ``reason`` says why a request was denied or
    why headers were left out; request-controlled values in it are
    ``repr``-escaped. The last three fields are derived, for the hot path.
    """

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Decision is immutable (tried to set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Decision is immutable (tried to delete {name!r})")

    def header(self, name: str) -> str | None:
        """The value this decision sets for ``name`` (case-insensitive), if any."""
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return None

    def __repr__(self) -> str:
        return (
            f"Decision(kind={self.kind.value!r}, status={self.status!r}, headers={self.headers!r}, "
            f"vary={self.vary!r}, expose_response_headers={self.expose_response_headers!r}, "
            f"reason={self.reason!r})"
        )


def make_decision(
    kind: Kind,
    headers: tuple[Header, ...] = (),
    vary: tuple[str, ...] = (),
    *,
    status: int | None = None,
    expose_response_headers: bool = False,
    reason: str | None = None,
    vary_line: Header | None = None,
) -> Decision:
    """A Decision with its derived fields filled in (``vary_line``: ``vary`` joined, if known)."""
    if vary:
        extra = (*headers, vary_line or ("Vary", ", ".join(vary)))
    else:
        extra = headers
    draft = _Draft()
    draft.kind = kind
    draft.status = status
    draft.headers = headers
    draft.vary = vary
    draft.expose_response_headers = expose_response_headers
    draft.reason = reason
    draft.respond = status is not None
    draft.touches_response = bool(headers or vary or expose_response_headers)
    draft.extra = extra
    draft.extra_list = list(extra)
    if status is not None:
        draft.write = RESPOND
    elif expose_response_headers:
        draft.write = MERGE
    else:
        draft.write = ADD if headers or vary else PASS
    draft.status_line = None if status is None else _OK_LINES.get(status) or status_line(status)
    # Same layout, so the filled-in draft becomes a Decision, whose
    # __setattr__ refuses every later write.
    draft.__class__ = Decision
    return draft  # type: ignore[return-value]
