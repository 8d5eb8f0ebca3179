"""The compat layer's policy: built from the settings once per value, rebuilt when one changes.

``override_settings`` and pytest-django's ``settings`` fixture send
``setting_changed``; connecting or disconnecting a ``check_request_enabled``
receiver switches between the policy with and without the signal's check.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

from wsgicors import Policy

from .conf import KNOWN
from .dynamic import has_receivers
from .translate import translate

__all__ = ["current_policy"]


class _State:
    __slots__ = ("built", "stale")

    def __init__(self) -> None:
        self.stale = True
        # (policy, with_signal), replaced as one value so readers never mix two builds.
        self.built: tuple[Policy, bool] | None = None


_state = _State()


def build_policy(with_signal: bool) -> Policy:
    """The policy of the current settings; ``ImproperlyConfigured`` naming the first problem."""
    options, problems = translate(with_signal)
    errors = [problem for problem in problems if problem.is_error]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ImproperlyConfigured(
            f"{errors[0].message} {errors[0].hint} [{errors[0].id}]{more}; run 'manage.py check' for every problem"
        )
    return Policy(**options)  # translate() tried these very options: a refusal is an error above (E008)


def current_policy() -> tuple[Policy, bool]:
    """The policy for this request, and whether it asks the ``check_request_enabled`` signal."""
    with_signal = has_receivers()
    built = _state.built
    if _state.stale or built is None or built[1] is not with_signal:
        _state.stale = False  # a change while building marks it stale again
        try:
            built = (build_policy(with_signal), with_signal)
        except ImproperlyConfigured:
            _state.stale = True
            raise
        _state.built = built
    return built


def _on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in KNOWN:
        _state.stale = True


setting_changed.connect(_on_setting_changed, dispatch_uid="django_ext.compat.state.setting_changed")
