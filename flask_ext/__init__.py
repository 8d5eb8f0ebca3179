"""Flask extension on the wsgicors core (see README, "Flask").

``CORS(app, **options)`` wraps ``app.wsgi_app`` with a thin WSGI door, so
preflights are answered before routing and before ``before_request`` hooks,
and every response Flask makes (views, aborts, routing 404/405, error
handlers, unhandled exceptions turned into 500s, streams, ``send_file``)
passes through the core's ``start_response`` wrapper. ``cross_origin`` and
``CORS(blueprint, ...)`` give views and blueprints their own policy; those
are resolved with Flask's own URL map, only when such policies exist.
"""

from __future__ import annotations

import difflib
import re
import threading
import warnings
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from flask import Blueprint, Flask

from wsgicors import OPTION_NAMES, CORSConfigError, CORSConfigWarning, CORSMiddleware, Policy, routing_method

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from flask.blueprints import BlueprintSetupState
    from werkzeug.routing import MapAdapter

__all__ = ["CONFIG_KEYS", "CORS", "CORSConfigError", "cross_origin"]

#: ``app.config`` key of each option: ``CORS_`` + the option's name in upper case.
CONFIG_KEYS: Mapping[str, str] = MappingProxyType({name: "CORS_" + name.upper() for name in OPTION_NAMES})
_OPTION_BY_KEY = {key: name for name, key in CONFIG_KEYS.items()}

#: Where per-app state lives: ``app.extensions[EXTENSION_KEY]``.
EXTENSION_KEY = "corsgate"
#: Attribute ``cross_origin`` sets on a view function: that view's option overrides.
VIEW_ATTRIBUTE = "_corsgate_options"

# flask-cors names with a different name (or no counterpart) here.
_FLASK_CORS_NAMES = {
    "supports_credentials": "use credentials",
    "allow_headers": "use headers",
    "expose_headers": "use exposed_headers",
    "resources": "use routes=[{'paths': [...], ...}] (first match wins, no regex guessing)",
    "always_send": "use allow_origin_absent",
    "allow_private_network": "use private_network",
    "automatic_options": "preflights are answered before routing; preflight_continue=True hands them on",
    "send_wildcard": "'*' is sent whenever origins is ['*'] (and never with credentials)",
    "vary_header": "Vary is always managed for you (Vary: Origin whenever the answer depends on it)",
    "intercept_exceptions": "every response gets the headers, error responses included",
}

_F = TypeVar("_F", bound=Callable[..., Any])


def _hint(name: str, choices: Iterable[str], flask_cors_name: str | None = None) -> str:
    if flask_cors_name is not None and flask_cors_name in _FLASK_CORS_NAMES:
        return f"{flask_cors_name!r} is flask-cors's option: {_FLASK_CORS_NAMES[flask_cors_name]}"
    match = difflib.get_close_matches(name, list(choices), n=1)
    return f"did you mean {match[0]!r}?" if match else "valid names: " + ", ".join(choices)


def _check_names(options: Mapping[str, Any], where: str) -> None:
    for name, value in options.items():
        if name not in OPTION_NAMES:
            raise CORSConfigError(name, value, f"unknown option ({where})", _hint(name, OPTION_NAMES, name))


def _config_options(app: Flask, *, warn: bool) -> tuple[dict[str, Any], dict[str, str]]:
    """Options from ``app.config`` (``CORS_*`` keys) and the key each came from.

    With ``warn``, unknown ``CORS_*`` keys get a :class:`CORSConfigWarning`
    naming the closest valid key.
    """
    options: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for key, value in app.config.items():
        if not key.startswith("CORS_"):
            continue
        name = _OPTION_BY_KEY.get(key)
        if name is None:
            if not warn:
                continue
            warnings.warn(
                f"app.config[{key!r}] is not a corsgate setting and is ignored: "
                + _hint(key, CONFIG_KEYS.values(), key[5:].lower()),
                CORSConfigWarning,
                stacklevel=5,
            )
            continue
        options[name] = value
        sources[name] = key
    return options, sources


def _build(options: Mapping[str, Any], sources: Mapping[str, str], context: str = "") -> Policy:
    """``Policy(**options)``; an error names where the bad option came from
    (``CORS_MAX_AGE`` for a config key) and, with ``context``, whose policy it is."""
    try:
        return Policy(**options)
    except CORSConfigError as exc:
        root = re.split(r"[\[.]", exc.option, maxsplit=1)[0]
        where = sources.get(root)
        if where is None and not context:
            raise
        option = exc.option if where is None else where + exc.option[len(root) :]
        problem = f"{exc.problem} (in {context})" if context else exc.problem
        raise CORSConfigError(option, exc.value, problem, exc.fix) from None


