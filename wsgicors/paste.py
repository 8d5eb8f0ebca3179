"""PasteDeploy's filter for the WSGI door: ``[filter:cors]`` with ``use = egg:corsgate#cors``.

Options are this library's (``origins``, ``methods``, ``headers``, ...), written
as the strings an ``.ini`` file holds: lists split on whitespace or commas (a
``~regex`` entry on whitespace only, so it may hold ``{1,3}``), switches read
by PasteDeploy's own ``asbool`` (``true``/``false``, ``yes``/``no``, ``on``/``off``,
``1``/``0``; anything else is refused, never read as false), numbers as whole
numbers. ``origins`` is required (wsgicors 0.7 denied everything without a
policy). Every option is validated when the file is loaded: an unknown key (a
typo, or a wsgicors 0.7 key such as ``origin`` or ``free_origin``) is a
:class:`CORSConfigError` naming the key meant, and no mistake falls back to a
default. ``routes`` cannot be written here; build the middleware in Python for them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from typing import Any

from .compat_fix import translate_fix
from .errors import CORSConfigError
from .middleware import CORSMiddleware
from .policy import Policy

__all__ = ["filter_factory"]

_LISTS = ("origins", "methods", "headers", "exposed_headers")
_SWITCHES = ("credentials", "private_network", "preflight_continue", "allow_origin_absent")
_NUMBERS = ("max_age", "preflight_status")
_KEYS = (*_LISTS, *_SWITCHES, *_NUMBERS)
#: wsgicors 0.7's keys (``egg:wsgicors#middleware``) -> ours.
_WSGICORS07 = {"origin": "origins", "maxage": "max_age", "expose_headers": "exposed_headers"}
_WSGICORS07_POLICY = re.compile(r"[A-Za-z0-9]+_(origin|methods|headers|expose_headers|credentials|maxage)")

Filter = Callable[[Any], CORSMiddleware]


def _hint(key: str) -> str:
    if key in ("policy", "matchstrategy"):
        return (
            f"{key!r} is wsgicors 0.7's: one [filter:cors] section is one policy here (write its keys "
            "without a policy prefix: origins = ..., methods = ...); for several, build "
            "CORSMiddleware(app, routes=[...]) in Python"
        )
    if key == "routes":
        return "routes cannot be written in an .ini file: build CORSMiddleware(app, routes=[...]) in Python"
    if key in _WSGICORS07:
        return f"{key!r} is wsgicors 0.7's key: write {_WSGICORS07[key]} = ..."
    prefixed = _WSGICORS07_POLICY.fullmatch(key)
    if prefixed is not None:
        ours = _WSGICORS07.get(prefixed[1], prefixed[1])
        return f"{key!r} is a wsgicors 0.7 policy key: write {ours} = ... (one policy per [filter:cors] section)"
    match = difflib.get_close_matches(key, _KEYS, n=1)
    return f"did you mean {match[0]} = ...?" if match else "valid keys: " + ", ".join(_KEYS)


def _list(key: str, text: str) -> list[str]:
    entries: list[str] = []
    for word in text.split():
        entries.extend([word] if word.startswith("~") else [part for part in word.split(",") if part])
    if not entries:
        raise CORSConfigError(
            key, text, "an empty list", f"{key} = " + ("*" if key != "exposed_headers" else "X-Total")
        )
    return entries


def _number(key: str, text: str) -> int:
    value = text.strip()
    if not (value.isascii() and value.isdigit()):
        raise CORSConfigError(key, text, "must be a whole number", f"{key} = " + ("600" if key == "max_age" else "204"))
    return int(value)


def _switch(key: str, text: str) -> bool:
    # Imported here: the core imports nothing outside the standard library until PasteDeploy loads this filter.
    from paste.deploy.converters import asbool  # type: ignore[import-untyped]

    try:
        return bool(asbool(text))
    except ValueError:
        raise CORSConfigError(
            key, text, "PasteDeploy reads only true/false, yes/no, on/off, 1/0 here", f"{key} = false"
        ) from None


def _ini(value: object) -> str:
    """A keyword example's value as an .ini line writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return " ".join(str(item) for item in value)
    return str(value)


def options_from_ini(local_conf: Mapping[str, str]) -> dict[str, Any]:
    """The keyword options of a ``[filter:cors]`` section's strings; errors name the key as written."""
    options: dict[str, Any] = {}
    for key, text in local_conf.items():
        if key not in _KEYS:
            raise CORSConfigError(key, text, "unknown key in [filter:cors]", _hint(key))
        if not isinstance(text, str):  # set from Python (loadapp's global_conf): taken as given
            options[key] = text
        elif key in _LISTS:
            options[key] = _list(key, text)
        elif key in _SWITCHES:
            options[key] = _switch(key, text)
        else:
            options[key] = _number(key, text)
    if "origins" not in options:
        raise CORSConfigError(
            "origins",
            None,
            "[filter:cors] needs origins: wsgicors 0.7 denied every origin without a policy, and an empty "
            "section must not allow every origin",
            "origins = https://app.example.com (or origins = * for every origin, without credentials)",
        )
    return options


def filter_factory(global_conf: Mapping[str, Any], **local_conf: str) -> Filter:
    """PasteDeploy's ``paste.filter_factory``: the section's options, validated now, wrapping each app.

    ``global_conf`` (the ``[DEFAULT]`` section) is not read: only this section's keys are options.
    """
    try:
        policy = Policy(**options_from_ini(local_conf))
    except CORSConfigError as exc:
        fix = translate_fix(exc.fix, lambda name, value: f"{name} = {_ini(value)}")
        raise CORSConfigError(exc.option, exc.value, exc.problem, fix) from None

    def make_filter(app: Any) -> CORSMiddleware:
        return CORSMiddleware(app, policy)

    return make_filter
