"""Reading the fixes messages suggest, and pasting each one back (issue 16, item 3).

A fix suggests values in the vocabulary of the door the user writes in:

- ``keyword``: ``max_age=3600``, ``routes[0]["credentials"] = True`` (inside
  ``routes[0]`` when the error's option is ``routes[0].<name>``);
- ``config``: ``app.config["CORS_MAX_AGE"] = 3600``, ``app.config["CORS_ROUTES"][1]["paths"] = ['/api']``;
- ``setting``: ``CORS["max_age"] = 3600``, ``CORS["routes"][1]["paths"] = ['/api']``, ``CORS = {...}``;

and, in every door, a replacement for the one bad entry of a list (``write
'https://example.com'``, ``e.g. '...'``, ``such as '...'``), a name to use
instead (``did you mean <key>?``: the value moves there), or a key to remove
(``not needed here``). :func:`suggestions` finds them all; :func:`paste`
applies one to a copy of the configuration.
"""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass
from typing import Any, Literal

from wsgicors import OPTION_NAMES
from wsgicors.spelling import ROUTE_KEYS

Form = Literal["keyword", "config", "setting"]

_NAMES = "|".join(sorted({*OPTION_NAMES, *ROUTE_KEYS}, key=len, reverse=True))
# Where an example's value starts, per door; groups: top-level name, route index, route key.
_SET = {
    "keyword": re.compile(rf"(?:(?<![\w'\"\[])({_NAMES})=(?!=)|routes\[(\d+)\]\[\"(\w+)\"\] = )"),
    "config": re.compile(r"app\.config\[\"CORS_(\w+)\"\](?:\[(\d+)\]\[\"(\w+)\"\])? = "),
    "setting": re.compile(r"(?<![\w.])CORS(?:\[\"(\w+)\"\](?:\[(\d+)\]\[\"(\w+)\"\])? = | = )"),
}
_RENAME = {
    "keyword": re.compile(r"did you mean (?:'(\w+)'|routes\[(\d+)\]\[\"(\w+)\"\])\?", re.I),
    "config": re.compile(r"did you mean app\.config\[\"CORS_(\w+)\"\](?:\[(\d+)\]\[\"(\w+)\"\])?\?", re.I),
    "setting": re.compile(r"did you mean CORS\[\"(\w+)\"\](?:\[(\d+)\]\[\"(\w+)\"\])?\?", re.I),
}
_ENTRY = re.compile(r"\b(?:write|e\.g\.|such as) (?=r?['\"])", re.I)
# An option label of an error: ``max_age``, ``routes[2].paths``, ``CORS_MAX_AGE``, ``CORS["max_age"]``, ...
_LABEL_ROUTE = re.compile(r"routes\[(\d+)\]", re.I)


@dataclass(frozen=True)
class Suggestion:
    """``kind``: 'set' (``name`` = ``value``), 'rename' (the bad name's value moves to ``name``),
    'entry' (the bad entry becomes ``value``), 'remove' (drop the bad name). ``route``: inside routes[route]."""

    kind: str
    name: str | None
    value: Any
    route: int | None
    text: str


def _literal(text: str) -> tuple[Any, str] | None:
    """The longest prefix of ``text`` that is a Python literal, and that prefix."""
    for end in range(len(text), 0, -1):
        candidate = text[:end]
        if candidate.rstrip().endswith(","):  # "[...], or ..." is the list, not a tuple of it
            continue
        try:
            return ast.literal_eval(candidate), candidate
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            continue
    return None


def _name(raw: str | None, form: Form) -> str | None:
    if raw is None:
        return None
    return raw.lower() if form == "config" else raw


def suggestions(fix: str, form: Form, label: str, *, bad_name: str | None = None) -> list[Suggestion]:
    """Every value ``fix`` suggests, read in ``form``; ``label`` is the error's option (for a route's scope)."""
    scope_match = _LABEL_ROUTE.search(label)
    scope = int(scope_match[1]) if scope_match else None
    found: list[Suggestion] = []
    for match in _SET[form].finditer(fix):
        literal = _literal(fix[match.end() :])
        if literal is None:
            continue
        value, text = literal
        top, index, key = match.group(1), match.group(2), match.group(3)
        if form == "setting" and top is None:  # CORS = {...}: the whole setting
            found.append(Suggestion("set", None, value, None, match[0] + text))
        elif index is not None:
            found.append(Suggestion("set", key, value, int(index), match[0] + text))
        elif form == "keyword" and top is not None:
            found.append(Suggestion("set", top, value, scope, match[0] + text))
        else:
            found.append(Suggestion("set", _name(top, form), value, None, match[0] + text))
    for match in _RENAME[form].finditer(fix):
        top, index, key = match.group(1), match.group(2), match.group(3)
        if index is not None:
            found.append(Suggestion("rename", key, None, int(index), match[0]))
        else:
            found.append(Suggestion("rename", _name(top, form), None, scope, match[0]))
    for match in _ENTRY.finditer(fix):
        literal = _literal(fix[match.end() :])
        if literal is not None and isinstance(literal[0], str):
            found.append(Suggestion("entry", None, literal[0], scope, match[0] + literal[1]))
    if "not needed here" in fix and bad_name is not None:
        found.append(Suggestion("remove", bad_name, None, scope, "remove it"))
    return found


