"""``CorsMiddleware``: django-cors-headers' middleware, deciding with the corsgate engine.

``MIDDLEWARE = ["django_ext.compat.CorsMiddleware", ...]`` (first) in place
of ``"corsheaders.middleware.CorsMiddleware"``. It reads django-cors-headers'
settings (see :mod:`django_ext.compat.conf`), and answers and decorates
exactly as ``django_ext.middleware.CORSMiddleware`` does with the translated
policy. Sync and async; under ASGI the ``check_request_enabled`` receivers
run in a worker thread, so they may use the ORM.
"""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.http import HttpRequest

from wsgicors import Decision, Kind, Policy, evaluate
from wsgicors.decision import make_decision
from wsgicors.routes import select_policy

from ..middleware import DecidingMiddleware
from .dynamic import bound
from .state import current_policy

__all__ = [
    "ACCESS_CONTROL_ALLOW_CREDENTIALS",
    "ACCESS_CONTROL_ALLOW_HEADERS",
    "ACCESS_CONTROL_ALLOW_METHODS",
    "ACCESS_CONTROL_ALLOW_ORIGIN",
    "ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK",
    "ACCESS_CONTROL_EXPOSE_HEADERS",
    "ACCESS_CONTROL_MAX_AGE",
    "ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK",
    "CorsMiddleware",
]

# django-cors-headers' header-name constants (its middleware module exports them).
ACCESS_CONTROL_ALLOW_ORIGIN = "access-control-allow-origin"
ACCESS_CONTROL_EXPOSE_HEADERS = "access-control-expose-headers"
ACCESS_CONTROL_ALLOW_CREDENTIALS = "access-control-allow-credentials"
ACCESS_CONTROL_ALLOW_HEADERS = "access-control-allow-headers"
ACCESS_CONTROL_ALLOW_METHODS = "access-control-allow-methods"
ACCESS_CONTROL_MAX_AGE = "access-control-max-age"
ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK = "access-control-request-private-network"
ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK = "access-control-allow-private-network"


# What a request outside CORS_URLS_REGEX gets: nothing (as evaluate() answers it).
_NOT_COVERED = make_decision(Kind.NOT_CORS)


def _decide(policy: Policy, with_signal: bool, request: HttpRequest) -> Decision:
    """The engine's decision; ``request._cors_enabled`` set as the peer does (never read back)."""
    meta = request.META
    chosen = policy if policy.routes is None else select_policy(policy, meta)
    request._cors_enabled = chosen is not None  # type: ignore[attr-defined]
    if chosen is None:
        return _NOT_COVERED
    if not with_signal:
        return evaluate(chosen, meta)
    with bound(request):
        return evaluate(chosen, meta)


class CorsMiddleware(DecidingMiddleware):
    """django-cors-headers' ``CorsMiddleware`` on the corsgate engine (sync and async)."""

    def start(self) -> None:
        current_policy()  # invalid settings fail at start-up, not on the first request

    def decide(self, request: HttpRequest) -> Decision:
        policy, with_signal = current_policy()
        return _decide(policy, with_signal, request)

    async def adecide(self, request: HttpRequest) -> Decision:
        policy, with_signal = current_policy()
        if with_signal:  # receivers may block (the ORM): not on the event loop
            decision: Decision = await sync_to_async(_decide, thread_sensitive=True)(policy, with_signal, request)
            return decision
        return _decide(policy, with_signal, request)
