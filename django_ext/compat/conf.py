"""django-cors-headers' settings, read with the peer's defaults and old aliases (the new name wins).

``conf`` mirrors ``corsheaders.conf.conf``: one lazy attribute per setting,
read from ``django.conf.settings`` on every access.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from django.conf import settings

from .defaults import default_headers, default_methods

__all__ = ["ALIASES", "DEFAULTS", "KNOWN", "REMOVED", "Settings", "conf", "read", "written_name"]

#: Every setting the compat layer reads, with the peer's default.
DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {
        "CORS_ALLOW_HEADERS": default_headers,
        "CORS_ALLOW_METHODS": default_methods,
        "CORS_ALLOW_CREDENTIALS": False,
        "CORS_ALLOW_PRIVATE_NETWORK": False,
        "CORS_PREFLIGHT_MAX_AGE": 86400,
        "CORS_ALLOW_ALL_ORIGINS": False,
        "CORS_ALLOWED_ORIGINS": (),
        "CORS_ALLOWED_ORIGIN_REGEXES": (),
        "CORS_EXPOSE_HEADERS": (),
        "CORS_URLS_REGEX": r"^.*$",
    }
)
#: New name -> the old name django-cors-headers still reads when the new one is unset.
ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "CORS_ALLOW_ALL_ORIGINS": "CORS_ORIGIN_ALLOW_ALL",
        "CORS_ALLOWED_ORIGINS": "CORS_ORIGIN_WHITELIST",
        "CORS_ALLOWED_ORIGIN_REGEXES": "CORS_ORIGIN_REGEX_WHITELIST",
    }
)
#: Settings the peer removed; setting one is a check error.
REMOVED = ("CORS_MODEL", "CORS_REPLACE_HTTPS_REFERER")
#: Every CORS_* name that means something here (misspellings are warned about).
KNOWN = frozenset((*DEFAULTS, *ALIASES.values(), *REMOVED))

_MISSING = object()


def read(name: str) -> Any:
    """The effective value of setting ``name``: set, else its old alias, else the peer's default."""
    value = getattr(settings, name, _MISSING)
    if value is _MISSING:
        alias = ALIASES.get(name)
        value = getattr(settings, alias, _MISSING) if alias is not None else _MISSING
        if value is _MISSING:
            value = DEFAULTS[name]
    return value


def written_name(name: str) -> str:
    """The name the user wrote for ``name``: the old alias when only the alias is set."""
    alias = ALIASES.get(name)
    if alias is not None and not hasattr(settings, name) and hasattr(settings, alias):
        return alias
    return name


class _Setting:
    """A lazy attribute of :class:`Settings`: the setting's effective value on every read."""

    name: str

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        return read(self.name)


class Settings:
    """Django's settings seen through django-cors-headers' defaults and aliases."""

    CORS_ALLOW_HEADERS = _Setting()
    CORS_ALLOW_METHODS = _Setting()
    CORS_ALLOW_CREDENTIALS = _Setting()
    CORS_ALLOW_PRIVATE_NETWORK = _Setting()
    CORS_PREFLIGHT_MAX_AGE = _Setting()
    CORS_ALLOW_ALL_ORIGINS = _Setting()
    CORS_ALLOWED_ORIGINS = _Setting()
    CORS_ALLOWED_ORIGIN_REGEXES = _Setting()
    CORS_EXPOSE_HEADERS = _Setting()
    CORS_URLS_REGEX = _Setting()


conf = Settings()
