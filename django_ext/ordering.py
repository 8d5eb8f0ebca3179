"""System check of ``MIDDLEWARE``: CORSMiddleware present when configured, and above what answers first.

A middleware above CORSMiddleware that can answer a request itself (a redirect,
a cached or 304 response, a login redirect) or replace the response leaves
preflights and errors without CORS headers. The compat layer's check asks the
same question of its own middleware (:func:`answers_first`).
"""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.checks import Warning as CheckWarning
from django.utils.module_loading import import_string

from .conf import SETTING
from .urlconf import decorated_views

__all__ = ["MIDDLEWARE_PATH", "answers_first", "check_middleware", "is_cors_middleware", "middleware_class"]

MIDDLEWARE_PATH = "django_ext.middleware.CORSMiddleware"

# Middleware that can answer a request before CORSMiddleware sees it, or replace
# the response CORSMiddleware decorated (redirects, cached answers, 304s, fallbacks).
_ANSWERING = (
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.cache.UpdateCacheMiddleware",
    "django.middleware.cache.FetchFromCacheMiddleware",
    "django.middleware.cache.CacheMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
)
# Middleware known not to: they only annotate the request or the response.
_HARMLESS = frozenset(
    {
        "django.middleware.security.SecurityMiddleware",  # unless SECURE_SSL_REDIRECT
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.auth.middleware.RemoteUserMiddleware",
        "django.contrib.auth.middleware.PersistentRemoteUserMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "django.middleware.gzip.GZipMiddleware",
        "django.middleware.common.BrokenLinkEmailsMiddleware",
        "django.contrib.sites.middleware.CurrentSiteMiddleware",
        "django.middleware.csp.ContentSecurityPolicyMiddleware",
    }
)


def middleware_class(path: str) -> type | None:
    try:
        found = import_string(path)
    except Exception:  # Django reports a middleware that does not import
        return None
    return found if isinstance(found, type) else None


def _loaded_class(path: str) -> type | None:
    """The class at ``path`` if its module is already imported (never imports one)."""
    module, _, name = path.rpartition(".")
    found = getattr(sys.modules.get(module), name, None)
    return found if isinstance(found, type) else None


def is_cors_middleware(path: str) -> bool:
    if path == MIDDLEWARE_PATH:
        return True
    from .middleware import CORSMiddleware

    cls = middleware_class(path)
    return cls is not None and issubclass(cls, CORSMiddleware)


def answers_first(path: str) -> bool | None:
    """True: can answer/replace first; False: known harmless; None: unknown."""
    if path == "django.middleware.security.SecurityMiddleware":
        return bool(getattr(settings, "SECURE_SSL_REDIRECT", False))
    if path in _ANSWERING:
        return True
    if path in _HARMLESS:
        return False
    cls = middleware_class(path)
    if cls is not None:
        for known in _ANSWERING:
            # A subclass has imported its base; LoginRequiredMiddleware is Django 5.1+.
            known_cls = _loaded_class(known)
            if known_cls is not None and issubclass(cls, known_cls):
                return True
    return None


def check_middleware(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """CORSMiddleware is present when configured, and above anything that answers first."""
    middleware = list(getattr(settings, "MIDDLEWARE", None) or [])
    configured = getattr(settings, SETTING, None) is not None
    position = next((i for i, path in enumerate(middleware) if is_cors_middleware(path)), None)
    if position is None:
        views = next(decorated_views(), None)
        if configured or views is not None:
            what = f"settings.{SETTING} is set" if configured else f"the {views[0]} uses cross_origin"  # type: ignore[index]
            return [
                Error(
                    f"{what} but {MIDDLEWARE_PATH} is not in MIDDLEWARE, so no response gets CORS headers.",
                    hint=f"Add '{MIDDLEWARE_PATH}' at the top of MIDDLEWARE.",
                    id="django_ext.E016",
                )
            ]
        return []
    issues: list[CheckMessage] = []
    if not configured and next(decorated_views(), None) is None:
        issues.append(
            CheckWarning(
                f"{MIDDLEWARE_PATH} is in MIDDLEWARE but there is no {SETTING} setting and no "
                "cross_origin view, so it does nothing.",
                hint=f"Set {SETTING} = {{'origins': [...]}} or decorate views with cross_origin.",
                id="django_ext.W003",
            )
        )
    above = {path: answers_first(path) for path in middleware[:position]}
    known = [path for path, first in above.items() if first]
    unknown = [path for path, first in above.items() if first is None]
    if known:
        issues.append(
            CheckWarning(
                f"{MIDDLEWARE_PATH} sits below {', '.join(known)}, which can answer a request "
                "(a redirect, a cached or 304 response, a login redirect) before CORS sees it or "
                "replace the response CORS decorated: preflights and errors then lack CORS headers.",
                hint=f"Move '{MIDDLEWARE_PATH}' above {', '.join(known)} (first in MIDDLEWARE is simplest).",
                id="django_ext.W001",
            )
        )
    if unknown:
        issues.append(
            CheckWarning(
                f"{MIDDLEWARE_PATH} sits below {', '.join(unknown)}, which may answer a request "
                "before CORS sees it or replace the response CORS decorated.",
                hint=f"Move '{MIDDLEWARE_PATH}' above it, or silence django_ext.W002 if it never answers.",
                id="django_ext.W002",
            )
        )
    return issues
