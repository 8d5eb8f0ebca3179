"""How a user spells an option (keyword, ``app.config`` key, Django ``CORS`` key), and hints for
unknown names that name the fix in that same spelling, the peers' names included."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Literal

from .errors import CORSConfigError

__all__ = ["PEER_NAMES", "Form", "check_names", "spell", "unknown_name_hint"]

#: Where an option is written: a keyword argument (``Policy``, ``CORSMiddleware``,
#: ``CORS(app, ...)``, ``cross_origin``), a Flask ``app.config`` key, or a key of
#: Django's ``CORS`` setting.
Form = Literal["keyword", "config", "setting"]

#: Option names of flask-cors and django-cors-headers (lower case, without the
#: ``CORS_`` prefix) -> (our option, or None, and what to know).
PEER_NAMES: Mapping[str, tuple[str, str | None, str]] = MappingProxyType(
    {
        # flask-cors
        "supports_credentials": ("flask-cors", "credentials", ""),
        "allow_headers": ("flask-cors", "headers", ""),
        "expose_headers": ("flask-cors", "exposed_headers", ""),
        "resources": ("flask-cors", "routes", "a list of {'paths': [...], ...}; the first match wins"),
        "always_send": ("flask-cors", "allow_origin_absent", ""),
        "allow_private_network": ("flask-cors", "private_network", ""),
        "automatic_options": (
            "flask-cors",
            None,
            "preflights are answered before routing; preflight_continue=True hands them on",
        ),
        "send_wildcard": ("flask-cors", None, "'*' is sent whenever origins is ['*'] (and never with credentials)"),
        "vary_header": ("flask-cors", None, "Vary is always managed (Vary: Origin whenever the answer depends on it)"),
        "intercept_exceptions": ("flask-cors", None, "every response gets the headers, error responses included"),
        # django-cors-headers (its CORS_* settings, without the prefix)
        "allowed_origins": ("django-cors-headers", "origins", ""),
        "origin_whitelist": ("django-cors-headers", "origins", ""),
        "allowed_origin_regexes": ("django-cors-headers", "origins", "regexes are origins entries starting with '~'"),
        "origin_regex_whitelist": ("django-cors-headers", "origins", "regexes are origins entries starting with '~'"),
        "allow_all_origins": ("django-cors-headers", "origins", "origins='*'"),
        "origin_allow_all": ("django-cors-headers", "origins", "origins='*'"),
        "allow_credentials": ("django-cors-headers", "credentials", ""),
        "allow_methods": ("django-cors-headers", "methods", ""),
        "preflight_max_age": ("django-cors-headers", "max_age", ""),
        "urls_regex": ("django-cors-headers", "routes", "routes=[{'paths': ['~regex']}]"),
    }
)


_POSSESSIVE = {"flask-cors": "flask-cors's", "django-cors-headers": "django-cors-headers'"}


def spell(option: str, form: Form, route: int | None = None) -> str:
    """``option`` as the user writes it in ``form`` (``route``: inside that route's dict)."""
    if form == "config":
        return (
            f'app.config["CORS_ROUTES"][{route}]["{option}"]'
            if route is not None
            else f'app.config["CORS_{option.upper()}"]'
        )
    if form == "setting":
        return f'CORS["routes"][{route}]["{option}"]' if route is not None else f'CORS["{option}"]'
    return f'routes[{route}]["{option}"]' if route is not None else repr(option)


def unknown_name_hint(name: str, choices: Iterable[str], form: Form, route: int | None = None) -> str:
    """A fix for the unknown option ``name`` (lower case, no ``CORS_`` prefix) in the user's spelling."""
    choices = list(choices)
    peer = PEER_NAMES.get(name)
    if peer is not None:
        who, ours, note = peer
        who = _POSSESSIVE[who]
        if ours is None:
            return f"{name!r} is {who} option, not needed here: {note}"
        return f"{name!r} is {who} name: use {spell(ours, form, route)}" + (f" ({note})" if note else "")
    match = difflib.get_close_matches(name, choices, n=1)
    if match:
        return f"did you mean {spell(match[0], form, route)}?"
    return "valid names: " + ", ".join(spell(choice, form, route) for choice in choices)


def check_names(
    options: Mapping[str, Any], choices: Iterable[str], form: Form, route: int | None = None, problem: str = ""
) -> None:
    """Raise :class:`CORSConfigError` for the first name of ``options`` not in ``choices``."""
    allowed = list(choices)
    for name, value in options.items():
        if name not in allowed:
            where = spell(name, form, route) if form != "keyword" or route is not None else name
            raise CORSConfigError(
                where, value, problem or "unknown option", unknown_name_hint(name, allowed, form, route)
            )
