"""Starlette's ``CORSMiddleware`` arguments -> the core's options.

Each argument is read as Starlette 1.x reads it and written as the option the
engine takes; nothing here decides a request. Where Starlette is unsafe, the
value is refused at start-up with the fix in Starlette's vocabulary:
``allow_origins=["*"]`` with ``allow_credentials=True`` (Starlette reflects any
origin with the user's cookies), regexes the engine's guard refuses, and values
Starlette reads wrongly in a way that widens the policy (a bare string, where
``"https://a.co" in "https://a.com"`` would be true; an entry the engine would
read as a pattern).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from wsgicors import CORSConfigError, Policy
from wsgicors.compat_fix import regex_literal, translate_fix

from ..names import STARLETTE_BY_NATIVE

__all__ = ["ALL_METHODS", "SAFELISTED_HEADERS", "starlette_policy"]

#: Starlette's ``allow_methods=["*"]``.
ALL_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY")
#: Always listed in Starlette's Access-Control-Allow-Headers.
SAFELISTED_HEADERS = frozenset({"Accept", "Accept-Language", "Content-Language", "Content-Type"})
_EXAMPLES = {
    "allow_origins": "allow_origins=['https://app.example.com']",
    "allow_methods": "allow_methods=['GET', 'POST']",
    "allow_headers": "allow_headers=['Content-Type']",
    "expose_headers": "expose_headers=['X-Total-Count']",
}


def _names(argument: str, value: object) -> list[str]:
    """A collection of strings, as Starlette iterates it; a bare string is refused (Starlette would read
    its characters, or match substrings of it)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Collection):
        raise CORSConfigError(argument, value, "must be a list of strings, not one string", _EXAMPLES[argument])
    items = list(value)
    for item in items:
        if not isinstance(item, str):
            raise CORSConfigError(argument, item, "each entry must be a string", _EXAMPLES[argument])
    return items


def _origins(allow_origins: object, allow_origin_regex: object) -> list[Any]:
    origins = _names("allow_origins", allow_origins)
    if "*" in origins:
        origins = ["*"]
    for entry in origins:
        if entry != "*" and ("*" in entry or entry.startswith("~")):
            # Starlette compares these literally (they never match); the engine would read a pattern.
            raise CORSConfigError(
                "allow_origins",
                entry,
                "allow_origins lists exact origins ('*' alone allows any); patterns go in allow_origin_regex",
                "allow_origin_regex=r'https://[a-z0-9-]+\\.example\\.com'",
            )
    if allow_origin_regex is not None:
        if not isinstance(allow_origin_regex, str):
            raise CORSConfigError(
                "allow_origin_regex",
                allow_origin_regex,
                "must be a string (full-matched against the Origin)",
                "allow_origin_regex=r'https://[a-z0-9-]+\\.example\\.com'",
            )
        if origins == ["*"]:
            return origins  # Starlette: '*' allows every origin before the regex is asked
        origins.append("~" + allow_origin_regex)
    return origins


def starlette_policy(
    allow_origins: Collection[str],
    allow_methods: Collection[str],
    allow_headers: Collection[str],
    allow_credentials: bool,
    allow_origin_regex: str | None,
    allow_private_network: bool,
    expose_headers: Collection[str],
    max_age: int,
) -> Policy:
    """The policy Starlette's arguments describe; a refusal names Starlette's argument."""
    origins = _origins(allow_origins, allow_origin_regex)
    if allow_credentials is True and origins == ["*"]:
        raise CORSConfigError(
            "allow_credentials",
            True,
            "with allow_origins=['*'], every site could read responses made with the user's cookies "
            "(Starlette reflects any Origin here; corsgate refuses)",
            "list the trusted origins: allow_origins=['https://app.example.com'], allow_credentials=True",
        )
    methods = _names("allow_methods", allow_methods)
    headers = _names("allow_headers", allow_headers)
    exposed = _names("expose_headers", expose_headers)
    options: dict[str, Any] = {
        "origins": origins,
        "methods": list(ALL_METHODS) if "*" in methods else methods,
        # '*': the requested headers are echoed; else Starlette's list, the safelisted names included, sorted.
        "headers": None if "*" in headers else sorted(SAFELISTED_HEADERS | set(headers)),
        "exposed_headers": exposed or None,
        "credentials": allow_credentials,
        "max_age": max_age,
        "private_network": allow_private_network,
        # Starlette sends 'Vary: Origin' on every response and nothing else without an Origin.
        "allow_origin_absent": False,
    }
    return _build(options, allow_origin_regex)


def _build(options: dict[str, Any], regex: str | None) -> Policy:
    try:
        return Policy(**options)
    except CORSConfigError as exc:
        root = re.split(r"[\[.]", exc.option, maxsplit=1)[0]
        argument = STARLETTE_BY_NATIVE.get(root, root)
        value: object = exc.value
        if root == "origins" and regex is not None and exc.value in ("~" + regex, regex):
            argument, value = "allow_origin_regex", regex
        fix = _respell(exc.fix)
        raise CORSConfigError(argument, value, exc.problem, fix) from None


def _spell(name: str, value: Any) -> str | None:
    """``name=value`` of the engine's fix as Starlette's argument (``origins=`` -> ``allow_origins=``)."""
    argument = STARLETTE_BY_NATIVE.get(name)
    return None if argument is None else f"{argument}={value!r}"


def _respell(fix: str) -> str:
    """The engine's fix in Starlette's vocabulary: its arguments, and a wildcard or ``'~regex'``
    origin as the ``allow_origin_regex`` string that means it."""
    return translate_fix(fix, _spell, regex_literal)
