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
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from wsgicors import CORSConfigError, Policy

from .names import PEER_BY_NATIVE, Layered
from .notices import Notices
from .origins import translate_origins
from .patterns import entries, is_any, probably_regex

__all__ = ["build", "native_options"]


def _names(layered: Layered, name: str, *, upper: bool) -> list[str] | str:
    """flask-cors's ``flexible_str``: a string as written, an iterable sorted."""
    value = layered[name]
    if isinstance(value, str):
        return value.upper() if upper else value
    if not isinstance(value, Iterable):
        raise CORSConfigError(layered.label(name), value, "must be a string or a list of strings", f"{name}=['...']")
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
            "flask-cors's substring check let none through (flask-cors#199)",
        )
    return methods


def _allow_headers(layered: Layered, notices: Notices) -> list[str] | None:
    label = layered.label("allow_headers")
    items = entries(layered["allow_headers"])
    if any(is_any(item) for item in items):
        return None  # the validated Access-Control-Request-Headers are echoed
    names: list[str] = []
    for item in items:
        if isinstance(item, re.Pattern) or (isinstance(item, str) and probably_regex(item)):
            shown = item.pattern if isinstance(item, re.Pattern) else item
            raise CORSConfigError(
                label,
                shown,
                "header patterns are not supported: header names are matched as names",
                "list the names, allow_headers=['X-Company-Id'] (flask_ext.compat) or "
                "headers=['X-Company-Id'] (flask_ext); or allow any header with allow_headers='*' "
                "(flask_ext.compat) or headers=None (flask_ext)",
            )
        if not isinstance(item, str):
            raise CORSConfigError(label, item, "each header must be a string", "allow_headers=['Content-Type']")
        names.extend(part.strip() for part in item.split(",") if part.strip())
    notices.add(
        "D6",
        label,
        "the listed names are sent as Access-Control-Allow-Headers on every allowed preflight "
        "(flask-cors echoed only the requested ones that matched); browsers allow the same requests",
    )
    return names


def _expose_headers(layered: Layered, notices: Notices, credentials: bool) -> list[str] | str | None:
    if layered["expose_headers"] is None:
        return None
    names = _names(layered, "expose_headers", upper=False)
    if credentials and (names == "*" or names == ["*"]):
        notices.add(
            "D13",
            layered.label("expose_headers"),
            "'*' with supports_credentials=True exposes the response's own header names here "
            "(a browser reads a literal '*' as a header name on credentialed requests)",
        )
    return names


def _max_age(layered: Layered, notices: Notices) -> int | None:
    value: Any = layered["max_age"]
    label = layered.label("max_age")
    if isinstance(value, timedelta):
        value = int(value.total_seconds())
    elif isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    elif value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise CORSConfigError(label, value, "must be seconds: an int, a numeric string or a timedelta", "max_age=600")
    if value == 0:
        notices.add(
            "D14",
            label,
            "0 sends 'Access-Control-Max-Age: 0' (no caching); flask-cors left the header out, "
            "so browsers cached preflights for their default 5 seconds",
        )
    return value if value is None else int(value)


def _switches(layered: Layered, notices: Notices) -> None:
    if layered.given("vary_header") and not layered["vary_header"]:
        notices.add(
            "D5",
            layered.label("vary_header"),
            "False is not honoured: 'Vary: Origin' is sent wherever the answer depends on the Origin",
        )
    if layered.given("intercept_exceptions") and not layered["intercept_exceptions"]:
        notices.add(
            "ignored",
            layered.label("intercept_exceptions"),
            "False has no effect: error responses get CORS headers (as in flask-cors on Flask >= 1.1)",
        )
    if layered["allow_private_network"]:
        notices.add(
            "D7",
            layered.label("allow_private_network"),
            "'Access-Control-Allow-Private-Network: true' is sent on preflights that ask for it, "
            "not on other responses, and 'false' is never sent",
        )


def native_options(layered: Layered, notices: Notices, *, decorator: bool = False) -> dict[str, Any]:
    """The core's options for one effective flask-cors configuration (``routes`` left out)."""
    credentials = bool(layered["supports_credentials"])
    _switches(layered, notices)
    return {
        "origins": translate_origins(layered, notices),
        "methods": _methods(layered, notices),
        "headers": _allow_headers(layered, notices),
        "exposed_headers": _expose_headers(layered, notices, credentials),
        "credentials": credentials,
        "max_age": _max_age(layered, notices),
        "private_network": bool(layered["allow_private_network"]),
        # automatic_options=False hands the view's OPTIONS requests to Flask or the view (decorator only).
        "preflight_continue": decorator and not layered["automatic_options"],
        "allow_origin_absent": bool(layered["always_send"]),
        "preflight_status": 200,
    }


def build(native: dict[str, Any], layered: Layered, where: str = "") -> Policy:
    """``Policy(**native)``; a refusal names the flask-cors option as the user wrote it."""
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
            "list the trusted origins: origins=['https://app.example.com'], supports_credentials=True "
            "(flask_ext.compat), or origins=['https://app.example.com'], credentials=True (flask_ext)",
        )
    try:
        return Policy(**native)
    except CORSConfigError as exc:
        root = re.split(r"[\[.]", exc.option, maxsplit=1)[0]
        peer = PEER_BY_NATIVE.get(root, root)
        label = layered.label(peer) if peer in layered.values else exc.option
        fix = exc.fix + (f" (flask_ext calls this option {root!r})" if root != peer else "")
        raise CORSConfigError(label, exc.value, exc.problem + context, fix) from None
