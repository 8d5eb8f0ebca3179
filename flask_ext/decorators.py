"""``cross_origin``: marks a view with its own option overrides (read by the door)."""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import Any, TypeVar, Unpack

from wsgicors.options import ViewOptions, documented

from .config import VIEW_ATTRIBUTE, check_names

__all__ = ["cross_origin"]

_F = TypeVar("_F", bound=Callable[..., Any])


@documented
def cross_origin(**options: Unpack[ViewOptions]) -> Callable[[_F], _F]:
    """Give one view its own policy: the app's options overridden by ``options``.

    The view is returned unchanged (only marked), so it costs nothing per
    request and the decorator may sit above or below ``@app.route``. The app
    (or the view's blueprint) needs ``CORS(...)`` for the mark to take effect.
    """
    check_names(options, "cross_origin(...)")
    frozen = MappingProxyType(dict(options))

    def mark(view: _F) -> _F:
        setattr(view, VIEW_ATTRIBUTE, frozen)
        return view

    return mark
