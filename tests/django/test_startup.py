"""Issue 11, item 3: a bad cross_origin view fails the process when the handler starts, not per request.

gunicorn and uvicorn run no system checks: the WSGI and ASGI handlers build the
middleware chain in their constructor, and that is where every decorated
view's policy is now built, so ``WSGIHandler()`` / ``ASGIHandler()`` raise
``ImproperlyConfigured`` naming the view and the option.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler
from django.test import override_settings

from django_ext import conf

HANDLERS = [WSGIHandler, ASGIHandler]


@pytest.mark.parametrize("handler", HANDLERS, ids=["wsgi", "asgi"])
def test_a_bad_view_fails_the_handler_start_naming_the_view_and_the_option(handler: type) -> None:
    with override_settings(ROOT_URLCONF="tests.django_project.urls_bad"):
        with pytest.raises(ImproperlyConfigured) as info:
            handler()
    message = str(info.value)
    # The project's CORS setting has credentials=True; the view asks for '*'.
    assert message.startswith("cross_origin on view tests.django_project.urls_bad.wildcard at '/wildcard/': ")
    assert "CORS option 'origins'" in message
    assert "credentials=True" in message


@pytest.mark.parametrize("handler", HANDLERS, ids=["wsgi", "asgi"])
def test_a_bad_view_in_an_included_urlconf_is_found_too(handler: type) -> None:
    # Without credentials the '*' view is valid: the nested one is next.
    setting = {"origins": ["https://app.example"]}
    with override_settings(ROOT_URLCONF="tests.django_project.urls_bad", CORS=setting):
        with pytest.raises(ImproperlyConfigured) as info:
            handler()
    message = str(info.value)
    assert "view tests.django_project.urls_bad.bad_max_age at '/nested/bad/'" in message
    assert "CORS option 'max_age'" in message


def _get(app: Any, path: str, origin: str) -> tuple[str, dict[str, str]]:
    environ: dict[str, Any] = {"PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "", "HTTP_ORIGIN": origin}
    setup_testing_defaults(environ)
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        seen["status"], seen["headers"] = status, dict(headers)
        return lambda data: None

    body: Iterable[bytes] = validator(app)(environ, start_response)
    try:
        b"".join(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    return seen["status"], seen["headers"]


def test_good_views_are_built_at_start_up_and_served_from_then_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conf._state, "views", {})
    handler = WSGIHandler()
    built = {id(options) for _, options, _ in conf._state.views.values()}
    assert len(built) == 3  # view_policy, async_view_policy, DecoratedView.dispatch

    def no_build(*args: object) -> None:
        raise AssertionError("a view policy was built at request time")

    monkeypatch.setattr(conf, "_build_view_policy", no_build)
    status, headers = _get(handler, "/view-policy/", "https://view.example")
    assert status == "200 OK"
    assert headers["Access-Control-Allow-Origin"] == "https://view.example"
    assert headers["Access-Control-Expose-Headers"] == "X-View"


def test_an_invalid_setting_still_fails_first_naming_the_setting() -> None:
    with override_settings(ROOT_URLCONF="tests.django_project.urls_bad", CORS={"max_age": -1}):
        with pytest.raises(ImproperlyConfigured, match=r"settings\.CORS: CORS option 'max_age'"):
            WSGIHandler()


@pytest.mark.parametrize("handler", HANDLERS, ids=["wsgi", "asgi"])
def test_every_bad_value_of_the_setting_is_named_at_start_up(handler: type) -> None:
    bad = {"origin": ["https://app.example"], "methods": 5, "max_age": -1}
    with override_settings(CORS=bad):
        with pytest.raises(ImproperlyConfigured) as info:
            handler()
    message = str(info.value)
    assert message.startswith("settings.CORS: 3 problems (run 'manage.py check' for the hints):\n")
    assert """1. CORS option 'CORS["origin"]': unknown option""" in message
    assert "CORS option 'methods'" in message
    assert (
        """CORS option 'max_age': must be a whole number of seconds >= 0, or None (got -1). Fix: CORS["max_age"]"""
        in (message)
    )


@pytest.mark.parametrize("handler", HANDLERS, ids=["wsgi", "asgi"])
def test_a_peer_setting_beside_the_native_middleware_fails_the_start(handler: type) -> None:
    """django-cors-headers' CORS_ALLOWED_ORIGINS is not read by django_ext: ignored, CORS = {} would allow '*'."""
    with override_settings(CORS={}, CORS_ALLOWED_ORIGINS=["https://app.example"]):
        with pytest.raises(ImproperlyConfigured) as info:
            handler()
    message = str(info.value)
    assert message.startswith("settings.CORS_ALLOWED_ORIGINS: django_ext reads only settings.CORS")
    assert """use CORS["origins"] = ['https://app.example']""" in message
    with override_settings(CORS={"origins": ["https://app.example"]}):
        handler()  # pasted in, it starts
