"""Fixtures: one ``http`` fixture that runs each test through Django's sync Client and AsyncClient."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient, Client

from tests.django_project import middleware, views

APP = "https://app.example"


@dataclass
class Result:
    status: int
    headers: dict[str, str]
    body: bytes
    response: Any

    @property
    def cors(self) -> dict[str, str]:
        """The Access-Control-* headers and Vary, exactly."""
        return {k: v for k, v in self.headers.items() if k.lower().startswith("access-control-") or k == "Vary"}


async def _read_async(response: Any) -> bytes:
    if response.streaming:
        if getattr(response, "is_async", False):
            return b"".join([chunk async for chunk in response.streaming_content])
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _read(response: Any) -> bytes:
    if response.streaming:
        if getattr(response, "is_async", False):
            return async_to_sync(_read_async)(response)
        return b"".join(response.streaming_content)
    return bytes(response.content)


class Http:
    """``http("GET", "/ok/", origin=APP, **headers)``; ``mode`` is 'sync' or 'async'."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def __call__(self, method: str, path: str, origin: str | None = None, **headers: str) -> Result:
        sent = {name.replace("_", "-"): value for name, value in headers.items()}
        if origin is not None:
            sent["Origin"] = origin
        if self.mode == "sync":
            response = Client(raise_request_exception=False, enforce_csrf_checks=True).generic(
                method, path, headers=sent
            )
            body = _read(response)
        else:
            client = AsyncClient(raise_request_exception=False, enforce_csrf_checks=True)

            async def go() -> tuple[Any, bytes]:
                response = await client.generic(method, path, headers=sent)
                return response, await _read_async(response)

            response, body = async_to_sync(go)()
        if hasattr(response, "close"):
            response.close()
        return Result(response.status_code, dict(response.headers), body, response)

    def preflight(self, path: str, origin: str = APP, method: str = "POST", **headers: str) -> Result:
        return self("OPTIONS", path, origin=origin, Access_Control_Request_Method=method, **headers)


@pytest.fixture(params=["sync", "async"])
def http(request: pytest.FixtureRequest) -> Http:
    return Http(request.param)


@pytest.fixture(autouse=True)
def _reset_records() -> Iterator[None]:
    views.calls.clear()
    views.origin_checks.clear()
    middleware.seen.clear()
    yield
