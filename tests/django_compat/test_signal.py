"""The check_request_enabled signal: the peer's contract (sender=None, request=the request; any truthy answer)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.http import HttpRequest

from django_ext.compat.signals import check_request_enabled
from tests.django_project import middleware, views

from .conftest import A, B

ALLOWED = {"Access-Control-Allow-Origin": B, "Vary": "Origin"}


@contextmanager
def receiver(handler: Callable[..., Any]) -> Iterator[None]:
    check_request_enabled.connect(handler)
    try:
        yield
    finally:
        check_request_enabled.disconnect(handler)


class Recorded:
    """A receiver that notes what it was sent and answers ``answer``."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.calls: list[dict[str, Any]] = []

    def __call__(self, signal: Any = None, **kwargs: Any) -> Any:
        try:
            asyncio.get_running_loop()
            kwargs["in_event_loop"] = True
        except RuntimeError:
            kwargs["in_event_loop"] = False
        self.calls.append(kwargs)
        return self.answer


@pytest.mark.parametrize("answer", [True, 1, "yes", [0]])
def test_truthy_answer_allows(http: Any, compat_project: Any, answer: Any) -> None:
    compat_project.CORS_ALLOWED_ORIGINS = [A]
    handler = Recorded(answer)
    with receiver(handler):
        assert http("GET", "/ok/", origin=B).cors == ALLOWED
        assert http.preflight("/ok/", origin=B, method="GET").headers["Access-Control-Allow-Origin"] == B


@pytest.mark.parametrize("answer", [False, None, 0, ""])
def test_falsy_answer_denies(http: Any, compat_project: Any, answer: Any) -> None:
    handler = Recorded(answer)
    with receiver(handler):
        assert http("GET", "/ok/", origin=B).cors == {"Vary": "Origin"}
        preflight = http.preflight("/ok/", origin=B, method="GET")
        assert preflight.status == 200 and preflight.cors == {"Vary": "Origin"}


def test_any_receiver_truthy_allows(http: Any) -> None:
    no, yes = Recorded(False), Recorded(True)
    with receiver(no), receiver(yes):
        assert http("GET", "/ok/", origin=B).cors == ALLOWED
    assert len(no.calls) == len(yes.calls) == 1


def test_receivers_get_sender_none_and_the_request(http: Any) -> None:
    handler = Recorded(True)
    with receiver(handler):
        result = http("GET", "/api/ok/?q=1", origin=B)
    (call,) = handler.calls
    assert call["sender"] is None
    request = call["request"]
    assert isinstance(request, HttpRequest)
    assert request.path == "/api/ok/" and request.GET["q"] == "1" and request.headers["Origin"] == B
    # ... the very object the view got, not a copy.
    served = getattr(result.response, "wsgi_request", None) or result.response.asgi_request
    assert request is served
    assert set(call) == {"sender", "request", "in_event_loop"}


def test_receiver_decides_by_path(http: Any, compat_project: Any) -> None:
    compat_project.CORS_ALLOWED_ORIGINS = [A]

    def api_for_all(sender: Any, request: HttpRequest, **kwargs: Any) -> bool:
        return request.path.startswith("/api/")

    with receiver(api_for_all):
        assert http("GET", "/ok/", origin=B).cors == {"Vary": "Origin"}
        assert http("GET", "/api/ok/", origin=B).cors == ALLOWED
        assert http("GET", "/ok/", origin=A).cors == {"Access-Control-Allow-Origin": A, "Vary": "Origin"}


@pytest.mark.parametrize(
    ("method", "origin", "sent"),
    [
        ("GET", B, 1),  # not in the list: asked once
        ("OPTIONS", B, 1),  # a preflight: asked once
        ("GET", A, 0),  # the list allows it: never asked
        ("OPTIONS", A, 0),
        ("GET", None, 0),  # no Origin: nothing to allow
        ("GET", "https://bad.example]", 0),  # not an origin: never reaches the receivers
    ],
)
def test_sent_at_most_once(http: Any, compat_project: Any, method: str, origin: str | None, sent: int) -> None:
    compat_project.CORS_ALLOWED_ORIGINS = [A]
    handler = Recorded(True)
    with receiver(handler):
        if method == "OPTIONS":
            http.preflight("/ok/", origin=origin or B, method="PUT")
        else:
            http(method, "/ok/", origin=origin)
    assert len(handler.calls) == sent


def test_async_receivers_run_off_the_event_loop(compat_project: Any) -> None:
    from tests.django.conftest import Http

    handler = Recorded(True)
    with receiver(handler):
        assert Http("async")("GET", "/async-ok/", origin=B).cors == ALLOWED
        Http("sync")("GET", "/ok/", origin=B)
    # Under ASGI the receiver ran in a worker thread (so it may use the ORM).
    assert [call["in_event_loop"] for call in handler.calls] == [False, False]


def test_raising_receiver_denies(http: Any, caplog: pytest.LogCaptureFixture) -> None:
    def broken(sender: Any, request: HttpRequest, **kwargs: Any) -> bool:
        raise LookupError("tenant table unavailable")

    with receiver(broken), caplog.at_level(logging.ERROR, logger="wsgicors"):
        result = http("GET", "/ok/", origin=B)
    assert result.status == 200 and result.cors == {"Vary": "Origin"}
    assert views.calls == ["ok"]
    assert "origin check raised" in caplog.text


def test_disconnected_receiver_is_not_asked(http: Any, compat_project: Any) -> None:
    compat_project.CORS_ALLOWED_ORIGINS = [A]
    handler = Recorded(True)
    with receiver(handler):
        assert http("GET", "/ok/", origin=B).cors == ALLOWED
    assert http("GET", "/ok/", origin=B).cors == {"Vary": "Origin"}
    assert http("GET", "/ok/", origin=A).cors == {"Access-Control-Allow-Origin": A, "Vary": "Origin"}
    assert len(handler.calls) == 1


def test_signal_enables_urls_outside_urls_regex(http: Any, compat_project: Any) -> None:
    """As in the peer, a truthy receiver also covers URLs outside CORS_URLS_REGEX."""
    compat_project.CORS_ALLOWED_ORIGINS = [A]
    compat_project.CORS_URLS_REGEX = r"^/api/"

    def ok_only(sender: Any, request: HttpRequest, **kwargs: Any) -> bool:
        return request.path == "/ok/"

    with receiver(ok_only):
        assert http("GET", "/ok/", origin=B).cors == ALLOWED
        assert http("GET", "/api/ok/", origin=A).cors == {"Access-Control-Allow-Origin": A, "Vary": "Origin"}
        # Outside the regex only the signal speaks: A, listed, is not allowed on /post/
        # (the peer leaves that response untouched; here it gets Vary: Origin alone).
        assert http("GET", "/post/", origin=A).cors == {"Vary": "Origin"}
        middleware.seen.clear()
        assert http.preflight("/ok/", origin=B, method="GET").headers["Access-Control-Allow-Origin"] == B
        assert middleware.seen == []
