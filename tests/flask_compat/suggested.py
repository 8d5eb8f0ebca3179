"""Reading the values a compat layer's message suggests, so a test can paste each one back.

A suggestion is Python source in the message's fix: ``name=VALUE`` (a keyword),
``TARGET = VALUE`` (an ``app.config`` key, a resource's key, a Django setting),
or a bare quoted value (an entry of the option the message names). No Flask or
Django here: the Django tests use it too.
"""

from __future__ import annotations

import ast
import re
import warnings
from typing import Any, NamedTuple

__all__ = ["Suggestion", "suggestions"]

_ASSIGN = re.compile(
    r"(?P<target>app\.config\['CORS_[A-Z_]+'\]|resources\['[^']*'\]\['[a-z_]+'\]|CORS_[A-Z_]+) = "
    r"|(?<![\w.'\"\[])(?P<keyword>[a-z_]+)=(?!=)"
)
_QUOTE = re.compile(r"""(?<![\w\\])(?:r?['"]|[\[{])""")


class Suggestion(NamedTuple):
    #: ``"keyword"``, ``"config"``, ``"resource"``, ``"setting"`` or ``"entry"`` (a bare value).
    kind: str
    #: The keyword, ``app.config`` key, ``(resource, name)``, setting name, or None for an entry.
    target: Any
    value: Any


def _literal(text: str, start: int) -> tuple[Any, int] | None:
    """The longest Python literal at ``start`` (a tuple only when parenthesised)."""
    for end in range(len(text), start, -1):
        source = text[start:end].strip()
        if not source or source.endswith(","):
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = ast.literal_eval(source)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        if isinstance(value, tuple) and not source.startswith("("):
            continue
        return value, end
    return None


def suggestions(fix: str) -> list[Suggestion]:
    """Every value ``fix`` suggests, in order."""
    found: list[Suggestion] = []
    i = 0
    while i < len(fix):
        match = _ASSIGN.match(fix, i) if i == 0 or not fix[i - 1].isalnum() else None
        if match is not None:
            literal = _literal(fix, match.end())
            if literal is not None:
                target = match["target"]
                if match["keyword"]:
                    found.append(Suggestion("keyword", match["keyword"], literal[0]))
                elif target.startswith("app.config"):
                    found.append(Suggestion("config", target[len("app.config['") : -2], literal[0]))
                elif target.startswith("resources"):
                    resource, name = re.findall(r"\['([^']*)'\]", target)
                    found.append(Suggestion("resource", (resource, name), literal[0]))
                else:
                    found.append(Suggestion("setting", target, literal[0]))
                i = literal[1]
                continue
        quote = _QUOTE.match(fix, i) if i == 0 or not fix[i - 1].isalnum() else None
        if quote is not None:
            literal = _literal(fix, i)
            if literal is not None and isinstance(literal[0], (str, list, dict)):
                found.append(Suggestion("entry", None, literal[0]))
                i = literal[1]
                continue
        i += 1
    return found
