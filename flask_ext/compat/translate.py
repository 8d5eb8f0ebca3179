"""flask-cors option values -> the core's options, for one effective policy.

Each flask-cors option is read as flask-cors 6 reads it (``serialize_options``:
strings or iterables, the regex-by-character guess, ``'*'`` as ``'.*'``,
``bool()`` of switches, sorted lists) and written as the core's option. Where
the core behaves differently on purpose, a notice says so (codes D1...); what
the core refuses becomes a :class:`CORSConfigError` naming the option as the
user wrote it, with the fix in flask-cors's and in ``flask_ext``'s vocabulary.
Nothing here decides a request: the resulting options go to ``wsgicors.Policy``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from wsgicors import CORSConfigError, CORSConfigWarning, Policy
from wsgicors.header_patterns import HEADER_REGEX
from wsgicors.options import meant_bool
from wsgicors.regex_safety import guard_regex
from wsgicors.tokens import is_token

from .names import ALL_METHODS, Layered
from .notices import Notices
from .origins import translate_origins
from .patterns import entries, is_any, prefix_match, probably_regex
from .vocab import example, translate_error, translate_warning

__all__ = ["build", "native_options"]


_EXAMPLES = {"methods": "['GET', 'POST']", "expose_headers": "['X-Total']"}
_FLAGS = (
    "supports_credentials",
    "send_wildcard",
    "automatic_options",
    "vary_header",
    "intercept_exceptions",
    "always_send",
    "allow_private_network",
)


def _flag(layered: Layered, name: str) -> bool:
    """A switch: True or False only (flask-cors's ``bool()`` reads the string 'false' as True)."""
    value = layered[name]
    if isinstance(value, bool):
        return value
    meant = meant_bool(value)
    raise CORSConfigError(
        layered.label(name),
        value,
        "must be True or False (flask-cors reads any non-empty string, 'false' too, as True)",
        example(layered, name, repr(meant)),
    )


def _names(layered: Layered, name: str, *, upper: bool) -> list[str] | str:
    """flask-cors's ``flexible_str``: a string as written, an iterable sorted."""
    value = layered[name]
    if isinstance(value, str):
        return value.upper() if upper else value
    if not isinstance(value, Iterable):
        raise CORSConfigError(
            layered.label(name), value, "must be a string or a list of strings", example(layered, name, _EXAMPLES[name])
        )
    items = sorted(str(item) for item in value)
    return [item.upper() for item in items] if upper else items


def _methods(layered: Layered, notices: Notices) -> list[str] | str:
    methods = _names(layered, "methods", upper=True)
    listed = [m.strip() for m in methods.split(",")] if isinstance(methods, str) else methods
    if "*" in listed:
        notices.add(
            "D8",
            layered.label("methods"),
            "'*' allows every method here (each preflight's method is echoed, validated); "
            "flask-cors's substring check let none through (flask-cors#199). To allow only some, list them: "
            + example(layered, "methods", repr(list(ALL_METHODS))),
        )
    return methods


def _allow_headers(layered: Layered) -> list[Any] | None:
    """flask-cors's ``allow_headers``: names (case-insensitive) and regexes (``re.match``, so a prefix).

    Given as patterns to the core, which then echoes the requested names that
    match, as sent, and nothing when none does, as flask-cors does.
    """
    label = layered.label("allow_headers")
    items = entries(layered["allow_headers"])
    if any(is_any(item) for item in items):
        return None  # the validated Access-Control-Request-Headers are echoed
    patterns: list[Any] = []
    for item in items:
        if isinstance(item, str) and not probably_regex(item):
            for name in (part.strip() for part in item.split(",")):
                if not is_token(name):
                    raise CORSConfigError(
                        label, name, "not a header name", example(layered, "allow_headers", "['Content-Type']")
                    )
                patterns.append(re.compile(re.escape(name), re.IGNORECASE))
            continue
        if isinstance(item, str):
            try:
                item = re.compile(item, re.IGNORECASE)  # as flask-cors compiles header strings
            except re.error as exc:
                raise CORSConfigError(
                    label,
                    item,
                    f"invalid regular expression ({exc})",
                    example(layered, "allow_headers", "['X-Company-.*']"),
                ) from None
        if not isinstance(item, re.Pattern) or not isinstance(item.pattern, str):
            raise CORSConfigError(
                label,
                item,
                "each header must be a string or a compiled re.Pattern",
                example(layered, "allow_headers", "['Content-Type']"),
            )
        try:
            patterns.append(guard_regex(prefix_match(item), label, HEADER_REGEX))
        except CORSConfigError as exc:
            fix = "list the names, or a pattern such as " + example(layered, "allow_headers", "['X-Company-.*']")
            raise CORSConfigError(label, item.pattern, exc.problem, fix) from None
    return patterns


def _expose_headers(layered: Layered, notices: Notices, credentials: bool) -> list[str] | str | None:
    if layered["expose_headers"] is None:
        return None
    names = _names(layered, "expose_headers", upper=False)
    if credentials and (names == "*" or names == ["*"]):
        notices.add(
            "D13",
            layered.label("expose_headers"),
            "'*' with supports_credentials=True exposes the response's own header names here "
            "(a browser reads a literal '*' as a header name on credentialed requests, so flask-cors exposed "
            "none); to expose only some, list them: " + example(layered, "expose_headers", "['X-Total']"),
        )
    return names


def _max_age(layered: Layered) -> int | None:
    value: Any = layered["max_age"]
    label = layered.label("max_age")
    if isinstance(value, timedelta):
        value = int(value.total_seconds())
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    elif value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise CORSConfigError(
            label, value, "must be seconds: an int, a numeric string or a timedelta", example(layered, "max_age", "600")
        )
    return value if value is None else int(value)


def _switches(layered: Layered, notices: Notices) -> None:
    if layered.given("intercept_exceptions") and not layered["intercept_exceptions"]:
        notices.add(
            "ignored",
            layered.label("intercept_exceptions"),
            "False has no effect: error responses get CORS headers (as in flask-cors on Flask >= 1.1)",
        )


def native_options(layered: Layered, notices: Notices, *, decorator: bool = False) -> dict[str, Any]:
    """The core's options for one effective flask-cors configuration (``routes`` left out)."""
    flags = {name: _flag(layered, name) for name in _FLAGS}
    credentials = flags["supports_credentials"]
    _switches(layered, notices)
    return {
        "origins": translate_origins(layered, notices),
        "methods": _methods(layered, notices),
        "headers": _allow_headers(layered),
        "exposed_headers": _expose_headers(layered, notices, credentials),
        "credentials": credentials,
        "max_age": _max_age(layered),
        "private_network": flags["allow_private_network"],
        # automatic_options=False hands the view's OPTIONS requests to Flask or the view (decorator only).
        "preflight_continue": decorator and not flags["automatic_options"],
        "allow_origin_absent": flags["always_send"],
        "preflight_status": 200,
    }


def build(native: dict[str, Any], layered: Layered, where: str = "", notices: Notices | None = None) -> Policy:
    """``Policy(**native)``; a refusal names the flask-cors option as the user wrote it, with the fix in
    flask-cors's vocabulary, and so does each warning of the core (a notice, when ``notices`` is given)."""
    context = f" (in {where})" if where else ""
    if native["credentials"] and native["origins"] == ["*"]:
        origins = (
            f"{layered.label('origins')}={layered['origins']!r}"
            if layered.given("origins")
            else "origins left at flask-cors's default '*'"
        )
        raise CORSConfigError(
            layered.label("supports_credentials"),
            True,
            f"with {origins}, every site could read responses made with the user's cookies "
            "(flask-cors echoes any Origin here; corsgate refuses)" + context,
            "list the trusted origins: " + example(layered, "origins", "['https://app.example.com']"),
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CORSConfigWarning)
        try:
            policy = Policy(**native)
        except CORSConfigError as exc:
            raise translate_error(exc, layered, context) from None
    for item in caught:
        if issubclass(item.category, CORSConfigWarning):
            option, text = translate_warning(str(item.message), layered)
            if notices is not None:
                notices.add("engine", option, text + context)
            else:
                warnings.warn(f"flask_ext.compat [engine] {option}: {text}{context}", CORSConfigWarning, stacklevel=2)
    return policy
