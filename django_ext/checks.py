"""System checks (``manage.py check``): the ``CORS`` setting, ``cross_origin`` views, middleware order.

Every ID is stable and listed in :data:`CHECK_IDS`. Option values are
validated by building the very :class:`wsgicors.Policy` the middleware will
use; a :class:`wsgicors.CORSConfigError` becomes an error whose ID names the
option, so a bad setting is reported here instead of crashing at start-up.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.checks import Warning as CheckWarning
from django.utils.module_loading import import_string

from wsgicors import CORSConfigError, CORSConfigWarning, Policy
from wsgicors.origins import OriginMatcher
from wsgicors.shown import shown
from wsgicors.spelling import respell

from .conf import SETTING, build_policy, build_view_policy
from .problems import foreign_settings, setting_problems, view_problems
from .urlconf import decorated_views

__all__ = ["CHECK_IDS", "check_middleware", "check_settings"]

MIDDLEWARE_PATH = "django_ext.middleware.CORSMiddleware"

#: Every check this app can report: ID -> what it means.
CHECK_IDS: Mapping[str, str] = {
    "django_ext.E001": "the CORS setting (or a cross_origin options set) is not a dict",
    "django_ext.E002": "unknown option name (in CORS, or a CORS_* setting django_ext does not read)",
    "django_ext.E003": "invalid 'origins' (entries, or a dotted path that does not import a callable)",
    "django_ext.E004": "'*' in origins with credentials=True (every site would get the user's cookies)",
    "django_ext.E005": "origin regex refused: invalid, unanchorable or prone to catastrophic backtracking",
    "django_ext.E006": "invalid 'methods'",
    "django_ext.E007": "invalid 'headers'",
    "django_ext.E008": "invalid 'exposed_headers'",
    "django_ext.E009": "invalid 'credentials'",
    "django_ext.E010": "invalid 'max_age'",
    "django_ext.E011": "invalid 'private_network'",
    "django_ext.E012": "invalid 'preflight_continue'",
    "django_ext.E013": "invalid 'allow_origin_absent'",
    "django_ext.E014": "invalid 'preflight_status'",
    "django_ext.E015": "invalid 'routes'",
    "django_ext.E016": "CORS is configured but django_ext.middleware.CORSMiddleware is not in MIDDLEWARE",
    "django_ext.W001": "CORSMiddleware sits below a middleware that can answer or replace a response first",
    "django_ext.W002": "CORSMiddleware sits below a middleware that may answer or replace a response first",
    "django_ext.W003": "CORSMiddleware is installed but there is no CORS setting and no cross_origin view",
    "django_ext.W004": "the 'null' origin is allowed (sandboxed iframes, data: URLs, file:// all send it)",
    "django_ext.W005": "a configuration the core accepts but warns about",
}

_OPTION_IDS = {
    "origins": "django_ext.E003",
    "methods": "django_ext.E006",
    "headers": "django_ext.E007",
    "exposed_headers": "django_ext.E008",
    "credentials": "django_ext.E009",
    "max_age": "django_ext.E010",
    "private_network": "django_ext.E011",
    "preflight_continue": "django_ext.E012",
    "allow_origin_absent": "django_ext.E013",
    "preflight_status": "django_ext.E014",
    "routes": "django_ext.E015",
}

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
_MISSING = object()


def _error(exc: CORSConfigError, where: str) -> Error:
    """One check error per bad value: the message says what is wrong, the hint how to fix it."""
    if where == f"settings.{SETTING}":  # the fix as a key of the CORS setting
        exc = respell(exc, "setting")
    option = exc.option
    if exc.problem == "unknown route key":
        check_id = "django_ext.E015"
    elif exc.problem == "unknown option" or option.startswith("settings.CORS_"):
        check_id = "django_ext.E002"
    elif option in _OPTION_IDS:
        check_id = _OPTION_IDS[option]
    elif option.startswith("routes"):
        check_id = "django_ext.E015"
    elif option in (SETTING, "cross_origin"):
        check_id = "django_ext.E001"
    else:
        check_id = "django_ext.E002"
    if option == "origins":
        value = exc.value
        if isinstance(value, re.Pattern) or (isinstance(value, str) and value.startswith("~")):
            check_id = "django_ext.E005"
        else:
            try:
                wildcard = OriginMatcher(value).any
            except CORSConfigError:
                wildcard = False
            if wildcard:  # valid origins refused as a whole: '*' with credentials
                check_id = "django_ext.E004"
    if option.startswith("settings."):  # a setting of its own (CORS_*)
        message = f"{option}: {exc.problem} (got {shown(exc.value)})."
    elif option.startswith(f"{SETTING}["):  # a name as written in the setting: CORS["origin"]
        message = f"settings.{option}: {exc.problem} (got {shown(exc.value)})."
    else:
        message = f"{where}: CORS option {option!r}: {exc.problem} (got {shown(exc.value)})."
    hint = exc.fix or CHECK_IDS[check_id]
    return Error(message, hint=hint[:1].upper() + hint[1:], id=check_id)


def _validate(
    build: Callable[[], Policy],
    problems: Callable[[], list[CORSConfigError]],
    where: str,
    inherited: set[str] | None = None,
) -> tuple[Policy | None, list[CheckMessage]]:
    """Build a policy as the middleware will; its errors (every one: ``problems``) and warnings as check messages.

    Warnings whose text is in ``inherited`` (already reported for the setting a
    view's policy builds on) are left out; the others' texts are added to it.
    """
    seen = inherited if inherited is not None else set()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CORSConfigWarning)
        try:
            policy = build()
        except CORSConfigError as exc:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", CORSConfigWarning)
                found = problems() or [exc]
            return None, [_error(problem, where) for problem in found]
    issues: list[CheckMessage] = []
    for item in caught:
        text = str(item.message)
        if issubclass(item.category, CORSConfigWarning) and text not in seen:
            seen.add(text)
            issues.append(
                CheckWarning(
                    f"{where}: {text}",
                    hint="Change the option, or silence django_ext.W005 if this is what you mean.",
                    id="django_ext.W005",
                )
            )
    policies = [policy, *(route.policy for route in policy.routes or () if route.policy is not None)]
    if any("null" in p.matcher.exact for p in policies) and "null" not in seen:
        seen.add("null")
        issues.append(
            CheckWarning(
                f"{where}: origins allow 'null', which sandboxed iframes, data: URLs, "
                "file:// pages and cross-origin redirects all send",
                hint="Remove 'null' unless you mean any of those; never with credentials.",
                id="django_ext.W004",
            )
        )
    return policy, issues


def check_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The CORS setting (every bad value, each its own error), stray CORS_* settings, and every cross_origin view."""
    issues: list[CheckMessage] = []
    if _is_installed():
        issues += [_error(exc, "settings") for exc in foreign_settings()]
    value = getattr(settings, SETTING, _MISSING)
    base: Policy | None = None
    inherited: set[str] = set()
    if value is not _MISSING and value is not None:
        base, found = _validate(
            lambda: build_policy(value), lambda: setting_problems(value), f"settings.{SETTING}", inherited
        )
        issues += found
        if base is None:  # the views' policies build on it: their errors would repeat this one
            return issues
    for name, options in decorated_views():

        def build(options: Mapping[str, Any] = options) -> Policy:
            return build_view_policy(options, base)

        def problems(options: Mapping[str, Any] = options) -> list[CORSConfigError]:
            return view_problems(options, base)

        issues += _validate(build, problems, f"cross_origin on {name}", set(inherited))[1]
    return issues


def _is_installed() -> bool:
    """Is the native CORSMiddleware (or a subclass) in MIDDLEWARE?"""
    return any(_is_cors_middleware(path) for path in getattr(settings, "MIDDLEWARE", None) or ())


def _middleware_class(path: str) -> type | None:
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


def _is_cors_middleware(path: str) -> bool:
    if path == MIDDLEWARE_PATH:
        return True
    from .middleware import CORSMiddleware

    cls = _middleware_class(path)
    return cls is not None and issubclass(cls, CORSMiddleware)


def _answers_first(path: str) -> bool | None:
    """True: can answer/replace first; False: known harmless; None: unknown."""
    if path == "django.middleware.security.SecurityMiddleware":
        return bool(getattr(settings, "SECURE_SSL_REDIRECT", False))
    if path in _ANSWERING:
        return True
    if path in _HARMLESS:
        return False
    cls = _middleware_class(path)
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
    position = next((i for i, path in enumerate(middleware) if _is_cors_middleware(path)), None)
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
    above = middleware[:position]
    known = [path for path in above if _answers_first(path)]
    unknown = [path for path in above if _answers_first(path) is None]
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
