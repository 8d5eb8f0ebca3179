"""The browser scenarios through ``flask_ext.compat``: each scenario's policy written as flask-cors options.

``flask_cors_options`` rewrites a scenario's policy (the core's options, with
placeholders already filled in) the way a flask-cors user would write it:
``credentials`` as ``supports_credentials``, ``routes`` as ``resources``, a
``~regex`` as a plain regex string, the ``https://*.host`` wildcard as a regex.
Options flask-cors has no counterpart for (``preflight_status``,
``preflight_continue``, route ``hosts``/``match_methods``) make the scenario
inexpressible: :class:`NoCounterpart` says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from wsgicors import DEFAULT_METHODS

from .apps import DoorUnavailable, Seen, flask_app
from .peer_origins import origin_regex

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ["NoCounterpart", "build_flask_compat", "flask_cors_options"]

# The core's option -> flask-cors's.
_NAMES = {
    "origins": "origins",
    "methods": "methods",
    "headers": "allow_headers",
    "exposed_headers": "expose_headers",
    "credentials": "supports_credentials",
    "max_age": "max_age",
    "private_network": "allow_private_network",
    "allow_origin_absent": "always_send",
}


class NoCounterpart(Exception):
    """The scenario uses an option flask-cors cannot express."""


def _origin(entry: Any) -> Any:
    if not isinstance(entry, str) or entry in ("*", "null"):
        return entry
    if entry.startswith("~") or "://*." in entry:
        return origin_regex(entry)  # flask-cors takes a string with regex characters as a regex
    return entry


def _options(policy: Mapping[str, Any]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for name, value in policy.items():
        if name in ("preflight_status", "preflight_continue") and value not in (200, False):
            raise NoCounterpart(f"{name}={value!r} has no flask-cors option")
        if name == "routes":
            continue
        if name not in _NAMES:
            raise NoCounterpart(f"{name!r} has no flask-cors option")
        if name == "origins":
            value = [_origin(entry) for entry in value]
        elif name == "headers" and value is None:
            value = "*"
        options[_NAMES[name]] = value
    return options


def flask_cors_options(policy: Mapping[str, Any]) -> dict[str, Any]:
    """The scenario's policy as ``CORS(app, **options)`` keywords of flask-cors."""
    # flask-cors's own defaults differ from the core's: state the core's where the scenario relies on them.
    options = {"methods": list(DEFAULT_METHODS), "origins": ["*"], **_options(policy)}
    if options["origins"] == ["*"]:
        options["send_wildcard"] = True  # what '*' answers here; says so, so no warning
    routes = policy.get("routes")
    if routes is not None:
        resources: dict[str, Any] = {}
        for route in routes:
            if set(route) - {"paths", *_NAMES, "preflight_status", "preflight_continue"}:
                raise NoCounterpart(f"route keys {sorted(route)} have no flask-cors counterpart")
            own = _options({k: v for k, v in route.items() if k != "paths"})
            if own.get("origins") == ["*"]:
                own["send_wildcard"] = True
            for path in route["paths"]:
                resources[re.escape(path) + "/*"] = own
        options["resources"] = resources
    return options


@contextmanager
def build_flask_compat(options: Mapping[str, Any], seen: Seen) -> Iterator[WSGIApplication]:
    """The browser suite's Flask app with ``flask_ext.compat.CORS(app, **flask_cors_options)``."""
    try:
        from flask_ext.compat import CORS
    except ImportError as exc:
        raise DoorUnavailable(f"flask_ext.compat cannot be imported: {exc}") from exc
    app = flask_app(seen)
    CORS(app, **options)
    yield app
