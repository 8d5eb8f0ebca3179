"""A minimal Django project: one hello view, settings configured in-process.

``configure()`` sets Django up once per process; ``handler(middleware)``
builds a WSGI handler over the given MIDDLEWARE list (the list is read when
the handler is built, so bare, ours and the peer live side by side).
"""

from __future__ import annotations

from typing import Any

from .common import BODY, PolicySpec, WSGIApp
from .peers import django_cors_headers_settings

OURS = "django_ext.middleware.CORSMiddleware"
PEER = "corsheaders.middleware.CorsMiddleware"
FLOOR = "benchmarks.django_site.PassThroughMiddleware"
MIDDLEWARES = {"bare": [], "floor": [FLOOR], "ours": [OURS], "django_cors_headers": [PEER]}


class PassThroughMiddleware:
    """Django's own floor: a middleware whose call is one line (what any middleware costs at least)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        return self.get_response(request)


def index(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse(BODY, content_type="text/plain")


def _urlpatterns() -> list[Any]:
    from django.urls import path

    return [path("", index)]


urlpatterns: list[Any] = []


def policy_settings(policy: PolicySpec) -> dict[str, Any]:
    """Our ``CORS`` dict and django-cors-headers' settings for ``policy``, side by side."""
    return {"CORS": policy.ours(), **django_cors_headers_settings(policy)}


def configure(policy: PolicySpec | None = None) -> None:
    import django
    from django.conf import settings

    if settings.configured:
        return
    settings.configure(
        DEBUG=False,
        SECRET_KEY="benchmarks-only",
        ALLOWED_HOSTS=["*"],
        USE_TZ=True,
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "corsheaders"],
        MIDDLEWARE=[],
        DATABASES={},
        LOGGING_CONFIG=None,
        **(policy_settings(policy) if policy is not None else {}),
    )
    django.setup()
    urlpatterns[:] = _urlpatterns()


def handler(middleware: list[str]) -> WSGIApp:
    """A WSGIHandler over ``middleware`` (settings must already hold the policy)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import override_settings

    with override_settings(MIDDLEWARE=middleware):
        wsgi: WSGIApp = WSGIHandler()
    return wsgi
