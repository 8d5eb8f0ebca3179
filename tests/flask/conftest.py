"""Clients for the Flask door: Flask's test client, and a plain WSGI client
with ``wsgiref.validate`` around the app (PEP 3333 conformance)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol
from wsgiref.validate import validator

import pytest
from flask import Flask
from werkzeug.test import Client, TestResponse


class AnyClient(Protocol):
    def open(self, *args: Any, **kwargs: Any) -> TestResponse: ...
    def get(self, *args: Any, **kwargs: Any) -> TestResponse: ...
    def post(self, *args: Any, **kwargs: Any) -> TestResponse: ...
    def options(self, *args: Any, **kwargs: Any) -> TestResponse: ...
    def delete(self, *args: Any, **kwargs: Any) -> TestResponse: ...
    def head(self, *args: Any, **kwargs: Any) -> TestResponse: ...


MakeClient = Callable[[Flask], AnyClient]


class BufferedClient(Client):
    """Reads the whole body and closes the app's iterable (the validator checks it)."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@pytest.fixture(params=["flask", "validated"])
def make_client(request: pytest.FixtureRequest) -> MakeClient:
    """``make_client(app)``: Flask's test client, or a werkzeug client over
    ``wsgiref.validate.validator(app)``, whose assertions fail the test on
    any PEP 3333 violation (warnings from it are errors too, see pytestmark)."""
    if request.param == "flask":
        return lambda app: app.test_client()

    def validated(app: Flask) -> AnyClient:
        return BufferedClient(validator(app))

    return validated
