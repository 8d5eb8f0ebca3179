"""What the engine decided for one request: a small immutable value."""

from __future__ import annotations

import enum
from http import HTTPStatus

__all__ = ["Decision", "Kind", "status_line"]


class Kind(enum.StrEnum):
    """The four outcomes of the decision function."""

    NOT_CORS = "not-cors"  #: no Origin header: not a CORS request
    PREFLIGHT = "preflight"  #: an allowed preflight
    ACTUAL = "actual"  #: an allowed actual (non-preflight) request
    DENIED = "denied"  #: a CORS request whose origin is not allowed


def status_line(status: int) -> str:
    """``200`` -> ``'200 OK'``, as WSGI's start_response wants it."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Status"


class Decision:
    """The engine's answer for one request.

    ``respond`` means: answer now with ``status`` without calling the app (a
    preflight). Otherwise the app answers and the door sets ``headers`` on its
    response (replacing the app's own headers of those names), merges ``vary``
    into its ``Vary`` and, with ``expose_response_headers``, lists the response's
    own header names in Access-Control-Expose-Headers. ``reason`` says why a
    request was denied or why headers were left out; request-controlled values
    in it are ``repr``-escaped.
    """

    __slots__ = ("expose_response_headers", "headers", "kind", "reason", "respond", "status", "vary")

    kind: Kind
    respond: bool
    status: int | None
    headers: tuple[tuple[str, str], ...]
    vary: tuple[str, ...]
    expose_response_headers: bool
    reason: str | None

    def __init__(
        self,
        kind: Kind,
        headers: tuple[tuple[str, str], ...] = (),
        vary: tuple[str, ...] = (),
        *,
        status: int | None = None,
        expose_response_headers: bool = False,
        reason: str | None = None,
    ) -> None:
        set_ = object.__setattr__
        set_(self, "kind", kind)
        set_(self, "respond", status is not None)
        set_(self, "status", status)
        set_(self, "headers", headers)
        set_(self, "vary", vary)
        set_(self, "expose_response_headers", expose_response_headers)
        set_(self, "reason", reason)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Decision is immutable (tried to set {name!r})")

    @property
    def touches_response(self) -> bool:
        """False when the response passes through exactly as the app made it."""
        return bool(self.headers or self.vary or self.expose_response_headers)

    def header(self, name: str) -> str | None:
        """The value this decision sets for ``name`` (case-insensitive), if any."""
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return None

    def __repr__(self) -> str:
        return (
            f"Decision(kind={self.kind.value!r}, status={self.status!r}, "
            f"headers={self.headers!r}, vary={self.vary!r}, reason={self.reason!r})"
        )
