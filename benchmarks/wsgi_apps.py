"""The WSGI variants: the bare hello app, the two floor middlewares, ours, wsgicors 0.7."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from wsgicors import CORSMiddleware, Policy

from .common import BODY, PolicySpec, WSGIApp
from .peers import wsgicors07_app

_HEADERS = (("Content-Type", "text/plain"), ("Content-Length", str(len(BODY))))


def hello(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The bare app: one status, two headers, one body chunk."""
    start_response("200 OK", list(_HEADERS))
    return [BODY]


def empty(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """End-to-end control: what a preflight answer is (200, no body), without any CORS logic."""
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "0")])
    return []


class PassThrough:
    """Floor 1: a middleware that only calls the app (one layer's cost)."""

    __slots__ = ("app",)

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return self.app(environ, start_response)


class OneHeader:
    """Floor 2: appends one header through a start_response wrapper (the least a
    middleware that touches the response can cost)."""

    __slots__ = ("app",)

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def wrapper(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers.append(("Vary", "Origin"))
            return start_response(status, headers, exc_info)

        return self.app(environ, wrapper)


def variants(policy: PolicySpec) -> dict[str, WSGIApp]:
    """Name -> WSGI app, in the order the report lists them."""
    return {
        "bare": hello,
        "pass_through": PassThrough(hello),
        "one_header": OneHeader(hello),
        "ours": CORSMiddleware(hello, policy=Policy(**policy.ours())),
        "wsgicors07": wsgicors07_app(hello, policy),
    }
