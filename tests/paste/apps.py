"""The app the .ini files of these tests wrap: a hello app, as PasteDeploy's app factory."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any


def hello(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"hello"]


def app_factory(global_conf: Mapping[str, Any], **local_conf: str) -> Callable[..., Iterable[bytes]]:
    """PasteDeploy's ``paste.app_factory``: the hello app (it takes no options)."""
    assert not local_conf, local_conf
    return hello
