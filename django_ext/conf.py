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
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from wsgicors import CORSConfigError, Policy
from wsgicors.spelling import check_option_names

__all__ = ["SETTING", "build_policy", "build_view_policy", "current_policy", "resolve_options", "view_policy"]

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
    from .problems import foreign_settings, improperly_configured, setting_problems  # they build with this module

    foreign = foreign_settings()
    if foreign:
        raise improperly_configured(foreign)
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
                    raise improperly_configured(setting_problems(value), f"settings.{SETTING}") from exc
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