def paste(
    options: dict[str, Any], suggestion: Suggestion, *, bad_name: str | None, bad_value: Any, option: str | None
) -> dict[str, Any]:
    """A copy of ``options`` (keyword names) with ``suggestion`` applied.

    ``bad_name``: the unknown name an error named (for 'rename' and 'remove');
    ``bad_value``: the value refused (for 'entry'); ``option``: the option it is in.
    """
    result = copy.deepcopy(options)
    if suggestion.kind == "set" and suggestion.name is None:
        return dict(suggestion.value)
    target = result if suggestion.route is None else result["routes"][suggestion.route]
    if suggestion.kind == "set":
        if bad_name is not None and bad_name not in (*OPTION_NAMES, *ROUTE_KEYS):
            target.pop(bad_name, None)  # an unknown (a peer's) name: the example is written instead of it
        target[suggestion.name] = suggestion.value
    elif suggestion.kind == "rename":
        assert bad_name is not None
        target[suggestion.name] = target.pop(bad_name)
    elif suggestion.kind == "remove":
        assert bad_name is not None
        del target[bad_name]
    else:  # entry: replace the refused entry where it stands
        assert option is not None
        current = target[option]
        if isinstance(current, (list, tuple)):
            target[option] = [suggestion.value if item == bad_value else item for item in current]
        else:
            target[option] = suggestion.value
    return result


#: Bad configurations (keyword names), one mistake each, and the option the mistake is in (None: a name).
CATALOGUE: list[tuple[str, dict[str, Any]]] = [
    ("misspelt option", {"origin": ["https://app.example"]}),
    ("misspelt option, far", {"origns": ["https://app.example"], "max_age": 5}),
    ("flask-cors name", {"expose_headers": ["X-Id"]}),
    ("flask-cors name with credentials", {"supports_credentials": True, "origins": ["https://app.example"]}),
    ("flask-cors option not needed", {"send_wildcard": True}),
    ("django-cors-headers name", {"allowed_origins": ["https://app.example"]}),
    ("django-cors-headers regexes", {"allowed_origin_regexes": [r"^https://\w+\.example\.com$"]}),
    ("django-cors-headers allow all", {"allow_all_origins": True}),
    ("max_age text", {"max_age": "10"}),
    ("max_age negative", {"max_age": -1}),
    ("credentials text, origins '*'", {"credentials": "yes"}),
    ("credentials text, origins listed", {"credentials": "yes", "origins": ["https://app.example"]}),
    ("'*' with credentials", {"origins": "*", "credentials": True}),
    ("default '*' with credentials", {"credentials": True}),
    ("origin without scheme", {"origins": ["app.example"]}),
    ("origin with a path", {"origins": ["https://app.example/api"]}),
    ("origin with whitespace", {"origins": [" https://app.example"]}),
    ("origin wildcard over a TLD", {"origins": ["https://*.com"]}),
    ("origins not a list", {"origins": 5}),
    ("origin not a string", {"origins": [5]}),
    ("unanchored origin regex", {"origins": [r"~.*\.example\.com"]}),
    ("catastrophic origin regex", {"origins": [r"~https://(a+)+\.example\.com"]}),
    ("methods not a list", {"methods": 5}),
    ("method with a space", {"methods": ["GET POST"]}),
    ("'*' among methods", {"methods": ["GET", "*"]}),
    ("header with a space", {"headers": ["bad header"]}),
    ("exposed_headers not a list", {"exposed_headers": 3}),
    ("private_network text", {"private_network": "yes"}),
    ("preflight_continue number", {"preflight_continue": 1}),
    ("allow_origin_absent None", {"allow_origin_absent": None}),
    ("preflight_status not ok", {"preflight_status": 404}),
    ("routes not a list", {"routes": "/api"}),
    ("route path without '/'", {"routes": [{"paths": ["api"]}]}),
    ("misspelt route key", {"routes": [{"path": ["/api"]}]}),
    ("peer route key", {"routes": [{"paths": ["/a"], "supports_credentials": False}]}),
    ("route max_age", {"routes": [{"paths": ["/a"]}, {"paths": ["/b"], "max_age": -1}]}),
    ("route credentials over '*'", {"routes": [{"paths": ["/a"], "credentials": True}]}),
    ("route host wildcard over a TLD", {"routes": [{"paths": ["/a"], "hosts": ["*.com"]}]}),
]


def bad_name(label: str, form: Form) -> str:
    """The option or key an error's label ends in: ``routes[0]["path"]`` -> path, ``app.config["CORS_X"]`` -> x."""
    name = re.findall(r"\w+", label)[-1]
    if form == "config" and name.startswith("CORS_"):
        name = name[len("CORS_") :]
    return name.lower() if form == "config" else name


def pasted_back(
    options: dict[str, Any], fix: str, label: str, value: Any, form: Form
) -> list[tuple[str, dict[str, Any]]]:
    """Each suggestion of ``fix`` pasted into ``options``: (the suggestion's text, the new options)."""
    name = bad_name(label, form)
    found = suggestions(fix, form, label, bad_name=name)
    return [
        (s.text, paste(options, s, bad_name=name, bad_value=value, option=name if s.kind == "entry" else None))
        for s in found
    ]
