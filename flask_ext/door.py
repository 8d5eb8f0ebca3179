"""The Flask door: the WSGI wrapper installed as ``app.wsgi_app``, and the app's CORS state.

It holds the app-wide policy and the blueprints' and views' policies, builds
the per-endpoint table of core ``CORSMiddleware`` doors, and dispatches each
request to its endpoint's door (resolved with Flask's own URL map, only when
such policies exist).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from flask import Flask

from wsgicors import CORSMiddleware, Policy
from wsgicors.routes import routing_method

from .config import EXTENSION_KEY, VIEW_ATTRIBUTE, Layer, build_policy, config_options

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from werkzeug.routing import MapAdapter

__all__ = ["FlaskDoor", "door_of"]


class FlaskDoor:
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

    def __init__(self, app: Flask, wsgi_app: WSGIApplication, *, read_config: bool = True) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        #: False: ``app.config`` is not read (see :func:`door_of`).
        self.read_config = read_config
        options, sources = config_options(app) if read_config else ({}, {})
        self.base = Layer(options, sources.__getitem__)
        self.policy: Policy | None = None
        self.blueprints: dict[str, Layer] = {}
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
        config, sources = config_options(self.app) if self.read_config else ({}, {})
        sources = {name: key for name, key in sources.items() if name not in options}
        base = Layer({**config, **options}, lambda name: sources.get(name, name))
        policy = build_policy(base.options, base.sources)
        self.base = base
        self.policy = policy
        self._rebuild_blueprints()
        if self.app.wsgi_app is self._handler and self._handler is not self.wsgi_app:
            self.app.wsgi_app = self  # type: ignore[method-assign]  # re-configured after stepping aside

    def add_blueprint(self, prefix: str, layer: Layer) -> None:
        self.blueprints[prefix] = layer
        self._rebuild_blueprints()

    def _rebuild_blueprints(self) -> None:
        self._bp_policies = {
            prefix: self._policy(layer, context=f"the policy of blueprint {prefix!r}")
            for prefix, layer in self.blueprints.items()
        }
        self._key = -1

    def _policy(self, *layers: Layer, context: str) -> Policy:
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
        return build_policy(options, sources, context)

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
                if callable(view_options):  # options that depend on the app (flask_ext.compat)
                    view_options = view_options(self.app)
                if view_options is not None:
                    layers = [self.blueprints[prefix]] if prefix is not None else []
                    layers.append(Layer(view_options))
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


def door_of(app: Flask, *, read_config: bool = True) -> FlaskDoor:
    """The app's door, installed around ``app.wsgi_app`` on first use.

    ``read_config=False`` (flask_ext.compat's hook) installs a door that never
    reads ``app.config``: there the ``CORS_*`` keys are flask-cors's, translated
    and passed as options. Only the call that installs the door decides.
    """
    door = app.extensions.get(EXTENSION_KEY)
    if not isinstance(door, FlaskDoor):
        door = FlaskDoor(app, app.wsgi_app, read_config=read_config)
        app.wsgi_app = door  # type: ignore[method-assign]
        app.extensions[EXTENSION_KEY] = door
    return door
