"""Fixes written as django-cors-headers settings: the core's errors in the peer's vocabulary.

The core's fixes name native options and native origin syntax
(``credentials=False``, ``'~https://...'``, ``'https://*.example.com'``); a
django-cors-headers user writes ``CORS_ALLOW_CREDENTIALS = False`` and regex
strings in ``CORS_ALLOWED_ORIGIN_REGEXES`` (the peer has no ``~`` and no
wildcard). :func:`rewrite` translates any fix generically; :func:`setting_of`
names the setting an error of the core is about.
"""

from __future__ import annotations

import re
from typing import Any

from wsgicors.compat_fix import as_peer_origin, regex_literal, translate_fix

from .conf import written_name

__all__ = ["capital", "peer_value", "rewrite", "setting_of"]

#: The core's option -> the django-cors-headers setting that becomes it.
SETTING_BY_OPTION = {
    "credentials": "CORS_ALLOW_CREDENTIALS",
    "methods": "CORS_ALLOW_METHODS",
    "headers": "CORS_ALLOW_HEADERS",
    "exposed_headers": "CORS_EXPOSE_HEADERS",
    "max_age": "CORS_PREFLIGHT_MAX_AGE",
    "private_network": "CORS_ALLOW_PRIVATE_NETWORK",
    "paths": "CORS_URLS_REGEX",
    "routes": "CORS_URLS_REGEX",
}
_ROOT = re.compile(r"(?:routes\[\d*\]\.)?([a-z_]+)")


def _is_pattern(entry: object) -> bool:
    return isinstance(entry, re.Pattern) or as_peer_origin(entry) is not None


def _origins(value: Any) -> str:
    entries = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
    if "*" in entries:
        return f"{written_name('CORS_ALLOW_ALL_ORIGINS')} = True"
    exact = [entry for entry in entries if not _is_pattern(entry)]
    regexes = [regex_literal(str(as_peer_origin(entry))) for entry in entries if _is_pattern(entry)]
    parts = []
    if exact:
        parts.append(f"{written_name('CORS_ALLOWED_ORIGINS')} = {exact!r}")
    if regexes:
        parts.append(f"{written_name('CORS_ALLOWED_ORIGIN_REGEXES')} = [{', '.join(regexes)}]")
    return " and ".join(parts)


def _spell(name: str, value: Any) -> str | None:
    if name == "origins":
        return _origins(value)
    setting = SETTING_BY_OPTION.get(name)
    if setting is None:
        return None
    if setting == "CORS_URLS_REGEX":
        return None  # a path example of the core (a prefix or '~regex') is not the peer's regex
    if setting == "CORS_PREFLIGHT_MAX_AGE" and value is None:
        value = 0
    return f"{setting} = {value!r}"


def rewrite(text: str, *, in_regexes: bool = False) -> str:
    """``text`` with native examples as settings and native origin values as the peer's regexes
    (bare regex strings when the user is writing ``CORS_ALLOWED_ORIGIN_REGEXES``)."""
    name = written_name("CORS_ALLOWED_ORIGIN_REGEXES")

    def spell_origin(regex: str) -> str:
        return regex_literal(regex) if in_regexes else f"{name} = [{regex_literal(regex)}]"

    return translate_fix(text, _spell, spell_origin)


def setting_of(option: str, value: object) -> str:
    """The setting (as the user wrote it) that the core's ``option`` (and ``value``) came from."""
    match = _ROOT.fullmatch(option)
    root = match[1] if match else option
    if root == "origins":
        if _is_pattern(value) or (
            isinstance(value, (list, tuple)) and value and all(_is_pattern(entry) for entry in value)
        ):
            return written_name("CORS_ALLOWED_ORIGIN_REGEXES")
        return written_name("CORS_ALLOWED_ORIGINS")
    return SETTING_BY_OPTION.get(root, "django-cors-headers settings")


def capital(text: str) -> str:
    """A hint starts with a capital, as Django's do."""
    return text[:1].upper() + text[1:]


def peer_value(value: object) -> object:
    """An origin value as the user wrote it: regexes without the core's '~', callables left out."""
    if isinstance(value, str) and value.startswith("~"):
        return value[1:]
    if isinstance(value, list):
        return [peer_value(item) for item in value if not callable(item)]
    return value
