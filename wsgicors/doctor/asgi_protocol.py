"""The ASGI side of the doctor's in-process ASGI transport: which apps are ASGI, the ``http`` scope a
server builds, the checks on what the app sends, and the ``lifespan`` protocol (standard library only).

Detection rule (``is_asgi``): the object, or its class's ``__call__``, is a coroutine function
(Starlette, FastAPI, Quart, Litestar, Django's ASGIHandler, most ASGI middleware); else a callable
with exactly three required positional parameters (``scope, receive, send``). A class, or anything
else, is WSGI. ``--app-interface asgi|wsgi`` overrides it.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Iterable, MutableMapping, Sequence
from typing import Any
from urllib.parse import unquote

from .request import Url, is_token
from .transport import TransportError

__all__ = ["ASGI", "AsgiApp", "Lifespan", "Message", "invalid", "is_asgi", "make_scope", "quiet",
           "response_headers", "response_status", "run_app"]  # fmt: skip

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

ASGI = {"version": "3.0", "spec_version": "2.4"}
_CLIENT = ("127.0.0.1", 49152)


def is_asgi(app: object) -> bool:
    """The detection rule (see the module docstring): a coroutine function, or three positional parameters."""
    if not callable(app) or inspect.isclass(app):
        return False  # a class called per request is WSGI's iterable-class pattern (ASGI 2 is not supported)
    # An instance's __call__: Starlette, FastAPI, Django's ASGIHandler, most ASGI middleware.
    if inspect.iscoroutinefunction(app) or inspect.iscoroutinefunction(type(app).__call__):
        return True
    try:
        parameters = inspect.signature(app).parameters.values()
    except (TypeError, ValueError):
        return False
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    required = [p for p in parameters if p.kind in kinds and p.default is inspect.Parameter.empty]
    return len(required) == 3


def make_scope(method: str, url: Url, headers: Sequence[tuple[str, str]], body: bytes | None) -> dict[str, Any]:
    """The ``http`` scope a server builds for this request (header names lower-case bytes, values Latin-1)."""
    default = 443 if url.scheme == "https" else 80
    target, _, query = url.target.partition("?")
    raw_path = target.encode("utf-8")
    host = f"[{url.host}]" if ":" in url.host else url.host
    fields = [(b"host", (host if url.port == default else f"{host}:{url.port}").encode("latin-1", "replace"))]
    fields += [(name.lower().encode("latin-1"), value.encode("latin-1", "replace")) for name, value in headers]
    if body is not None:
        fields.append((b"content-length", str(len(body)).encode()))
    return {
        "type": "http",
        "asgi": dict(ASGI),
        "http_version": "1.1",
        "method": method,
        "scheme": url.scheme,
        "path": unquote(target),
        "raw_path": raw_path,
        "query_string": query.encode("utf-8"),
        "root_path": "",
        "headers": fields,
        "server": (url.host, url.port),
        "client": _CLIENT,
        "extensions": {},
    }


def invalid(detail: str) -> TransportError:
    return TransportError("ERR_INVALID_HTTP_RESPONSE", f"the app {detail}")


async def run_app(app: AsgiApp, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
    """``await app(scope, receive, send)``, inside the task: an app that raises at once, or returns no
    awaitable (a WSGI app called as ASGI), fails the task, as under a server."""
    await app(scope, receive, send)


def quiet(task: asyncio.Future[Any]) -> None:
    """Retrieve a finished task's exception: the report has it, the event loop need not print it."""
    if not task.cancelled():
        task.exception()


def response_status(value: object) -> int:
    """ASGI: an int (``'200'`` or ``'2²0'`` is not one)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 999:
        raise invalid(f"sent the status {value!r:.80}, not an int from 100 to 999")
    return value


def response_headers(value: object) -> list[tuple[str, str]]:
    """ASGI: an iterable of [name, value] byte strings; read as Latin-1, as off the wire."""
    if not isinstance(value, Iterable) or isinstance(value, (str, bytes)):
        raise invalid(f"sent headers {value!r:.80}, not a list of [name, value] byte strings")
    fields = []
    for item in value:
        pair = tuple(item) if isinstance(item, (list, tuple)) else ()
        if len(pair) != 2 or not all(isinstance(part, bytes) for part in pair):
            raise invalid(f"sent the header {item!r:.80}, not a [name, value] pair of byte strings")
        name, text = pair[0].decode("latin-1"), pair[1].decode("latin-1")
        if not is_token(name) or any(ch in text for ch in "\r\n\x00"):
            raise invalid(f"sent the header {item!r:.80}, which cannot be sent")
        fields.append((name, text.strip(" \t")))
    return fields


class Lifespan:
    """The ``lifespan`` protocol, "auto" as uvicorn runs it: an app that refuses it runs without it."""

    def __init__(self, app: AsgiApp, state: dict[str, Any]) -> None:
        self.app = app
        self.state = state
        self.supported = False
        self.inbox: asyncio.Queue[Message] | None = None
        self.answers: asyncio.Queue[Message] | None = None
        self.task: asyncio.Future[None] | None = None

    async def _receive(self) -> Message:
        assert self.inbox is not None
        return await self.inbox.get()

    async def _send(self, message: Message) -> None:
        assert self.answers is not None
        kind = message.get("type") if isinstance(message, MutableMapping) else None
        if not (isinstance(kind, str) and kind.startswith("lifespan.")):
            raise RuntimeError(f"{kind!r:.80} is not a lifespan message")  # the app does not speak lifespan
        await self.answers.put(message)

    async def _next(self, expected: str) -> bool:
        """Wait for ``expected`` + ``.complete`` (True); the app failing or refusing the protocol is False."""
        assert self.answers is not None and self.task is not None
        answer = asyncio.ensure_future(self.answers.get())
        waiting: set[asyncio.Future[Any]] = {answer, self.task}
        await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        if not answer.done():
            answer.cancel()
            return False  # the app raised or returned at once: it does not speak lifespan
        message = answer.result()
        if message.get("type") == f"{expected}.failed":
            detail = str(message.get("message", ""))[:200]
            raise TransportError("ERR_CONNECTION_REFUSED", f"the app's lifespan {expected} failed: {detail!r}")
        return message.get("type") == f"{expected}.complete"

    async def startup(self) -> None:
        self.inbox, self.answers = asyncio.Queue(), asyncio.Queue()
        scope = {"type": "lifespan", "asgi": dict(ASGI), "state": self.state}
        self.task = asyncio.ensure_future(run_app(self.app, scope, self._receive, self._send))
        self.task.add_done_callback(quiet)
        await self.inbox.put({"type": "lifespan.startup"})
        self.supported = await self._next("lifespan.startup")

    async def shutdown(self) -> None:
        assert self.inbox is not None
        await self.inbox.put({"type": "lifespan.shutdown"})
        await self._next("lifespan.shutdown")
