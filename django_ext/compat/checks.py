"""System checks of django-cors-headers' settings, active while the compat middleware is installed.

``check_settings`` is registered by the ``django_ext`` app (``Tags.security``)
and can be called on its own, as ``corsheaders.checks.check_settings`` can.
Every problem is one ``Error`` (misspelt ``CORS_*`` names and engine
warnings are ``Warning``\\s); IDs are listed in :data:`CHECK_IDS`.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.checks import Warning as CheckWarning
from django.utils.module_loading import import_string

from wsgicors import CORSConfigWarning, Policy
from wsgicors.spelling import unknown_name_hint

from ..ordering import answers_first
from .conf import KNOWN
from .ids import CHECK_IDS
from .middleware import CorsMiddleware
from .translate import translate
from .vocab import rewrite, setting_of

__all__ = ["CHECK_IDS", "check_settings", "compat_installed"]

MIDDLEWARE_PATH = "django_ext.compat.CorsMiddleware"


def _position() -> int | None:
    """Where the compat middleware (or a subclass, or an alias of it) sits in MIDDLEWARE."""
    for index, path in enumerate(getattr(settings, "MIDDLEWARE", None) or ()):
        if path == MIDDLEWARE_PATH:
            return index
        try:
            found = import_string(path)
        except Exception:  # Django reports a middleware that does not import
            continue
        if isinstance(found, type) and issubclass(found, CorsMiddleware):
            return index
    return None


def compat_installed() -> bool:
    """Is the compat middleware (or a subclass, or an alias of it) in MIDDLEWARE?"""
    return _position() is not None


def _order(position: int) -> list[CheckMessage]:
    """The native app's middleware-order rule: nothing that can answer first sits above CORS."""
    above = [path for path in settings.MIDDLEWARE[:position] if answers_first(path)]
    if not above:
        return []
    return [
        CheckWarning(
            f"MIDDLEWARE: {MIDDLEWARE_PATH} sits below {', '.join(above)}, which can answer a request "
            "(a redirect, a cached or 304 response) before CORS sees it or replace the response CORS "
            "decorated: those responses then lack CORS headers.",
            hint=f"Move '{MIDDLEWARE_PATH}' above {', '.join(above)} (first in MIDDLEWARE is simplest).",
            id="django_ext.compat.W003",
        )
    ]


def _misspelt() -> list[CheckMessage]:
    """A warning for each CORS_* setting nobody reads, naming the closest known one."""
    found: list[CheckMessage] = []
    for name in sorted(dir(settings)):
        if name.startswith("CORS_") and name not in KNOWN:
            found.append(
                CheckWarning(
                    f"{name}: no such django-cors-headers setting, so it is ignored.",
                    hint=f"Rename it: {unknown_name_hint(name, sorted(KNOWN), 'keyword')}",
                    id="django_ext.compat.W001",
                )
            )
    return found


def check_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """django-cors-headers' settings, validated as the compat middleware will read them."""
    position = _position()
    if position is None:
        return []
    options, problems = translate(with_signal=False)
    messages: list[CheckMessage] = [
        (Error if problem.is_error else CheckWarning)(problem.message, hint=problem.hint, id=problem.id)
        for problem in problems
    ]
    messages += _misspelt()
    messages += _order(position)
    if any(problem.is_error for problem in problems):
        return messages
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CORSConfigWarning)
        Policy(**options)  # translate() tried these very options: a refusal is a problem above (E008)
    messages += [_engine_warning(str(item.message), options) for item in caught if item.category is CORSConfigWarning]
    return messages


_CORE_OPTION = re.compile(r"CORS option '([^']+)':? (.*)", re.DOTALL)


def _engine_warning(text: str, options: dict[str, Any]) -> CheckMessage:
    """A warning of the core as a check message naming the setting, whatever the warning says."""
    found = _CORE_OPTION.fullmatch(text)
    setting = setting_of(found[1], None) if found else "django-cors-headers settings"
    body = rewrite(found[2] if found else text)
    hint = "Remove those values, or silence django_ext.compat.W002."
    if setting == "CORS_ALLOW_HEADERS" and options.get("headers"):
        kept = [name for name in options["headers"] if not _warned(name)]
        hint = f"CORS_ALLOW_HEADERS = {kept!r}, or silence django_ext.compat.W002."
    return CheckWarning(f"{setting}: {body}", hint=hint, id="django_ext.compat.W002")


def _warned(header: str) -> bool:
    """Does the core warn about this one header name (a name browsers never let scripts send)?"""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CORSConfigWarning)
        Policy(headers=[header])
    return bool(caught)
