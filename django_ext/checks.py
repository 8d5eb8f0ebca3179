"""System checks (``manage.py check``): the ``CORS`` setting and ``cross_origin`` views.

Every ID is stable and listed in :data:`CHECK_IDS`. Option values are
validated by building the very :class:`wsgicors.Policy` the middleware will
use; a :class:`wsgicors.CORSConfigError` becomes an error whose ID names the
option, so a bad setting is reported here instead of crashing at start-up.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.checks import Warning as CheckWarning

from wsgicors import CORSConfigError, CORSConfigWarning, Policy
from wsgicors.origins import OriginMatcher
from wsgicors.shown import shown
from wsgicors.spelling import respell

from .conf import SETTING, build_policy, build_view_policy
from .ordering import is_cors_middleware
from .problems import foreign_settings, setting_problems, view_problems
from .urlconf import decorated_views

__all__ = ["CHECK_IDS", "check_settings"]

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
    return any(is_cors_middleware(path) for path in getattr(settings, "MIDDLEWARE", None) or ())
