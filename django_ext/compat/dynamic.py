"""The ``check_request_enabled`` signal as the engine's callable origin check.

The engine hands a callable check ``(origin, environ)``; the signal's
receivers want the request object itself. The compat middleware binds the
request in a context variable around the decision, and the check reads it
back, so receivers get the real ``HttpRequest`` and the signal is sent at
most once per request (its answer is kept for the rest of the decision).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest

from .signals import check_request_enabled

__all__ = ["bound", "has_receivers", "signal_allows"]


class _Asked:
    """The request being decided, and the signal's answer once it was sent."""

    __slots__ = ("answer", "request")

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.answer: bool | None = None


_current: ContextVar[_Asked | None] = ContextVar("django_ext.compat.request", default=None)


def has_receivers() -> bool:
    """Whether the signal has receivers (a cheap read: the middleware asks on every request)."""
    return bool(check_request_enabled.receivers)


@contextmanager
def bound(request: HttpRequest) -> Iterator[None]:
    """Make ``request`` the one :func:`signal_allows` asks about, for the decision inside."""
    token = _current.set(_Asked(request))
    try:
        yield
    finally:
        _current.reset(token)


def signal_allows(origin: str, environ: Mapping[str, Any]) -> bool:
    """Any receiver's truthy answer allows ``origin`` (called by the engine only for a
    well-formed Origin the lists do not allow); False outside the compat middleware."""
    asked = _current.get()
    if asked is None:
        return False
    if asked.answer is None:
        asked.answer = False  # a receiver that raises is not asked again (the engine denies)
        answers = check_request_enabled.send(sender=None, request=asked.request)
        asked.answer = any(answer for _receiver, answer in answers)
    return asked.answer
