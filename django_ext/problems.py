"""Every problem of a configuration at once, for ``manage.py check`` and the start-up error.

A policy build stops at its first :class:`CORSConfigError`; here each refused
value is set aside (a bad entry taken out of its list, a bad option given a
value that cannot be wrong) and the build retried, so every bad value gets its
own message. Also: ``CORS_*`` settings this app never reads (another library's,
or a typo), which would otherwise leave the policy as if they were not there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from wsgicors import OPTION_NAMES, CORSConfigError, Policy
from wsgicors.options import DEFAULTS, ROUTE_MATCH_KEYS
from wsgicors.shown import shown
from wsgicors.spelling import PEER_NAMES, ROUTE_KEYS, option_name_errors, respell, unknown_name_hint

from .conf import SETTING, build_view_policy, resolve_options

__all__ = ["every_problem", "foreign_settings", "improperly_configured", "setting_problems", "view_problems"]

_MISSING = object()


# An option label of the core: ``max_age``, ``routes[2].paths``.
_LABEL = re.compile(r"(?:routes\[(\d+)\]\.)?([a-z_]+)")


def _neutral(name: str) -> Any:
    """A value of option ``name`` that cannot be wrong on its own or with others ([] allows no origin)."""
    return [] if name == "origins" else DEFAULTS.get(name, _MISSING)


def _set_aside(options: dict[str, Any], label: str, value: object) -> bool:
    """Set aside the ``value`` an error's ``label`` names, so the next problem shows; False if stuck.

    A bad entry of a list is taken out of it (the other entries are still judged);
    a bad option gets a value that cannot be wrong.
    """
    match = _LABEL.fullmatch(label)
    if match is None:
        return False
    target: Any = options
    if match[1] is not None:
        routes = options.get("routes")
        index = int(match[1])
        if not isinstance(routes, list) or index >= len(routes) or not isinstance(routes[index], dict):
            return False
        target = routes[index]
    name = match[2]
    current = target.get(name, _MISSING)
    if isinstance(current, (list, tuple)) and not isinstance(value, (list, tuple)):
        kept = [entry for entry in current if not _same(entry, value)]
        if kept and len(kept) < len(current):
            target[name] = kept
            return True
    neutral = _neutral(name) if not (target is not options and name in ("routes", *ROUTE_MATCH_KEYS)) else _MISSING
    if neutral is _MISSING:
        if name not in target:
            return False
        del target[name]
        return True
    if name in target and target[name] == neutral:
        return False
    target[name] = neutral
    return True


def _same(entry: object, value: object) -> bool:
    try:
        return bool(entry == value)
    except Exception:  # a value whose comparison fails is not the one refused
        return False


def every_problem(options: Mapping[str, Any], build: Callable[[dict[str, Any]], Policy]) -> list[CORSConfigError]:
    """Every error ``build(options)`` finds, one per bad value: each one's value is set aside and the build retried."""
    working = dict(options)
    routes = working.get("routes")
    if isinstance(routes, (list, tuple)):
        working["routes"] = [dict(route) if isinstance(route, Mapping) else route for route in routes]
    problems: list[CORSConfigError] = []
    for _ in range(4 * len(OPTION_NAMES) + 4 * len(working.get("routes") or ())):
        try:
            build(working)
        except CORSConfigError as exc:
            problems.append(exc)
            if not _set_aside(working, exc.option, exc.value):
                break
        else:
            break
    return problems


def setting_problems(value: Any) -> list[CORSConfigError]:
    """Every problem of a ``CORS`` setting value, in the setting's own spelling (unknown names first)."""
    if not isinstance(value, Mapping):
        try:
            resolve_options(value)
        except CORSConfigError as exc:
            return [exc]
    names = option_name_errors(value, "setting")
    known = {name: option for name, option in value.items() if name in OPTION_NAMES}
    routes = known.get("routes")
    if isinstance(routes, (list, tuple)):
        known["routes"] = [
            {key: item for key, item in route.items() if key in ROUTE_KEYS} if isinstance(route, Mapping) else route
            for route in routes
        ]
    found = every_problem(known, lambda options: Policy(**resolve_options(options, names=False)))
    return names + [respell(exc, "setting") for exc in found]


def view_problems(options: Mapping[str, Any], base: Policy | None) -> list[CORSConfigError]:
    """Every problem of a ``cross_origin`` view's options over the setting's policy ``base``."""
    return every_problem(options, lambda view: build_view_policy(view, base))


#: Middleware that read ``CORS_*`` settings themselves: with one of them installed, those settings are theirs.
_READERS = ("django_ext.compat.CorsMiddleware", "corsheaders.middleware.CorsMiddleware")


def _read_elsewhere() -> bool:
    middleware = getattr(settings, "MIDDLEWARE", None) or ()
    if any(path in _READERS for path in middleware):
        return True
    from .compat.checks import compat_installed  # a subclass or an alias of the compat middleware

    return compat_installed()


def foreign_settings() -> list[CORSConfigError]:
    """A ``CORS_*`` setting this app never reads (django-cors-headers', a typo): each would leave the
    policy as if it were not there, so each is an error naming the ``CORS[...]`` key meant.

    Empty when a middleware that reads such settings (``django_ext.compat``, django-cors-headers') is installed.
    """
    names = [name for name in dir(settings) if name.startswith("CORS_")]
    if not names or _read_elsewhere():
        return []
    configured = getattr(settings, SETTING, None) is not None
    found = []
    for name in names:
        value = getattr(settings, name)
        option = name[len("CORS_") :].lower()
        hint = unknown_name_hint(option, OPTION_NAMES, "setting", value=value)
        if not configured:  # no CORS dict to add a key to yet
            hint = re.sub(r'CORS\["(\w+)"\] = (.*)$', lambda m: f"{SETTING} = {{{m[1]!r}: {m[2]}}}", hint)
        if PEER_NAMES.get(option, ("",))[0] == "django-cors-headers":
            hint += "; or keep django-cors-headers' settings with 'django_ext.compat.CorsMiddleware' in MIDDLEWARE"
        found.append(
            CORSConfigError(
                f"settings.{name}",
                value,
                f"django_ext reads only settings.{SETTING}: this setting would be ignored",
                hint,
            )
        )
    return found


def _described(exc: CORSConfigError) -> str:
    """``exc`` as one line; a setting of its own (``settings.CORS_X``) is named as it is written."""
    if not exc.option.startswith("settings."):
        return str(exc)
    return f"{exc.option}: {exc.problem} (got {shown(exc.value)}). Fix: {exc.fix}"


def improperly_configured(problems: list[CORSConfigError], where: str = "") -> ImproperlyConfigured:
    """One start-up error naming every problem (``manage.py check`` lists them with their hints)."""
    prefix = f"{where}: " if where else ""
    if len(problems) == 1:
        return ImproperlyConfigured(f"{prefix}{_described(problems[0])} (run 'manage.py check' for every problem)")
    lines = "".join(f"\n  {index}. {_described(exc)}" for index, exc in enumerate(problems, start=1))
    return ImproperlyConfigured(
        f"{prefix or 'settings: '}{len(problems)} problems (run 'manage.py check' for the hints):{lines}"
    )