class _Layer:
    """Option overrides plus the label naming where each came from (for errors)."""

    __slots__ = ("options", "sources")

    def __init__(self, options: Mapping[str, Any], label: Callable[[str], str] = str) -> None:
        self.options = dict(options)
        self.sources = {name: label(name) for name in options}


class _FlaskDoor:
    """The WSGI wrapper installed as ``app.wsgi_app``; also the app's CORS state.

    ``policy`` is the app-wide policy (None: only blueprints and decorated
    views get CORS headers; other requests pass through untouched). The
    per-endpoint table is built on the first request and rebuilt only if views
    are added later, so nothing is shared mutably between requests.

    Once Flask has served a request its setup is frozen (``add_url_rule`` and
    ``register_blueprint`` refuse to run), so the table can no longer change:
    if nothing wrapped ``app.wsgi_app`` after us, the door then steps aside and
    installs the final handler (the core's ``CORSMiddleware``, or the routed
    one) as ``app.wsgi_app`` itself, leaving no extra call on the hot path.
    """

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        options, sources = _config_options(app, warn=True)
        self.base = _Layer(options, sources.__getitem__)
        self.policy: Policy | None = None
        self.blueprints: dict[str, _Layer] = {}
        self._bp_policies: dict[str, Policy] = {}
        self._lock = threading.Lock()
        self._handler: Callable[[WSGIEnvironment, StartResponse], Iterable[bytes]] = wsgi_app
        self._key = -1  # len(app.view_functions) the handler was built for
        self._default: WSGIApplication = wsgi_app
        self._table: Mapping[str, WSGIApplication] = {}
        self._adapter: MapAdapter | None = None

    # -- configuration (start-up time) --------------------------------------------

    def configure(self, options: Mapping[str, Any]) -> None:
        """App-wide options: ``app.config`` overridden by ``CORS(...)`` keyword arguments."""
        config, sources = _config_options(self.app, warn=False)
        sources = {name: key for name, key in sources.items() if name not in options}
        base = _Layer({**config, **options}, lambda name: sources.get(name, name))
        policy = _build(base.options, base.sources)
        self.base = base
        self.policy = policy
        self._rebuild_blueprints()
        if self.app.wsgi_app is self._handler and self._handler is not self.wsgi_app:
            self.app.wsgi_app = self  # type: ignore[method-assign]  # re-configured after stepping aside

    def add_blueprint(self, prefix: str, layer: _Layer) -> None:
        self.blueprints[prefix] = layer
        self._rebuild_blueprints()

    def _rebuild_blueprints(self) -> None:
        self._bp_policies = {
            prefix: self._policy(layer, context=f"the policy of blueprint {prefix!r}")
            for prefix, layer in self.blueprints.items()
        }
        self._key = -1

    def _policy(self, *layers: _Layer, context: str) -> Policy:
        # A blueprint's or a view's policy is its own scope: it starts from the
        # app-wide options without their routes.
        options: dict[str, Any] = {**self.base.options, "routes": None}
        sources: dict[str, str] = dict(self.base.sources)
        for layer in layers:
            options.update(layer.options)
            sources.update(layer.sources)
        if self.policy is not None and self.base.options.get("routes") is None:
            if options == {**self.base.options, "routes": None}:
                return self.policy  # nothing overridden: share the app's policy
        return _build(options, sources, context)

    def _blueprint_of(self, endpoint: str) -> str | None:
        best: str | None = None
        for prefix in self.blueprints:
            if endpoint.startswith(prefix + ".") and (best is None or len(prefix) > len(best)):
                best = prefix
        return best

    def _rebuild(self) -> None:
        """The handler for the current views: plain middleware, or routed by endpoint."""
        with self._lock:
            key = len(self.app.view_functions)
            default: WSGIApplication = (
                self.wsgi_app if self.policy is None else CORSMiddleware(self.wsgi_app, policy=self.policy)
            )
            doors: dict[int, WSGIApplication] = {}
            if self.policy is not None:
                doors[id(self.policy)] = default
            table: dict[str, WSGIApplication] = {}
            for endpoint, view in self.app.view_functions.items():
                prefix = self._blueprint_of(endpoint)
                view_options = getattr(view, VIEW_ATTRIBUTE, None)
                if view_options is not None:
                    layers = [self.blueprints[prefix]] if prefix is not None else []
                    layers.append(_Layer(view_options))
                    policy = self._policy(*layers, context=f"the policy of view {endpoint!r}")
                elif prefix is not None:
                    policy = self._bp_policies[prefix]
                else:
                    continue
                door = doors.get(id(policy))
                if door is None:
                    door = doors[id(policy)] = CORSMiddleware(self.wsgi_app, policy=policy)
                if door is not default:
                    table[endpoint] = door
            self._default = default
            self._table = MappingProxyType(table)
            self._adapter = None
            url_map = self.app.url_map
            if table and not url_map.host_matching and not self.app.subdomain_matching:
                # Only the path decides: bind once, match per request without
                # building a Request (as create_url_adapter does in this case).
                self._adapter = url_map.bind("localhost", subdomain=url_map.default_subdomain or "")
            self._handler = self._routed if table else default
            self._key = key

    def validate(self) -> None:
        """Build every policy now, so a bad option fails at start-up."""
        self._rebuild()

    # -- requests ------------------------------------------------------------------

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        app = self.app
        if self._key != len(app.view_functions):
            self._rebuild()
        handler = self._handler
        frozen = getattr(app, "_got_first_request", False)
        if frozen and handler is not self.wsgi_app and app.wsgi_app is self:
            app.wsgi_app = handler  # type: ignore[method-assign,assignment]  # setup frozen: step aside
        return handler(environ, start_response)

    def _routed(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return self._table.get(self._endpoint(environ), self._default)(environ, start_response)

    def _endpoint(self, environ: WSGIEnvironment) -> str:
        """The endpoint that will serve this request ('' if none), as Flask routes it.

        A preflight is routed by the method it asks for, so it gets the policy
        of the view that serves the actual request.
        """
        try:
            adapter = self._adapter
            if adapter is not None:
                path: str = environ.get("PATH_INFO") or "/"
                if not path.isascii():  # PEP 3333: bytes as latin-1; Werkzeug routes the UTF-8 text
                    path = path.encode("latin-1").decode("utf-8", "replace")
                endpoint, _ = adapter.match(path, routing_method(environ))
            else:
                app = self.app
                adapter = app.create_url_adapter(app.request_class(environ))
                if adapter is None:  # pragma: no cover - only without a request
                    return ""
                endpoint, _ = adapter.match(method=routing_method(environ))
        except Exception:  # 404, 405, redirects, bad hosts: Flask answers them; the app policy applies
            return ""
        return endpoint if isinstance(endpoint, str) else ""


def _door(app: Flask) -> _FlaskDoor:
    """The app's door, installed around ``app.wsgi_app`` on first use."""
    door = app.extensions.get(EXTENSION_KEY)
    if not isinstance(door, _FlaskDoor):
        door = _FlaskDoor(app, app.wsgi_app)
        app.wsgi_app = door  # type: ignore[method-assign]
        app.extensions[EXTENSION_KEY] = door
    return door


class CORS:
    """CORS for a Flask app or blueprint: ``CORS(app, **options)`` or ``CORS(**options).init_app(app)``.

    Options are the core's (``wsgicors.OPTION_NAMES``). For an app, each can
    also come from ``app.config['CORS_<OPTION>']``; keyword arguments win.
    For a blueprint, the options override the app's for that blueprint's
    views (register the blueprint after ``CORS(blueprint, ...)``). One object
    may serve several apps; each app keeps its own state in
    ``app.extensions['corsgate']``.
    """

    def __init__(self, app: Flask | Blueprint | None = None, **options: Any) -> None:
        _check_names(options, "CORS(...)")
        self.options: Mapping[str, Any] = MappingProxyType(dict(options))
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask | Blueprint) -> None:
        """Install on ``app`` (validating every option now), or record on a blueprint."""
        if isinstance(app, Blueprint):
            app.record(self._register_blueprint)
            return
        door = _door(app)
        door.configure(self.options)
        door.validate()

    def _register_blueprint(self, state: BlueprintSetupState) -> None:
        prefix = f"{state.name_prefix}.{state.name}".lstrip(".")
        app = state.app
        if not isinstance(app, Flask):  # pragma: no cover - Flask always passes itself
            raise TypeError(f"CORS on a blueprint needs a Flask app, got {app!r}")
        door = _door(app)
        door.add_blueprint(prefix, _Layer(self.options))
        door.validate()


def cross_origin(**options: Any) -> Callable[[_F], _F]:
    """Give one view its own policy: the app's options overridden by ``options``.

    The view is returned unchanged (only marked), so it costs nothing per
    request and the decorator may sit above or below ``@app.route``. The app
    (or the view's blueprint) needs ``CORS(...)`` for the mark to take effect.
    """
    _check_names(options, "cross_origin(...)")
    frozen = MappingProxyType(dict(options))

    def mark(view: _F) -> _F:
        setattr(view, VIEW_ATTRIBUTE, frozen)
        return view

    return mark
