"""Starlette's ``CORSMiddleware`` on the ASGI door: Starlette's arguments, the engine's decisions.

Requests are decided by the engine exactly as :class:`asgi_ext.CORSMiddleware`
decides them; only a preflight's answer is written the way Starlette writes it
(its suite checks it): 200 ``OK``, or 400 ``Disallowed CORS origin, method,
headers, private-network`` naming what was refused, its fixed Vary line, and
the requested headers echoed as sent for ``allow_headers=["*"]``.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from wsgicors import Decision, Kind
from wsgicors.memo import MAX_MEMO_VALUE, MEMO_SIZE
from wsgicors.tokens import parse_request_headers

from ..middleware import CORSMiddleware as Door
from ..types import ASGIApp, Send
from ..wire import RawHeaders
from .translate import starlette_policy

__all__ = ["STARLETTE_PREFLIGHT_VARY", "CORSMiddleware"]

STARLETTE_PREFLIGHT_VARY = (
    b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network"
)
_ACAH = b"access-control-allow-headers"
_OWN = frozenset((b"content-type", b"content-length"))
_TEXT = b"text/plain; charset=utf-8"

Answer = tuple[int, RawHeaders, bytes]
AnswerKey = tuple[Decision, str | None, str | None, str | None]


class CORSMiddleware(Door):
    """``from asgi_ext.compat import CORSMiddleware``: Starlette's (and FastAPI's) signature.

    ``allow_origins=["*"]`` with ``allow_credentials=True`` and regexes the
    engine's guard refuses raise :class:`wsgicors.CORSConfigError` at start-up,
    naming the fix. Beyond Starlette: websocket handshakes' Origin is checked
    (``check_websocket_origin=False`` turns it off) and an allowed request whose
    app raises gets a 500 with the CORS headers.
    """

    __slots__ = ("_answers",)

    def __init__(
        self,
        app: ASGIApp,
        allow_origins: Collection[str] = (),
        allow_methods: Collection[str] = ("GET",),
        allow_headers: Collection[str] = (),
        allow_credentials: bool = False,
        allow_origin_regex: str | None = None,
        allow_private_network: bool = False,
        expose_headers: Collection[str] = (),
        max_age: int = 600,
        *,
        check_websocket_origin: bool = True,
    ) -> None:
        policy = starlette_policy(
            allow_origins,
            allow_methods,
            allow_headers,
            allow_credentials,
            allow_origin_regex,
            allow_private_network,
            expose_headers,
            max_age,
        )
        super().__init__(app, policy, check_websocket_origin=check_websocket_origin)
        self._answers: dict[AnswerKey, Answer] = {}

    async def respond(self, decision: Decision, environ: dict[str, Any], send: Send) -> None:
        """The preflight's answer as Starlette writes it (remembered per decision and request values)."""
        key = (
            decision,
            environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD"),
            environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS"),
            environ.get("HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK"),
        )
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answer(*key)
            if all(value is None or len(value) <= MAX_MEMO_VALUE for value in key[1:]):
                if len(self._answers) >= MEMO_SIZE:
                    self._answers.clear()
                self._answers[key] = answer
        status, headers, body = answer
        await send({"type": "http.response.start", "status": status, "headers": list(headers)})
        await send({"type": "http.response.body", "body": body})

    def _answer(
        self, decision: Decision, method: str | None, requested: str | None, private_network: str | None
    ) -> Answer:
        policy = self.policy
        refused: list[str] = []
        if decision.kind is Kind.DENIED:
            refused.append("origin")
        if policy.methods is not None and method not in policy.methods:
            refused.append("method")
        echo: bytes | None = None
        if requested is not None:
            names = parse_request_headers(requested)
            if policy.allowed_headers is None:
                if names and decision.kind is not Kind.DENIED:
                    echo = requested.encode("latin-1")  # as sent: validated tokens, commas and spaces
            elif names is None or not policy.allowed_headers.issuperset(names):
                refused.append("headers")
        if private_network is not None and not policy.private_network:
            refused.append("private-network")
        body = ("Disallowed CORS " + ", ".join(refused)).encode() if refused else b"OK"
        headers = [(name, value) for name, value in self._wire(decision).headers if name not in _OWN]
        if echo is not None:
            headers = [item for item in headers if item[0] != _ACAH]
            headers.append((_ACAH, echo))
        headers += [
            (b"vary", STARLETTE_PREFLIGHT_VARY),
            (b"content-type", _TEXT),
            (b"content-length", str(len(body)).encode()),
        ]
        return (400 if refused else 200), headers, body
