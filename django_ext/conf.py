"""The ``CORS`` setting: read lazily, turned into a :class:`wsgicors.Policy` once per value.

The policy is cached and the cache is dropped on Django's ``setting_changed``
signal (sent by ``override_settings`` and pytest-django's ``settings``
fixture), so tests can change the policy without restarting anything while a
running process builds it once. Policies are also kept per distinct setting
value (by identity), so flipping between two settings does not rebuild.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from wsgicors import OPTION_NAMES, CORSConfigError, Policy
from wsgicors.options import DEFAULTS, ROUTE_MATCH_KEYS
from wsgicors.shown import shown
from wsgicors.spelling import PEER_NAMES, ROUTE_KEYS, check_option_names, option_name_errors, respell, unknown_name_hint

__all__ = [
    "SETTING",
    "build_policy",
    "current_policy",
    "every_problem",
    "foreign_settings",
    "resolve_options",
    "setting_problems",
    "view_policy",
    "view_problems",
]

#: The one setting this app reads.
SETTING = "CORS"

# A dotted import path, as opposed to an origin entry given as a bare string
# ('*', 'https://...', '~regex', 'null').
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+")
_MISSING = object()
_MAX_CACHED = 16


def _import_origins(path: str) -> Any:
    try:
        check = import_string(path)
    except ImportError as exc:
        raise CORSConfigError(
            "origins",
            path,
            f"origins must be a list or a dotted path to a callable; {path!r} does not import ({exc})",
            "origins=['https://example.com'], or the dotted path of a function check(origin, request_meta) -> bool",
        ) from None
    if not callable(check):
        raise CORSConfigError(
            "origins",
            path,
            "origins must be a list or a dotted path to a callable; it imports a non-callable",
            "point it at a function check(origin, request_meta) -> bool, or list them: origins=['https://example.com']",
        )
    return check


def _resolve_origins(options: dict[str, Any]) -> None:
    origins = options.get("origins")
    if isinstance(origins, str) and _DOTTED.fullmatch(origins):
        options["origins"] = _import_origins(origins)


def resolve_options(value: Any, *, where: str = SETTING, names: bool = True) -> dict[str, Any]:
    """Options for :class:`Policy` from a ``CORS``-style dict (dotted origins imported).

    Raises :class:`CORSConfigError` (option ``where``) if ``value`` is not a dict.
    """
    if not isinstance(value, Mapping):
        raise CORSConfigError(
            where,
            value,
            "must be a dict of option names to values",
            f"{where} = {{'origins': ['https://example.com']}}",
        )
    options = dict(value)
    if where == SETTING and names:  # names as written in settings.CORS; a decorator's keywords are the core's to check
        check_option_names(options, "setting")
    _resolve_origins(options)
    routes = options.get("routes")
    if isinstance(routes, (list, tuple)):
        resolved: list[Any] = []
        for route in routes:
            if isinstance(route, Mapping):
                route = dict(route)
                _resolve_origins(route)
            resolved.append(route)
        options["routes"] = resolved
    return options


def build_policy(value: Any, *, where: str = SETTING) -> Policy:
    """A Policy from a setting value; raises :class:`CORSConfigError`."""
    return Policy(**resolve_options(value, where=where))


# -- every problem at once (manage.py check, the start-up error) ----------------------

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
    return every_problem(options, lambda view: _build_view_policy(view, base))


# -- CORS_* settings of other libraries --------------------------------------------------

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


def _improperly_configured(problems: list[CORSConfigError], where: str = "") -> ImproperlyConfigured:
    """One start-up error naming every problem (``manage.py check`` lists them with their hints)."""
    prefix = f"{where}: " if where else ""
    if len(problems) == 1:
        return ImproperlyConfigured(f"{prefix}{_described(problems[0])} (run 'manage.py check' for every problem)")
    lines = "".join(f"\n  {index}. {_described(exc)}" for index, exc in enumerate(problems, start=1))
    return ImproperlyConfigured(
        f"{prefix or 'settings: '}{len(problems)} problems (run 'manage.py check' for the hints):{lines}"
    )


class _State:
    """The cache: the current setting's policy, plus a few earlier ones by identity."""

    __slots__ = ("by_value", "lock", "policy", "stale", "views")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stale = True
        self.policy: Policy | None = None
        # id(value) -> (value, policy); the value is kept so its id stays unique.
        self.by_value: dict[int, tuple[Any, Policy | None]] = {}
        # (id(global policy), id(view options)) -> (global policy, view options, policy)
        self.views: dict[tuple[int, int], tuple[Policy | None, Any, Policy]] = {}


_state = _State()


def _load() -> Policy | None:
    foreign = foreign_settings()
    if foreign:
        raise _improperly_configured(foreign)
    value = getattr(settings, SETTING, _MISSING)
    with _state.lock:
        cached = _state.by_value.get(id(value))
        if cached is not None and cached[0] is value:
            policy = cached[1]
        else:
            if value is _MISSING or value is None:
                policy = None
            else:
                try:
                    policy = build_policy(value)
                except CORSConfigError as exc:
                    raise _improperly_configured(setting_problems(value), f"settings.{SETTING}") from exc
            if len(_state.by_value) >= _MAX_CACHED:  # drop the oldest value, keep the rest
                del _state.by_value[next(iter(_state.by_value))]
            _state.by_value[id(value)] = (value, policy)
        _state.policy = policy
        _state.stale = False
    return policy


def current_policy() -> Policy | None:
    """The policy of the ``CORS`` setting, or None when the setting is absent.

    Raises ``ImproperlyConfigured`` for an invalid setting.
    """
    if _state.stale:
        return _load()
    return _state.policy


def view_policy(options: Mapping[str, Any], base: Policy | None) -> Policy:
    """The policy of a view decorated with ``cross_origin(**options)``.

    The decorator's options override the ``CORS`` setting's top-level options
    (its ``routes`` do not apply to the view). Built once per (setting, view).
    """
    key = (id(base), id(options))
    cached = _state.views.get(key)
    if cached is not None and cached[0] is base and cached[1] is options:
        return cached[2]
    try:
        policy = _build_view_policy(options, base)
    except CORSConfigError as exc:
        raise ImproperlyConfigured(f"cross_origin({exc.option}=...): {exc}") from exc
    with _state.lock:
        if len(_state.views) >= 4 * _MAX_CACHED:
            _state.views.clear()
        _state.views[key] = (base, options, policy)
    return policy


def _build_view_policy(options: Mapping[str, Any], base: Policy | None) -> Policy:
    merged: dict[str, Any] = {}
    if base is not None:
        merged.update(base.options)
        merged["routes"] = None
    merged.update(resolve_options(options, where="cross_origin"))
    return Policy(**merged)


def build_view_policy(options: Mapping[str, Any], base: Policy | None) -> Policy:
    """Uncached :func:`view_policy` raising :class:`CORSConfigError` (for the checks)."""
    return _build_view_policy(options, base)


def _on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in (SETTING, "MIDDLEWARE") or setting.startswith("CORS_"):
        _state.stale = True


setting_changed.connect(_on_setting_changed, dispatch_uid="django_ext.conf.setting_changed")
