"""The browser scenarios' policies written as django-cors-headers settings, served through django_ext.compat.

``written(options)`` turns a scenario's options (the core's names, placeholders
filled) into the ``CORS_*`` settings a django-cors-headers user would write
for the same policy, or says why that policy cannot be written so.
``build_compat_django`` serves the browser suite's Django project with
``django_ext.compat.CorsMiddleware`` in place of the native door.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wsgicors import DEFAULT_METHODS

from .apps import Seen
from .peer_origins import origin_regex

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ["Unwritable", "Written", "build_compat_django", "written"]

MIDDLEWARE = ["django_ext.compat.CorsMiddleware", "tests.browser.django_app.AppErrorMiddleware"]

# Options django-cors-headers has no setting for, and why.
_UNWRITABLE = {
    "routes": "one CORS_URLS_REGEX and one policy: no per-path policies",
    "preflight_continue": "django-cors-headers always answers preflights itself",
    "preflight_status": "django-cors-headers always answers preflights with 200",
}


@dataclass(frozen=True)
class Written:
    """The settings, and whether the peer's answer also varies on Origin where ours does not."""

    settings: Mapping[str, Any]
    #: A '*' policy: the peer (and so the compat layer) sends ``Vary: origin`` on every
    #: response, where the native door sends none since nothing is reflected.
    adds_vary_origin: bool


@dataclass(frozen=True)
class Unwritable:
    reason: str


def _origin_settings(origins: list[str]) -> dict[str, Any]:
    if origins == ["*"]:
        return {"CORS_ALLOW_ALL_ORIGINS": True}
    exact, regexes = [], []
    for entry in origins:
        if entry.startswith("~") or "://*." in entry:
            regexes.append(origin_regex(entry))  # the peer has no wildcard form: its users write the regex
        else:
            exact.append(entry)
    return {"CORS_ALLOWED_ORIGINS": exact, "CORS_ALLOWED_ORIGIN_REGEXES": regexes}


def written(options: Mapping[str, Any]) -> Written | Unwritable:
    """The django-cors-headers settings for ``options``, or why there are none."""
    for name, reason in _UNWRITABLE.items():
        if name in options:
            return Unwritable(f"{name}: {reason}")
    max_age = options.get("max_age")
    if max_age == 0:
        return Unwritable("max_age=0: CORS_PREFLIGHT_MAX_AGE = 0 sends no Access-Control-Max-Age at all")
    origins = list(options.get("origins", ["*"]))
    exposed = options.get("exposed_headers")
    headers = options.get("headers")
    settings: dict[str, Any] = {
        **_origin_settings(origins),
        # The native defaults, so that what is compared is the translation, not two defaults.
        "CORS_ALLOW_METHODS": list(options.get("methods", DEFAULT_METHODS)),
        # No list: the native door echoes the requested headers; the compat layer reads '*' so.
        "CORS_ALLOW_HEADERS": list(headers) if headers is not None else ["*"],
        "CORS_EXPOSE_HEADERS": ["*"] if exposed == "*" else list(exposed or ()),
        "CORS_ALLOW_CREDENTIALS": bool(options.get("credentials", False)),
        "CORS_PREFLIGHT_MAX_AGE": max_age or 0,
        "CORS_ALLOW_PRIVATE_NETWORK": bool(options.get("private_network", False)),
    }
    return Written(settings, adds_vary_origin=origins == ["*"] and not settings["CORS_ALLOW_CREDENTIALS"])


@contextmanager
def build_compat_django(settings: Mapping[str, Any], seen: Seen) -> Iterator[WSGIApplication]:
    """The browser suite's Django project behind django_ext.compat, with ``settings``."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    from . import django_app

    django_app.ensure_configured()
    with override_settings(
        ROOT_URLCONF="tests.browser.django_app",
        MIDDLEWARE=MIDDLEWARE,
        BROWSER_SEEN=seen,
        ALLOWED_HOSTS=["*"],
        DEBUG=False,
        **settings,
    ):
        yield WSGIHandler()
