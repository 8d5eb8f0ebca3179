"""``CORS(app_or_blueprint, **flask_cors_options)``: flask-cors 6's extension, on flask_ext's door.

Each resource becomes one route of the core (``resources.py``) whose options are
that resource's effective flask-cors options (resource > keyword > app.config >
defaults), translated (``translate.py``); every route is judged on its own, so
keyword options are only the defaults of each resource, as in flask-cors.
Calling ``CORS(app, ...)`` again stacks: the later call's routes come first, so
it wins where paths overlap. The result is handed to ``flask_ext.CORS``, whose
door answers every request; nothing here looks at a request.
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask

import flask_ext
from flask_ext.door import door_of
from wsgicors import CORSConfigWarning, Policy

from .config import with_config
from .names import EXTENSION_OPTIONS, Layered, known
from .notices import Notices
from .resources import parse_resources
from .translate import build, native_options

if TYPE_CHECKING:
    from flask.blueprints import BlueprintSetupState

__all__ = ["CORS", "STATE_KEY"]

#: ``app.extensions[STATE_KEY]``: the routes of each ``CORS(app, ...)`` call, oldest first.
STATE_KEY = "corsgate.compat"
# Routes that cover every path: flask-cors's default r'/*', '*' and '.*'.
_EVERYTHING = frozenset({"(?:/*)(?s:.*)", "(?:.*)(?s:.*)"})
# The core's own defaults, given explicitly so that nothing else (app.config) fills them in.
_NATIVE_DEFAULTS = {name: value for name, value in Policy().options.items() if name != "routes"}
_BLUEPRINT_CALLS: weakref.WeakKeyDictionary[Blueprint, list[list[dict[str, Any]]]] = weakref.WeakKeyDictionary()


def _resource_label(where: str) -> Callable[[str], str]:
    return lambda name: f"{where}[{name!r}]"


def _routes(merged: Layered, notices: Notices) -> list[dict[str, Any]]:
    """One route per resource, in flask-cors's order, each validated on its own."""
    routes = []
    for where, path, options in parse_resources(merged["resources"], merged.label("resources")):
        label = _resource_label(where)
        own = known(options, EXTENSION_OPTIONS, label)
        for name in ("resources", "intercept_exceptions"):
            if name in own:
                notices.add("ignored", label(name), "has no effect inside a resource (as in flask-cors)")
                del own[name]
        layered = merged.over(own, label)
        native = native_options(layered, notices)
        build(native, layered, where if merged.given("resources") else "", notices)
        routes.append({"paths": [path], **native})
    return routes


def _combined(calls: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """The native options for stacked calls: the latest call's routes first."""
    routes = [route for call in reversed(calls) for route in call]
    for index, route in enumerate(routes):
        if route["paths"][0].pattern in _EVERYTHING:
            routes = routes[: index + 1]  # nothing after a catch-all is ever reached
            break
    if len(routes) == 1 and routes[0]["paths"][0].pattern in _EVERYTHING:
        return {key: value for key, value in routes[0].items() if key != "paths"}
    return {**_NATIVE_DEFAULTS, "routes": routes}


def _install_door(state: BlueprintSetupState) -> None:
    """Recorded before flask_ext's own callback: the app's door must not read its CORS_* keys."""
    if isinstance(state.app, Flask):
        door_of(state.app, read_config=False)


class CORS:
    """flask-cors's ``CORS``: ``CORS(app, **options)`` or ``CORS(**options).init_app(app, **more)``.

    ``app`` may be a Flask app or a Blueprint. Options are flask-cors 6's
    (``resources``, ``origins``, ``methods``, ``allow_headers``, ``expose_headers``,
    ``supports_credentials``, ``max_age``, ``send_wildcard``, ``vary_header``,
    ``always_send``, ``automatic_options``, ``intercept_exceptions``,
    ``allow_private_network``), and for an app also its ``CORS_*`` config keys.
    Refusals raise :class:`wsgicors.CORSConfigError` here; behaviour changes are
    announced here by a :class:`wsgicors.CORSConfigWarning`.
    """

    def __init__(self, app: Flask | Blueprint | None = None, **kwargs: Any) -> None:
        self._options = kwargs
        if app is not None:
            self.init_app(app, **kwargs)

    def init_app(self, app: Flask | Blueprint, **kwargs: Any) -> None:
        """Translate, validate and install now (flask-cors merges the constructor's and these options)."""
        notices = Notices()
        try:
            keywords = known({**self._options, **kwargs}, EXTENSION_OPTIONS, str)
            config = app.config if isinstance(app, Flask) else None
            merged = with_config(Layered.defaults(), config, notices).over(keywords)
            routes = _routes(merged, notices)
            if isinstance(app, Flask):
                door_of(app, read_config=False)  # its CORS_* keys are flask-cors's, read above
                calls = app.extensions.setdefault(STATE_KEY, [])
            else:
                calls = _BLUEPRINT_CALLS.setdefault(app, [])
                app.record(_install_door)
            calls.append(routes)
            with warnings.catch_warnings():  # each route's were announced above, in flask-cors's words
                warnings.simplefilter("ignore", CORSConfigWarning)
                flask_ext.CORS(app, **_combined(calls))
        finally:
            notices.emit()
