"""The WSGI middleware: answers preflights, adds headers to actual responses."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from .engine import decide, explain
from .errors import CORSConfigError
from .headers import apply_headers
from .policy import Policy

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["CORSMiddleware"]


class CORSMiddleware:
    """Wrap a WSGI app: ``CORSMiddleware(app, **options)`` or ``(app, policy=Policy(...))``.

    Preflights are answered here without calling the app (unless
    ``preflight_continue``); every other response of a CORS request gets its
    headers in a ``start_response`` wrapper, so bodies stream through untouched
    and the app's iterable (with its ``close()``) is returned as it is.
    """

    __slots__ = ("app", "policy")

    def __init__(self, app: WSGIApplication, policy: Policy | None = None, **options: Any) -> None:
        if policy is not None and options:
            raise CORSConfigError("policy", policy, "give either policy= or options, not both", "Policy(**options)")
        if policy is not None and not isinstance(policy, Policy):
            raise CORSConfigError("policy", policy, "must be a wsgicors.Policy", "policy=Policy(origins=[...])")
        self.app = app
        self.policy = policy if policy is not None else Policy(**options)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        decision = decide(self.policy, environ)
        if decision.reason is not None:
            explain(decision, environ)
        if decision.respond:
            start_response(decision.status_line, list(decision.extra))  # type: ignore[arg-type]
            return []
        if not decision.touches_response:
            return self.app(environ, start_response)

        def cors_start_response(
            status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None
        ) -> Callable[[bytes], object]:
            # exc_info goes through unchanged, so the server re-raises when
            # headers were already sent (PEP 3333, "the start_response() callable").
            return start_response(status, apply_headers(decision, headers), exc_info)

        return self.app(environ, cors_start_response)
