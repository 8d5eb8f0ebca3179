"""The test project with django-cors-headers' settings: the compat middleware in place of the native one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.django.conftest import Http
from tests.django_project import middleware, views

COMPAT = "django_ext.compat.CorsMiddleware"
A = "https://a.example"
B = "https://b.example"


@pytest.fixture(autouse=True)
def compat_project(settings: Any) -> Iterator[Any]:
    """MIDDLEWARE as a django-cors-headers user has it, and no native CORS setting."""
    settings.MIDDLEWARE = [COMPAT, *settings.MIDDLEWARE[1:]]
    del settings.CORS
    views.calls.clear()
    middleware.seen.clear()
    yield settings


@pytest.fixture(params=["sync", "async"])
def http(request: pytest.FixtureRequest) -> Http:
    return Http(request.param)
