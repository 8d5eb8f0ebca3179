"""A middleware placed below CORSMiddleware that records what reached it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

#: (method, path) of every request that got past CORSMiddleware.
seen: list[tuple[str, str]] = []


class Recorder:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request: Any) -> Any:
        seen.append((request.method, request.path))
        if self.async_mode:
            return self.get_response(request)  # a coroutine: Django awaits it
        return self.get_response(request)
