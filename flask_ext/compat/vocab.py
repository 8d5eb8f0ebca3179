"""Fixes written as the user writes flask-cors options: a keyword, an ``app.config`` key, a resource's key.

Every suggestion of this layer goes through :func:`example`, so a value pasted
back lands where the user wrote the option; :func:`translate_error` rewrites any
error the core raises (its label and its fix's examples, generically) into
flask-cors's vocabulary: its option names and regex strings for origin patterns.
"""

from __future__ import annotations

import re
from typing import Any

from wsgicors import CORSConfigError
from wsgicors.compat_fix import as_peer_origin, regex_literal, translate_fix

from .names import DEFAULTS, PEER_BY_NATIVE, Layered
from .origins import anchored

__all__ = ["example", "peer_value", "translate_error", "translate_warning"]

_CONFIG_LABEL = re.compile(r"app\.config\[(['\"])CORS_[A-Z_]+\1\]")
# A core label: ``max_age``, ``origins``, ``routes[2].paths``.
_ROOT = re.compile(r"[\[.]")


def example(layered: Layered, name: str, text: str) -> str:
    """``name`` set to the Python source ``text``, where the user wrote ``name``."""
    label = layered.label(name)
    if _CONFIG_LABEL.fullmatch(label) or label.endswith(f"[{name!r}]"):
        return f"{label} = {text}"
    return f"{name}={text}"


def _origin_text(item: Any) -> str:
    peer = as_peer_origin(item)
    return regex_literal(anchored(peer)) if peer is not None else repr(item)


def peer_value(name: str, value: Any) -> str:
    """The source text of ``value`` for flask-cors's option ``name`` (origin patterns as regex strings)."""
    if name == "origins":
        if isinstance(value, (list, tuple, set, frozenset)):
            return "[" + ", ".join(_origin_text(item) for item in value) + "]"
        return _origin_text(value)
    return repr(value)


def _peer_name(name: str, value: Any) -> tuple[str, Any] | None:
    if name == "preflight_continue" and isinstance(value, bool):
        return "automatic_options", not value
    if name in DEFAULTS:
        return name, value
    peer = PEER_BY_NATIVE.get(name)
    return (peer, value) if peer is not None else None


def rewrite(layered: Layered, text: str) -> str:
    """``text`` (a fix or a problem) with native examples and origin values in flask-cors's vocabulary."""

    def spell(name: str, value: Any) -> str | None:
        peer = _peer_name(name, value)
        return None if peer is None else example(layered, peer[0], peer_value(*peer))

    return translate_fix(text, spell, lambda regex: regex_literal(anchored(regex)))


def translate_error(exc: CORSConfigError, layered: Layered, context: str = "") -> CORSConfigError:
    """``exc`` from the core, naming the flask-cors option as the user wrote it, its fix in their vocabulary."""
    root = _ROOT.split(exc.option, maxsplit=1)[0]
    peer = PEER_BY_NATIVE.get(root, root)
    label = layered.label(peer) if peer in layered.values else exc.option
    value = exc.value
    if peer == "origins":
        shown = as_peer_origin(value)
        value = shown if shown is not None else value
    return CORSConfigError(label, value, rewrite(layered, exc.problem) + context, rewrite(layered, exc.fix))


_CORE_WARNING = re.compile(r"CORS option '([^']+)':? (.*)", re.DOTALL)


def translate_warning(text: str, layered: Layered) -> tuple[str, str]:
    """(the option as the user wrote it, the text in flask-cors's vocabulary) for a warning of the core."""
    found = _CORE_WARNING.fullmatch(text)
    if found is None:
        return "options", rewrite(layered, text)
    root = _ROOT.split(found[1], maxsplit=1)[0]
    peer = PEER_BY_NATIVE.get(root, root)
    return (layered.label(peer) if peer in layered.values else found[1]), rewrite(layered, found[2])
