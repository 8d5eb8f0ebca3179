"""The Django variants: bare project, with django_ext, with django-cors-headers 4 (same policy)."""

from __future__ import annotations

from typing import Any

from .common import PolicySpec, WSGIApp
from .django_site import MIDDLEWARES, OURS, configure, handler, policy_settings


class DoorMissing(RuntimeError):
    """Our Django door cannot be imported yet."""


_active: list[Any] = []


def variants(policy: PolicySpec) -> dict[str, WSGIApp]:
    from django.test import override_settings

    configure()
    try:
        __import__(OURS.rsplit(".", 1)[0])
    except ImportError as exc:
        raise DoorMissing(f"{OURS} is not importable: {exc}") from exc
    # One policy at a time: leave the previous policy's settings, enter this one's.
    while _active:
        _active.pop().disable()
    override = override_settings(**policy_settings(policy))
    override.enable()
    _active.append(override)
    return {name: handler(middleware) for name, middleware in MIDDLEWARES.items()}
