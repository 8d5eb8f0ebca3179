"""flask-cors's ``CORS_*`` keys in ``app.config``, read as flask-cors reads them.

flask-cors reads thirteen keys (``CORS_`` + an option's name in upper case) and
skips those set to None; it silently ignores every other ``CORS_*`` key,
including ``CORS_HEADERS``, which its own documentation shows. Here any other
``CORS_*`` key is a :class:`CORSConfigError` naming the key meant: a typo such as
``CORS_ORIGIN`` must not leave the policy at its default, every origin.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wsgicors import CORSConfigError

from .names import CONFIG_KEYS, PEER_BY_NATIVE, Layered, closest_option
from .notices import Notices

__all__ = ["config_label", "with_config"]

_NAME_BY_KEY = {key: name for name, key in CONFIG_KEYS.items()}
# flask_ext's own keys (CORS_CREDENTIALS, ...) -> the flask-cors key meaning the same.
_PEER_BY_NATIVE_KEY = {"CORS_" + native.upper(): CONFIG_KEYS[peer] for native, peer in PEER_BY_NATIVE.items()}


def config_label(name: str) -> str:
    return f"app.config[{CONFIG_KEYS[name]!r}]"


def _ignored_key(key: str) -> str:
    if key == "CORS_HEADERS":
        return (
            "flask-cors never reads this key (its documentation shows it): for Access-Control-Allow-Headers "
            "use app.config['CORS_ALLOW_HEADERS'], or delete it"
        )
    peer = _PEER_BY_NATIVE_KEY.get(key)
    if peer is not None and peer != key:
        return f"this is flask_ext's native key; flask_ext.compat reads flask-cors's keys: use {peer!r}"
    return "not a flask-cors key: " + closest_option(key, CONFIG_KEYS.values())


def with_config(layered: Layered, config: Mapping[str, Any] | None, notices: Notices) -> Layered:
    """``layered`` with the flask-cors keys of ``config`` on top (None: a blueprint, no config)."""
    if not config:
        return layered
    options: dict[str, Any] = {}
    for key, value in config.items():
        if not isinstance(key, str) or not key.startswith("CORS_"):
            continue
        name = _NAME_BY_KEY.get(key)
        if name is None:
            raise CORSConfigError(f"app.config[{key!r}]", value, "unknown key", _ignored_key(key))
        elif value is not None:
            options[name] = value
    return layered.over(options, config_label)
