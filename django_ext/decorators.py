"""``cross_origin(**options)``: a per-view CORS policy.

The decorator only marks the view; the middleware finds the mark by resolving
the request's path (a preflight's URL is the view's URL), so preflights are
still answered before any other middleware runs. The view's policy is the
``CORS`` setting's top-level options overridden by the decorator's.

Function views::

    @cross_origin(origins=["https://app.example"], credentials=True)
    def api(request): ...

Class-based views: decorate ``dispatch``::

    @method_decorator(cross_origin(origins=["https://app.example"]), name="dispatch")
    class Api(View): ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar, Unpack

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

from wsgicors.options import ViewOptions, documented

__all__ = ["ATTRIBUTE", "cross_origin", "view_options"]

#: The attribute holding a decorated view's options.
ATTRIBUTE = "cors_options"

F = TypeVar("F", bound=Callable[..., Any])


class _Registry:
    """How many views were ever decorated: 0 keeps the middleware from resolving URLs."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0


registry = _Registry()


@documented
def cross_origin(**options: Unpack[ViewOptions]) -> Callable[[F], F]:
    """Give a view its own CORS policy (options as in the ``CORS`` setting, without routes).

    Invalid options are reported by ``manage.py check`` (the same IDs as for
    the setting) and raise ``ImproperlyConfigured`` naming the view when the
    middleware is built (the WSGI or ASGI handler's start).
    """
    frozen: Mapping[str, Any] = MappingProxyType(dict(options))

    def decorator(view: F) -> F:
        if iscoroutinefunction(view):

            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                return await view(*args, **kwargs)

            wrapper: Callable[..., Any] = functools.wraps(view)(async_wrapper)
            markcoroutinefunction(wrapper)
        else:

            def sync_wrapper(*args: Any, **kwargs: Any) -> Any:
                return view(*args, **kwargs)

            wrapper = functools.wraps(view)(sync_wrapper)
        setattr(wrapper, ATTRIBUTE, frozen)
        registry.count += 1
        return wrapper  # type: ignore[return-value]

    return decorator


def view_options(view: Any) -> Mapping[str, Any] | None:
    """The ``cross_origin`` options of a resolved view (function or ``as_view()``), if any."""
    options = getattr(view, ATTRIBUTE, None)
    if options is None:
        view_class = getattr(view, "view_class", None)
        if view_class is not None:
            options = getattr(getattr(view_class, "dispatch", None), ATTRIBUTE, None)
    return options if isinstance(options, Mapping) else None
