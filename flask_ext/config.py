"""Options from ``app.config`` and keyword arguments: names, hints and building a policy.

``CORS_<OPTION>`` config keys map to the core's options. An unknown ``CORS_*`` key
is a :class:`CORSConfigError` naming the closest valid key (or a peer's key's
translation), since ignoring it would leave the defaults (``origins='*'``) in
force; an invalid value's error names the config key or the blueprint or view it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from wsgicors import OPTION_NAMES, CORSConfigError, Policy
from wsgicors.spelling import PEER_NAMES, check_option_names, respell, unknown_name_hint

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["CONFIG_KEYS", "EXTENSION_KEY", "VIEW_ATTRIBUTE", "Layer", "build_policy", "check_names", "config_options"]

#: Where per-app state lives: ``app.extensions[EXTENSION_KEY]``.
EXTENSION_KEY = "corsgate"
#: Attribute ``cross_origin`` sets on a view function: that view's option overrides
#: (a Mapping, or a callable ``(app) -> Mapping`` for options that depend on the app,
#: as flask_ext.compat's, which include flask-cors's ``CORS_*`` keys).
VIEW_ATTRIBUTE = "_corsgate_options"

#: ``app.config`` key of each option: ``CORS_`` + the option's name in upper case.
CONFIG_KEYS: Mapping[str, str] = MappingProxyType({name: "CORS_" + name.upper() for name in OPTION_NAMES})
_OPTION_BY_KEY = {key: name for name, key in CONFIG_KEYS.items()}


def check_names(options: Mapping[str, Any], where: str) -> None:
    """Refuse an unknown keyword argument of ``where`` (``CORS(...)``, ``cross_origin(...)``)."""
    for name, value in options.items():
        if name not in OPTION_NAMES:
            hint = unknown_name_hint(name, OPTION_NAMES, "keyword", value=value)
            raise CORSConfigError(name, value, f"unknown option ({where})", hint)


#: Said of a flask-cors key in app.config: the other way to keep it.
_COMPAT = "; or keep flask-cors's keys and import CORS from flask_ext.compat, which reads them"


def _unknown_key(key: str, value: object) -> CORSConfigError:
    name = key[len("CORS_") :].lower()
    hint = unknown_name_hint(name, OPTION_NAMES, "config", value=value)
    if PEER_NAMES.get(name, ("",))[0] == "flask-cors":
        hint += _COMPAT
    return CORSConfigError(
        f'app.config["{key}"]',
        value,
        "unknown CORS_* key (ignoring it would leave the default, every origin, in force)",
        hint,
    )


def config_options(app: Flask) -> tuple[dict[str, Any], dict[str, str]]:
    """Options from ``app.config`` (``CORS_*`` keys) and the key each came from.

    An unknown ``CORS_*`` key raises :class:`CORSConfigError` naming the key meant.
    """
    options: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, value in app.config.items():
        if not isinstance(key, str) or not key.startswith("CORS_"):
            continue
        name = _OPTION_BY_KEY.get(key)
        if name is None:
            raise _unknown_key(key, value)
        options[name] = value
        sources[name] = key
    return options, sources


def build_policy(options: Mapping[str, Any], sources: Mapping[str, str], context: str = "") -> Policy:
    """``Policy(**options)``; an error names where the bad option came from
    (``CORS_MAX_AGE`` for a config key) and, with ``context``, whose policy it is."""
    try:
        if sources.get("routes") == CONFIG_KEYS["routes"]:  # route keys as written in app.config
            check_option_names({"routes": options["routes"]}, "config")
        return Policy(**options)
    except CORSConfigError as exc:
        if exc.option.startswith("app.config["):
            raise
        root = re.split(r"[\[.]", exc.option, maxsplit=1)[0]
        where = sources.get(root)
        from_config = [key == CONFIG_KEYS.get(name) for name, key in sources.items()]
        if where is None and from_config and all(from_config):  # a default refused beside config keys
            exc = respell(exc, "config")
        if where is None and not context:
            raise exc from None
        if where is not None and where == CONFIG_KEYS.get(root):  # the fix as a config key too
            exc = respell(exc, "config")
        option = exc.option if where is None else where + exc.option[len(root) :]
        problem = f"{exc.problem} (in {context})" if context else exc.problem
        raise CORSConfigError(option, exc.value, problem, exc.fix) from None


class Layer:
    """Option overrides plus the label naming where each came from (for errors)."""

    __slots__ = ("options", "sources")

    def __init__(self, options: Mapping[str, Any], label: Callable[[str], str] = str) -> None:
        self.options = dict(options)
        self.sources = {name: label(name) for name in options}
