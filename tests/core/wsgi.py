"""Calling WSGI apps in tests: a environ builder and a recording start_response."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

from wsgicors import CORSMiddleware, Policy

App = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass
class Response:
    status: str
    headers: list[tuple[str, str]]
    body: bytes = b""
    calls: int = 1

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def get(self, name: str) -> str | None:
        values = self.all(name)
        assert len(values) <= 1, f"{name} sent {len(values)} times: {values}"
        return values[0] if values else None

    def cors(self) -> dict[str, str]:
        return {k: v for k, v in self.headers if k.lower().startswith("access-control-")}


@dataclass
class Recorder:
    """A WSGI app that records the environs it saw and answers as told."""

    status: str = "200 OK"
    headers: list[tuple[str, str]] = field(default_factory=lambda: [("Content-Type", "text/plain")])
    body: list[bytes] = field(default_factory=lambda: [b"hello"])
    seen: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        self.seen.append(environ)
        start_response(self.status, list(self.headers))
        return list(self.body)


def environ_for(method: str = "GET", path: str = "/", **headers: str) -> dict[str, Any]:
    """A complete WSGI environ; ``headers`` by HTTP name with '_' for '-'."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
    }
    setup_testing_defaults(environ)
    for name, value in headers.items():
        environ["HTTP_" + name.upper()] = value
    return environ


def wrap(app: App, policy: Policy | None = None, **options: Any) -> App:
    """The app under CORSMiddleware, with wsgiref's validator on both sides."""
    middleware = CORSMiddleware(validator(app), policy=policy, **options)  # type: ignore[arg-type]
    return validator(middleware)  # type: ignore[return-value]


def call(app: App, environ: dict[str, Any]) -> Response:
    """Run one request to completion: status, headers, body; close() reached."""
    started: list[tuple[str, list[tuple[str, str]]]] = []
    chunks: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        if exc_info is not None and chunks:  # headers already sent: re-raise, as servers do
            raise exc_info[1].with_traceback(exc_info[2])
        started.append((status, list(headers)))
        return chunks.append

    result = app(environ, start_response)
    try:
        for chunk in result:
            chunks.append(chunk)
        body = b"".join(chunks)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    status, headers = started[-1]
    return Response(status, headers, body, len(started))


__all__ = ["Recorder", "Response", "call", "environ_for", "sys", "wrap"]
