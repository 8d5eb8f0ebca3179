r"""The core's fixes rewritten in a peer library's vocabulary, for the compat layers.

A :class:`CORSConfigError` raised by the core names native options and native
origin syntax in its fix (``credentials=False``, ``'~https://...'``,
``'https://*.example.com'``). flask-cors and django-cors-headers users write
other names, and their libraries know no ``~`` and no wildcard: an origin
pattern is a regex string. :func:`translate_fix` rewrites any fix generically
(never per message): each ``name=value`` example through the layer's
``spell(name, value)``, and each quoted native-only origin value (``'~R'``, a
wildcard) through ``spell_origin`` as the peer's regex string.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["as_peer_origin", "regex_literal", "translate_fix"]

_WILDCARD = re.compile(r"([a-z][a-z0-9+.-]*)://\*\.([A-Za-z0-9.-]+)(:[0-9]+)?")
# ``name=`` (a keyword example), not ``==`` and not inside another word or a quoted string.
_EXAMPLE = re.compile(r"(?<![\w'\"\[.])([a-z_]+)=(?!=)")
_QUOTED = re.compile(r"""(?<![\w\\])r?(['"])""")


def regex_literal(pattern: str) -> str:
    """``pattern`` as a Python raw string literal, as people write regexes (``r"..."``)."""
    if '"' not in pattern and not pattern.endswith("\\") and "\n" not in pattern:
        return f'r"{pattern}"'
    return repr(pattern)


def as_peer_origin(value: object) -> str | None:
    r"""A native-only origin value as the peer's regex string (its source text), else None.

    ``'~R'`` -> ``R``; ``'scheme://*.host[:port]'`` -> ``scheme://([a-z0-9-]+\.)+host[:port]``.
    """
    if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
        return value.pattern
    if not isinstance(value, str):
        return None
    if value.startswith("~"):
        return value[1:]
    wildcard = _WILDCARD.fullmatch(value)
    if wildcard is not None:
        scheme, host, port = wildcard.group(1, 2, 3)
        return rf"{scheme}://([a-z0-9-]+\.)+{re.escape(host.lower())}" + (port or "")
    return None


def _literal_at(text: str, start: int) -> tuple[Any, int] | None:
    """The longest Python literal starting at ``start`` (a tuple only when written with parentheses)."""
    for end in range(len(text), start, -1):
        if end < len(text) and text[end] not in " ,;)]}.":
            continue
        source = text[start:end].strip()
        if source[:1] in "'\"":
            source = "r" + source  # a regex quoted in prose: its backslashes are the regex's
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # '\.' inside a list's strings
                value = ast.literal_eval(source)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        if isinstance(value, tuple) and not text[start:end].lstrip().startswith("("):
            continue
        return value, end
    return None


def translate_fix(
    text: str,
    spell: Callable[[str, Any], str | None],
    spell_origin: Callable[[str], str] | None = None,
) -> str:
    """``text`` with every ``name=value`` example spelled by ``spell`` (None: keep it) and
    every other quoted native-only origin value by ``spell_origin`` (its peer regex source; None: kept)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        example = _EXAMPLE.match(text, i) if (i == 0 or not text[i - 1].isalnum()) else None
        if example is not None:
            found = _literal_at(text, example.end())
            if found is not None:
                spelled = spell(example[1], found[0])
                if spelled is not None:
                    out.append(spelled)
                    i = found[1]
                    continue
        quoted = (
            _QUOTED.match(text, i)
            if spell_origin is not None and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "\\"))
            else None
        )
        if quoted is not None:
            found = _literal_at(text, i)
            if found is not None and isinstance(found[0], str):
                peer = as_peer_origin(found[0])
                out.append(spell_origin(peer) if peer is not None and spell_origin else text[i : found[1]])
                i = found[1]
                continue
        out.append(text[i])
        i += 1
    return "".join(out)
