"""flask-cors ``resources`` -> the core's route paths, in flask-cors 6's matching order.

flask-cors matches ``re.match`` (start-anchored) for a pattern and equality for
a literal, first match wins after sorting a dict: literals first, then compiled
patterns, then regex strings, each by ``/`` count and length, longest first
(``parse_resources`` in 6.0.x). A route path here is full-matched, so a pattern
``P`` becomes ``(?:P)`` followed by anything, and a literal becomes its escaped self.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from wsgicors import CORSConfigError

from .patterns import prefix_match, probably_regex

__all__ = ["Resource", "parse_resources", "route_path"]

Resource = tuple[str, "re.Pattern[str]", Mapping[str, Any]]  # (as written, route path, options)


def _shown(key: object) -> str:
    return key.pattern if isinstance(key, re.Pattern) else repr(key)


def route_path(key: object, label: str) -> re.Pattern[str]:
    """The full-match route path that covers what flask-cors's ``key`` covers."""
    if isinstance(key, str) and key == "*":
        key = ".*"
    if isinstance(key, str) and not probably_regex(key):
        return re.compile(re.escape(key))
    if isinstance(key, str):
        try:
            key = re.compile(key)
        except re.error as exc:
            raise CORSConfigError(label, key, f"invalid regular expression ({exc})", "fix the path pattern") from None
    if not isinstance(key, re.Pattern) or not isinstance(key.pattern, str):
        raise CORSConfigError(
            label,
            key,
            "a resource is a path pattern string or a compiled re.Pattern",
            "resources={r'/api/*': {'origins': ['https://app.example.com']}}",
        )
    return prefix_match(key)


def _sort_key(key: object) -> tuple[int, int, int, int]:
    text = key.pattern if isinstance(key, re.Pattern) else str(key)
    if isinstance(key, re.Pattern):
        rank = (1, 0)
    elif isinstance(key, str) and probably_regex(key):
        rank = (1, 1)
    else:
        rank = (0, 0)
    return (*rank, -text.count("/"), -len(text))


def parse_resources(value: object, label: str) -> list[Resource]:
    """``resources`` as flask-cors 6 reads it, ordered as it tries them."""
    if isinstance(value, Mapping):
        pairs = [(".*" if key == "*" else key, options) for key, options in value.items()]
        pairs.sort(key=lambda pair: _sort_key(pair[0]))
    elif isinstance(value, (str, re.Pattern)):
        pairs = [(value, {})]
    elif isinstance(value, Iterable):
        pairs = [(key, {}) for key in value]
    else:
        raise CORSConfigError(
            label,
            value,
            "resources must be a dict of path pattern -> options, a list of patterns or one pattern",
            "resources={r'/api/*': {'origins': ['https://app.example.com']}}",
        )
    resources: list[Resource] = []
    for key, options in pairs:
        where = f"{label}[{_shown(key)}]"
        if not isinstance(options, Mapping):
            raise CORSConfigError(
                where, options, "a resource's options must be a dict", "{'origins': ['https://app.example.com']}"
            )
        resources.append((where, route_path(key, where), options))
    return resources
