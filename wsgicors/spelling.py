"""How a user spells an option (keyword, ``app.config`` key, Django ``CORS`` key), and hints for
unknown names that name the fix in that same spelling, the peers' names included."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Literal

from .errors import CORSConfigError
from .options import OPTION_NAMES, ROUTE_MATCH_KEYS

__all__ = [
    "PEER_NAMES",
    "ROUTE_KEYS",
    "Form",
    "check_names",
    "check_option_names",
    "example",
    "option_name_errors",
    "respell",
    "spell",
    "unknown_name_hint",
    "unknown_names",
]

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


#: The keys a route dict may hold: its match keys, then every option but ``routes``.
ROUTE_KEYS = (*ROUTE_MATCH_KEYS, *(name for name in OPTION_NAMES if name != "routes"))

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


#: Marks "no value given" (None is a value).
_NO_VALUE: Any = object()
#: Longest value written out in a hint (a longer one is left for the user to move over).
_MAX_SHOWN = 200


def example(option: str, form: Form, value: object, route: int | None = None) -> str:
    """``option`` set to ``value`` as the user writes it in ``form`` (pasteable)."""
    if form == "keyword" and route is None:
        return f"{option}={value!r}"
    return f"{spell(option, form, route)} = {value!r}"


def _peer_value(name: str, value: object) -> object:
    """A peer option's value as the value of our option (``PEER_NAMES``); ``_NO_VALUE`` if unknown."""
    if name in ("allowed_origin_regexes", "origin_regex_whitelist"):
        if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
            return ["~" + item for item in value]
        return _NO_VALUE
    if name in ("allow_all_origins", "origin_allow_all"):
        return "*" if value is True else _NO_VALUE
    if name == "urls_regex":
        return [{"paths": ["~" + value]}] if isinstance(value, str) else _NO_VALUE
    if name == "resources":  # flask-cors's patterns and per-resource options: flask_ext.compat translates them
        return _NO_VALUE
    if isinstance(value, (tuple, set, frozenset)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    return value


def unknown_name_hint(
    name: str, choices: Iterable[str], form: Form, route: int | None = None, value: object = _NO_VALUE
) -> str:
    """A fix for the unknown option ``name`` (lower case, no ``CORS_`` prefix) in the user's spelling.

    With ``value`` (the value given under the unknown name), a peer's option is
    translated into ours with its value, ready to paste.
    """
    choices = list(choices)
    peer = PEER_NAMES.get(name)
    if peer is not None:
        who, ours, note = peer
        who = _POSSESSIVE[who]
        if ours is None:
            return f"{name!r} is {who} option, not needed here: {note}"
        translated = _peer_value(name, value) if value is not _NO_VALUE else _NO_VALUE
        if translated is not _NO_VALUE and len(repr(translated)) <= _MAX_SHOWN:
            return f"{name!r} is {who} name: use {example(ours, form, translated, route)}"
        return f"{name!r} is {who} name: use {spell(ours, form, route)}" + (f" ({note})" if note else "")
    match = difflib.get_close_matches(name, choices, n=1)
    if match:
        return f"did you mean {spell(match[0], form, route)}?"
    return "valid names: " + ", ".join(spell(choice, form, route) for choice in choices)


def unknown_names(
    options: Mapping[str, Any], choices: Iterable[str], form: Form, route: int | None = None, problem: str = ""
) -> list[CORSConfigError]:
    """A :class:`CORSConfigError` for each name of ``options`` not in ``choices``, in order."""
    allowed = list(choices)
    found = []
    for name, value in options.items():
        if name not in allowed:
            where = spell(name, form, route) if form != "keyword" or route is not None else name
            hint = unknown_name_hint(name, allowed, form, route, value)
            found.append(CORSConfigError(where, value, problem or "unknown option", hint))
    return found


def check_names(
    options: Mapping[str, Any], choices: Iterable[str], form: Form, route: int | None = None, problem: str = ""
) -> None:
    """Raise :class:`CORSConfigError` for the first name of ``options`` not in ``choices``."""
    found = unknown_names(options, choices, form, route, problem)
    if found:
        raise found[0]


def option_name_errors(options: Mapping[str, Any], form: Form) -> list[CORSConfigError]:
    """Every unknown name of ``options`` and of each route dict in its ``routes``, as written in ``form``."""
    found = unknown_names(options, OPTION_NAMES, form)
    routes = options.get("routes")
    if isinstance(routes, (list, tuple)):
        for index, route in enumerate(routes):
            if isinstance(route, Mapping):
                found += unknown_names(route, ROUTE_KEYS, form, route=index, problem="unknown route key")
    return found


def check_option_names(options: Mapping[str, Any], form: Form) -> None:
    """Check the option names of ``options`` and of each route dict in its ``routes``, as written in ``form``."""
    found = option_name_errors(options, form)
    if found:
        raise found[0]


# An option label of the core: ``max_age``, or ``routes[2].paths`` (``routes[]`` for a Route built directly).
_LABEL = re.compile(r"(?:routes\[(\d*)\]\.)?([a-z_]+)")
# A ``name=value`` example in a fix, for any option or route key (longest names first).
_NAMES = "|".join(re.escape(name) for name in sorted({*ROUTE_KEYS, *OPTION_NAMES}, key=len, reverse=True))
_EXAMPLE = re.compile(rf"(?<![\w'\"\[])({_NAMES})=(?!=)")


def respell(exc: CORSConfigError, form: Form) -> CORSConfigError:
    """``exc`` with its fix's ``name=value`` examples written in ``form`` (``app.config["CORS_NAME"] = value``)."""
    label = _LABEL.fullmatch(exc.option)
    if form == "keyword" or label is None or not exc.fix:
        return exc
    route = int(label[1]) if label[1] else None
    fix = _EXAMPLE.sub(lambda m: spell(m[1], form, route) + " = ", exc.fix)
    if fix == exc.fix:
        return exc
    return CORSConfigError(exc.option, exc.value, exc.problem, fix)
