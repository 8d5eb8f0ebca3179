"""Calling ASGI apps in tests: a raw scope, the messages sent, and small raw apps."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Message = dict[str, Any]
Scope = dict[str, Any]
App = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]

A = "https://app.example.com"
B = "https://other.example.com"
EVIL = "https://evil.example.org"


def http_scope(
    method: str = "GET",
    path: str = "/",
    headers: Iterable[tuple[str, str]] = (),
    *,
    root_path: str = "",
    scope_type: str = "http",
    **extra: Any,
) -> Scope:
    """A scope as uvicorn builds it: lower-case byte header names, latin-1 values."""
    scope: Scope = {
        "type": scope_type,
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": root_path + path,
        "raw_path": (root_path + path).encode("utf-8"),
        "root_path": root_path,
        "query_string": b"",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
    }
    if scope_type == "websocket":
        del scope["method"]
    scope.update(extra)
    return scope


@dataclass
class Sent:
    """What the door sent to the server for one request."""

    messages: list[Message]

    @property
    def start(self) -> Message:
        starts = [m for m in self.messages if m["type"] == "http.response.start"]
        assert len(starts) == 1, self.messages
        return starts[0]

    @property
    def status(self) -> int:
        return int(self.start["status"])

    @property
    def headers(self) -> list[tuple[str, str]]:
        return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in self.start.get("headers", [])]

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.messages if m["type"] == "http.response.body")

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k == name.lower()]

    def get(self, name: str) -> str | None:
        values = self.all(name)
        assert len(values) <= 1, f"{name} sent {len(values)} times: {values}"
        return values[0] if values else None

    def cors(self) -> dict[str, str]:
        return {k: v for k, v in self.headers if k.startswith("access-control-")}


def run(app: App, scope: Scope, incoming: Iterable[Message] = ()) -> Sent:
    """Run ``app`` on ``scope`` (``incoming``: what receive() returns, then http.disconnect)."""
    queue = list(incoming) or [{"type": "http.request", "body": b"", "more_body": False}]
    sent: list[Message] = []

    async def receive() -> Message:
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return Sent(sent)


def request(app: App, method: str = "GET", path: str = "/", **headers: str) -> Sent:
    """``request(door, "OPTIONS", origin=A, access_control_request_method="PUT")``."""
    pairs = [(k.replace("_", "-"), v) for k, v in headers.items()]
    return run(app, http_scope(method, path, pairs))


@dataclass
class Recorder:
    """A raw ASGI app that records the scopes it saw and answers as told."""

    status: int = 200
    headers: list[tuple[bytes, bytes]] = field(default_factory=lambda: [(b"content-type", b"text/plain")])
    chunks: tuple[bytes, ...] = (b"hello",)
    seen: list[Scope] = field(default_factory=list)
    starts: list[Message] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        self.seen.append(scope)
        start = {"type": "http.response.start", "status": self.status, "headers": self.headers}
        self.starts.append(start)
        await send(start)
        for index, chunk in enumerate(self.chunks):
            await send({"type": "http.response.body", "body": chunk, "more_body": index < len(self.chunks) - 1})
