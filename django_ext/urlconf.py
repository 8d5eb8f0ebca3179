"""The ``cross_origin`` views of a URLconf, for the system checks and the middleware's start-up."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from .decorators import view_options

__all__ = ["decorated_views"]


def decorated_views(urlconf: str | None = None) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(name, options) of every cross_origin view in ``urlconf`` (default: the root URLconf).

    The name reads ``view <dotted path> at '<url pattern>'``. A URLconf that does
    not import yields nothing: Django's own URL checks and handler report it.
    """

    def walk(patterns: Sequence[Any], prefix: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                options = view_options(entry.callback)
                if options is not None:
                    yield f"view {entry.lookup_str} at '{prefix}{entry.pattern}'", options

    try:
        patterns = get_resolver(urlconf).url_patterns
    except Exception:  # a broken URLconf is reported by Django itself
        return
    yield from walk(patterns, "/")
