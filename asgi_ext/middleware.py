"""The ASGI door: the engine's decision, written into ASGI messages.

Nothing here decides: the policy's ``decide`` (the WSGI door's, on the same
environ-like inputs read from the scope) says what a request gets; the door
answers preflights itself, adds headers at ``http.response.start`` in a new
message with a new header list, and passes every body message through as it is.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from wsgicors import CORSConfigError, Decision, Kind, Policy
from wsgicors.decision import ADD, PASS, RESPOND
from wsgicors.engine import explain, logger

from .names import NATIVE_BY_STARLETTE, native_fix
from .scope import environ_of, full_environ
from .types import ASGIApp, Message, Receive, Scope, Send
from .websocket import check_handshake
from .wire import ERROR_500, WireTable, merged_headers

__all__ = ["CORSMiddleware"]

DEBUG = logging.DEBUG
debug_enabled = logger.isEnabledFor

#: The requests whose failure the door answers with a 500 carrying the CORS headers.
_ALLOWED = frozenset((Kind.ACTUAL, Kind.PREFLIGHT))
_START = "http.response.start"
#: First bytes of the names that need the careful path (Access-Control-*, Vary), as ints.
_A_OR_V = frozenset(b"aAvV")
_EMPTY_BODY: Message = {"type": "http.response.body", "body": b""}


def _policies(policy: Policy) -> list[Policy]:
    """The policy and its routes' policies."""
    return [policy, *(route.policy for route in policy.routes or () if route.policy is not None)]


class CORSMiddleware:
    """Wrap an ASGI app: ``CORSMiddleware(app, **options)`` or ``(app, policy=Policy(...))``.

    HTTP: what :class:`wsgicors.CORSMiddleware` answers for the same request.
    Websocket handshakes from an origin that is neither the server's own nor
    allowed by the policy are refused (``check_websocket_origin=False``: not
    checked). Lifespan and other scopes pass through untouched. An app that
    raises before answering an allowed request gets a 500 with the CORS headers
    (then the exception goes on to the server).
    """

    __slots__ = ("_decide", "_environ", "_wire", "_wires", "app", "check_websocket_origin", "policy")

    def __init__(
        self,
        app: ASGIApp,
        policy: Policy | None = None,
        *,
        check_websocket_origin: bool = True,
        **options: Any,  # TODO(surface): Unpack[Options]
    ) -> None:
        if policy is not None and options:
            raise CORSConfigError("policy", policy, "give either policy= or options, not both", "Policy(**options)")
        if policy is not None and not isinstance(policy, Policy):
            raise CORSConfigError("policy", policy, "must be a wsgicors.Policy", "policy=Policy(origins=[...])")
        for name in options:
            if name in NATIVE_BY_STARLETTE:
                raise CORSConfigError(name, options[name], "this is Starlette's name", native_fix(name, options[name]))
        if not isinstance(check_websocket_origin, bool):
            raise CORSConfigError(
                "check_websocket_origin", check_websocket_origin, "must be True or False", "check_websocket_origin=True"
            )
        self.app = app
        self.policy = policy if policy is not None else Policy(**options)
        self.check_websocket_origin = check_websocket_origin
        self._decide = self.policy.decide
        # A callable origin check may read any header: it gets the full translation.
        policies = _policies(self.policy)
        self._environ = full_environ if any(p.matcher.checks for p in policies) else environ_of
        self._wire = WireTable()
        self._wire.prefill(policies)
        self._wires = self._wire.table

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket" and self.check_websocket_origin:
                environ = self._environ(scope, "GET")
                if not await check_handshake(self._decide, scope, environ, receive, send):
                    return
            await self.app(scope, receive, send)
            return
        environ = self._environ(scope, scope["method"])
        decision = self._decide(environ)
        if decision.reason is not None and debug_enabled(DEBUG):
            explain(decision, environ)
        write = decision.write
        if write == PASS:
            await self.app(scope, receive, send)
            return
        if write == RESPOND:
            await self.respond(decision, environ, send)
            return
        wire = self._wires.get(decision) or self._wire(decision)
        extra = wire.extra
        careful = write != ADD
        started = False

        async def cors_send(message: Message) -> None:
            nonlocal started
            if not started and message["type"] == _START:
                started = True
                headers: Iterable[tuple[bytes, bytes]] = message.get("headers", ())
                if headers.__class__ is not list and headers.__class__ is not tuple:
                    headers = list(headers)  # any iterable (ASGI): read it once
                if not careful:
                    # apply_headers' common case: no app header starts with a or v, so
                    # nothing to merge or remove; an empty name takes the careful path.
                    for name, _ in headers:
                        if not name or name[0] in _A_OR_V:
                            break
                    else:
                        await send({**message, "headers": [*headers, *extra]})
                        return
                await send({**message, "headers": merged_headers(wire, headers)})
                return
            await send(message)

        try:
            await self.app(scope, receive, cors_send)
        except Exception:
            # The server's own 500 would carry no CORS header: the page would see a
            # CORS error instead of the 500. Only for an allowed request (a denied
            # one gets the server's 500, as under the WSGI door).
            if not started and decision.kind in _ALLOWED:
                started = True
                await send({"type": _START, "status": 500, "headers": wire.error_headers()})
                await send({"type": "http.response.body", "body": ERROR_500})
            raise

    async def respond(self, decision: Decision, environ: dict[str, Any], send: Send) -> None:
        """Answer a preflight here, without calling the app (a new message and header list each time)."""
        status, headers = self._wire(decision).start  # type: ignore[misc]
        await send({"type": _START, "status": status, "headers": list(headers)})
        await send(dict(_EMPTY_BODY))
