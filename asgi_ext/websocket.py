"""The websocket handshake's Origin check (cross-site websocket hijacking).

Browsers send Origin on a websocket handshake but apply no CORS to it: any
page may open a socket to any server, with the user's cookies. So a handshake
whose Origin is neither the server's own (its host[:port] is the Host) nor
allowed by the policy (the answer an actual GET from that origin would get) is
refused before the app sees it. A handshake without Origin (not a browser) passes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from wsgicors import Decision, Kind
from wsgicors.engine import logger
from wsgicors.shown import shown

from .scope import same_origin
from .types import Receive, Scope, Send

__all__ = ["REFUSED_BODY", "check_handshake"]

REFUSED_BODY = b"Cross-origin websocket refused"
#: RFC 6455, section 7.4.1: 1008, policy violation (a server turns a close before accept into a 403).
POLICY_VIOLATION = 1008


async def check_handshake(
    decide: Callable[[Mapping[str, Any]], Decision],
    scope: Scope,
    environ: Mapping[str, Any],
    receive: Receive,
    send: Send,
) -> bool:
    """True to hand the handshake to the app; False when it was refused here."""
    origin = environ.get("HTTP_ORIGIN")
    if not origin or same_origin(origin, environ.get("HTTP_HOST")):
        return True
    if decide(environ).kind is Kind.ACTUAL:
        return True
    logger.debug(
        "CORS websocket handshake refused: origin %s is neither the server's own (Host %s) nor allowed (path %s)",
        shown(origin),
        shown(environ.get("HTTP_HOST")),
        shown(environ.get("PATH_INFO")),
    )
    message = await receive()  # websocket.connect: the app answers it with accept or close
    if message.get("type") != "websocket.connect":
        return False  # the client went away already
    await refuse(scope, send)
    return False


async def refuse(scope: Scope, send: Send) -> None:
    """A 403 through the ``websocket.http.response`` extension where the server offers it, else a close."""
    extensions = scope.get("extensions")
    if extensions and "websocket.http.response" in extensions:
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"%d" % len(REFUSED_BODY))]
        await send({"type": "websocket.http.response.start", "status": 403, "headers": headers})
        await send({"type": "websocket.http.response.body", "body": REFUSED_BODY})
    else:
        await send({"type": "websocket.close", "code": POLICY_VIOLATION})
