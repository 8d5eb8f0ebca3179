"""flask-cors 6's vocabulary: option names, defaults, ``CORS_*`` keys, and where each value came from.

Everything here is the peer's, read from flask-cors 6.0.5 (``flask_cors/core.py``):
the defaults, the ``app.config`` keys it reads, and the options each entry
point knows. ``Layered`` keeps, for every option, the value that wins under
flask-cors's precedence (resource > keyword > app.config > default) and a label
saying where it was written, so errors and warnings name it as the user wrote it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

from wsgicors import CORSConfigError

__all__ = [
    "ALL_METHODS",
    "CONFIG_KEYS",
    "DECORATOR_OPTIONS",
    "DEFAULTS",
    "EXTENSION_OPTIONS",
    "NATIVE_NAMES",
    "PEER_BY_NATIVE",
    "Layered",
    "closest_option",
    "known",
]

#: flask-cors's default ``methods``.
ALL_METHODS = ("GET", "HEAD", "POST", "OPTIONS", "PUT", "PATCH", "DELETE")

#: flask-cors's defaults (``DEFAULT_OPTIONS``).
DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {
        "origins": "*",
        "methods": ALL_METHODS,
        "allow_headers": "*",
        "expose_headers": None,
        "supports_credentials": False,
        "max_age": None,
        "send_wildcard": False,
        "automatic_options": True,
        "vary_header": True,
        "resources": r"/*",
        "intercept_exceptions": True,
        "always_send": True,
        "allow_private_network": False,
    }
)

#: What ``cross_origin(...)`` takes; ``CORS(...)`` adds ``resources`` and ``intercept_exceptions``.
DECORATOR_OPTIONS = tuple(name for name in DEFAULTS if name not in ("resources", "intercept_exceptions"))
EXTENSION_OPTIONS = tuple(DEFAULTS)

#: The ``app.config`` key flask-cors reads for each option (``CORS_`` + upper case).
CONFIG_KEYS: Mapping[str, str] = MappingProxyType({name: "CORS_" + name.upper() for name in DEFAULTS})

#: flask-cors option -> the native ``flask_ext`` option it becomes (None: no counterpart).
NATIVE_NAMES: Mapping[str, str | None] = MappingProxyType(
    {
        "origins": "origins",
        "methods": "methods",
        "allow_headers": "headers",
        "expose_headers": "exposed_headers",
        "supports_credentials": "credentials",
        "max_age": "max_age",
        "send_wildcard": None,
        "automatic_options": "preflight_continue",
        "vary_header": None,
        "resources": "routes",
        "intercept_exceptions": None,
        "always_send": "allow_origin_absent",
        "allow_private_network": "private_network",
    }
)
#: The inverse: a native option -> the flask-cors option that becomes it.
PEER_BY_NATIVE: Mapping[str, str] = MappingProxyType(
    {native: name for name, native in NATIVE_NAMES.items() if native is not None}
)


def closest_option(name: str, choices: Iterable[str]) -> str:
    """A hint for an unknown name: flask-cors's name for a native one, else the closest choice."""
    choices = list(choices)
    peer = PEER_BY_NATIVE.get(name)
    if peer is not None and peer in choices and peer != name:
        return f"this is flask_ext's native name; flask_ext.compat speaks flask-cors: use {peer!r}"
    match = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if match:
        return f"did you mean {match[0]!r}?"
    return "flask-cors's options are " + ", ".join(choices)


class Layered:
    """Options merged in flask-cors's order, each with the label of where it was written."""

    __slots__ = ("labels", "values")

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.labels: dict[str, str] = {}

    @classmethod
    def defaults(cls, names: Iterable[str] = DEFAULTS) -> Layered:
        layered = cls()
        for name in names:
            layered.values[name] = DEFAULTS[name]
            layered.labels[name] = f"{name} (flask-cors's default {DEFAULTS[name]!r})"
        return layered

    def over(self, options: Mapping[str, Any], label: Callable[[str], str] = str) -> Layered:
        """A copy with ``options`` on top; ``label(name)`` says where each was written."""
        layered = Layered()
        layered.values = {**self.values, **options}
        layered.labels = {**self.labels, **{name: label(name) for name in options}}
        return layered

    def given(self, name: str) -> bool:
        """True if the user wrote ``name`` somewhere (not flask-cors's default)."""
        return name in self.labels and "flask-cors's default" not in self.labels[name]

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def label(self, name: str) -> str:
        return self.labels.get(name, name)


def known(
    options: Mapping[str, Any],
    allowed: Iterable[str],
    label: Callable[[str], str],
) -> dict[str, Any]:
    """``options``, once every name is one flask-cors knows.

    flask-cors logs "Unknown option" and carries on, so a typo (``origin=``) left
    the policy at its default, every origin; here it is a :class:`CORSConfigError`
    naming the option meant.
    """
    allowed = tuple(allowed)
    for name, value in options.items():
        if name not in allowed:
            raise CORSConfigError(label(name), value, "unknown option", closest_option(name, allowed))
    return dict(options)
