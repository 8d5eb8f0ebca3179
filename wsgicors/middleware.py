"""The WSGI middleware: answers preflights, adds headers to actual responses."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Unpack

from .clash import warn_if_clashing
from .decision import ADD, PASS, RESPOND
from .engine import explain, logger
from .errors import CORSConfigError
from .headers import apply_headers
from .options import Options, documented
from .policy import Policy

if TYPE_CHECKING:
    from _typeshed import OptExcInfo
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["CORSMiddleware"]

DEBUG = logging.DEBUG
# Asked before explain() is called: a denied request pays one call, not two, with DEBUG off.
debug_enabled = logger.isEnabledFor


@documented
class CORSMiddleware:
    """Wrap a WSGI app: ``CORSMiddleware(app, **options)`` or ``(app, policy=Policy(...))``.

    Preflights are answered here without calling the app (unless
    ``preflight_continue``); every other response of a CORS request gets its
    headers in a ``start_response`` wrapper, so bodies stream through untouched
    and the app's iterable (with its ``close()``) is returned as it is.
    """

    __slots__ = ("_decide", "app", "policy")

    def __init__(self, app: WSGIApplication, policy: Policy | None = None, **options: Unpack[Options]) -> None:
        if policy is not None and options:
            raise CORSConfigError("policy", policy, "give either policy= or options, not both", "Policy(**options)")
        if policy is not None and not isinstance(policy, Policy):
            raise CORSConfigError("policy", policy, "must be a wsgicors.Policy", "policy=Policy(origins=[...])")
        warn_if_clashing()
        self.app = app
        self.policy = policy if policy is not None else Policy(**options)
        self._decide = self.policy.decide

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        decision = self._decide(environ)
        if decision.reason is not None and debug_enabled(DEBUG):
            explain(decision, environ)
        write = decision.write
        if write == ADD:
            extra = decision.extra_list

            def cors_start_response(
                status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None
            ) -> Callable[[bytes], object]:
                # apply_headers, its common case inlined (a call is a tenth of the
                # request): no app header starts with A or V, so nothing to merge
                # or remove, and a new list is passed on (the app's is never
                # modified). exc_info goes through unchanged, so the server
                # re-raises when headers were already sent (PEP 3333).
                try:
                    for name, _ in headers:
                        if name[0] in "AaVv":
                            break
                    else:
                        return start_response(status, headers + extra, exc_info)
                except IndexError:  # an empty header name: the careful path keeps it
                    pass
                return start_response(status, apply_headers(decision, headers), exc_info)

            return self.app(environ, cors_start_response)
        if write == RESPOND:
            start_response(decision.status_line, decision.extra_list[:])  # type: ignore[arg-type]
            return []
        if write == PASS:
            return self.app(environ, start_response)

        def merging_start_response(
            status: str, headers: list[tuple[str, str]], exc_info: OptExcInfo | None = None
        ) -> Callable[[bytes], object]:
            return start_response(status, apply_headers(decision, headers), exc_info)

        return self.app(environ, merging_start_response)
