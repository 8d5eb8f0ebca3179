"""The browser suite's Django project: URLconf, views and an error-handling middleware.

Used through ``override_settings(ROOT_URLCONF="tests.browser.django_app", ...)``
(see ``apps.build_django``); views note the requests that reach them in the
``BROWSER_SEEN`` list of the active settings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.views.decorators.http import require_GET

from .apps import APP_HEADERS, COOKIE, DATA_PATHS, ERROR_BODY, REFUSING_PATH, AppError, cookie_body
from .scenarios import data_body

__all__ = ["AppErrorMiddleware", "ensure_configured", "urlpatterns"]


def ensure_configured() -> None:
    """Configure Django when no settings module did (the suite run without pytest-django)."""
    if settings.configured:
        return
    import django

    settings.configure(
        SECRET_KEY="browser-tests-only",
        DEBUG=False,
        ALLOWED_HOSTS=["*"],
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
        MIDDLEWARE=[],
        ROOT_URLCONF="tests.browser.django_app",
        USE_TZ=True,
    )
    django.setup()


def _seen(request: HttpRequest) -> None:
    settings.BROWSER_SEEN.append((request.method, request.path_info))


def data(request: HttpRequest) -> HttpResponse:
    _seen(request)
    assert request.method is not None
    if request.method == "OPTIONS":
        if request.path_info == REFUSING_PATH:
            return HttpResponse("no", status=403, content_type="text/plain")
        response = HttpResponse(status=204)
        del response["Content-Type"]
        response["X-App-Options"] = "yes"
        return response
    text = request.body.decode()
    response = HttpResponse(data_body(request.method, request.path_info, text), content_type="application/json")
    for name, value in APP_HEADERS:
        response[name] = value
    return response


@require_GET
def cookie_set(request: HttpRequest) -> HttpResponse:
    _seen(request)
    response = HttpResponse('{"set":true}', content_type="application/json")
    response.set_cookie(*COOKIE, path="/", samesite="Lax")
    return response


@require_GET
def cookie_echo(request: HttpRequest) -> HttpResponse:
    _seen(request)
    return HttpResponse(cookie_body(request.COOKIES.get("sid")), content_type="application/json")


def error_handled(request: HttpRequest) -> HttpResponse:
    _seen(request)
    raise AppError("handled by the app's error handler")


def raise_(request: HttpRequest) -> HttpResponse:
    _seen(request)
    raise RuntimeError("turned into a 500 by the framework")


def redirect_(request: HttpRequest) -> HttpResponse:
    _seen(request)
    return HttpResponseRedirect(request.GET["to"])


class AppErrorMiddleware:
    """Django's per-exception error handler: AppError becomes the app's own 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, AppError):
            response = HttpResponse(ERROR_BODY, status=500, content_type="application/json")
            response["X-Error"] = "handled"
            return response
        return None


urlpatterns: list[Any] = [
    *(path(p.lstrip("/"), data) for p in sorted(DATA_PATHS)),
    path(REFUSING_PATH.lstrip("/"), data),
    path("cookie/set", cookie_set),
    path("cookie/echo", cookie_echo),
    path("error-handled", error_handled),
    path("raise", raise_),
    path("redirect", redirect_),
]
