"""``cross_origin(**flask_cors_options)``: flask-cors 6's decorator, on an app with or without ``CORS(app)``.

The view's policy is flask-cors's: its defaults, the app's ``CORS_*`` keys and
the decorator's options (not the keywords of ``CORS(app, ...)``), validated when
the decorator runs, so a refused option fails at import. As in flask-cors, the
view also takes Flask's automatic ``OPTIONS`` answer over (unless
``automatic_options=False``), and HEAD reaches it through GET.

Who writes the headers: when flask_ext's door is on the app (``CORS(app)`` or a
``CORS(blueprint)``, compat or native), the door does, with this view's policy
(marked on the function); otherwise the view does it itself, asking the same
engine (``wsgicors.evaluate``) and writing with the same helper
(``wsgicors.headers.apply_headers``): a preflight is answered there, and every response
the view makes (its return value, an ``abort()`` turned into a response by an
error handler, the automatic OPTIONS answer) gets the decision's headers.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Mapping
from functools import update_wrapper
from typing import Any, TypeVar

from flask import Flask, Response, current_app, request
from werkzeug.datastructures import Headers

import flask_ext
from wsgicors import Policy, evaluate
from wsgicors.headers import apply_headers

from .config import with_config
from .names import DECORATOR_OPTIONS, Layered, known
from .notices import Notices
from .translate import build, native_options

__all__ = ["cross_origin"]

F = TypeVar("F", bound=Callable[..., Any])
_IGNORED_HERE = ("resources", "intercept_exceptions")


class _ViewPolicy:
    """One decorator's options, and the policy they give in each app (with its ``CORS_*`` keys)."""

    __slots__ = ("by_app", "lock", "native", "options", "policy")

    def __init__(self, options: Mapping[str, Any], notices: Notices) -> None:
        self.options = dict(options)
        layered = Layered.defaults().over(self.options)
        self.native = native_options(layered, notices, decorator=True)
        self.policy = build(self.native, layered, "cross_origin(...)", notices)
        self.by_app: weakref.WeakKeyDictionary[Flask, tuple[dict[str, Any], Policy]] = weakref.WeakKeyDictionary()
        self.lock = threading.Lock()

    def for_app(self, app: Flask) -> tuple[dict[str, Any], Policy]:
        """The native options and policy of this view in ``app`` (its ``CORS_*`` keys included).

        Built once per app, on the view's first request (a decorator sees no app
        before), from ``app.config`` as it is then.
        """
        found = self.by_app.get(app)
        if found is not None:
            return found
        with self.lock:
            return self.by_app.get(app) or self._build_for(app)

    def _build_for(self, app: Flask) -> tuple[dict[str, Any], Policy]:
        found = (self.native, self.policy)
        if any(isinstance(key, str) and key.startswith("CORS_") for key in app.config):
            notices = Notices()
            try:
                layered = with_config(Layered.defaults(), app.config, notices).over(self.options)
                native = native_options(layered, notices, decorator=True)
                found = (native, build(native, layered, "cross_origin(...)", notices))
            finally:
                notices.emit()
        self.by_app[app] = found
        return found


def _answer(app: Flask, view: Callable[..., Any], automatic: bool, args: Any, kwargs: Any) -> Response:
    """What the view (or, for OPTIONS, Flask's automatic answer) makes of this request."""
    if automatic and request.method == "OPTIONS":
        return app.make_default_options_response()
    try:
        return app.make_response(view(*args, **kwargs))
    except Exception as exc:  # an abort() or an error with a handler: still this view's response
        return app.make_response(app.handle_user_exception(exc))


def cross_origin(*args: Any, **kwargs: Any) -> Callable[[F], F]:
    """flask-cors's ``cross_origin``: give one view its own CORS policy (see the module docstring)."""
    notices = Notices()
    try:
        options = known(kwargs, (*DECORATOR_OPTIONS, *_IGNORED_HERE), "cross_origin: {}".format)
        for name in _IGNORED_HERE:
            if name in options:
                notices.add("ignored", f"cross_origin: {name}", "has no effect on a decorator (as in flask-cors)")
                del options[name]
        if args and not (len(args) == 1 and callable(args[0])):
            notices.add("ignored", "cross_origin", f"positional arguments {args!r} are ignored (as in flask-cors)")
        spec = _ViewPolicy(options, notices)
    finally:
        notices.emit()
    automatic = bool(options.get("automatic_options", True))

    def decorator(view: F) -> F:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
            if flask_ext.EXTENSION_KEY in app.extensions:  # the door writes the headers
                return _answer(app, view, automatic, args, kwargs)
            policy = spec.for_app(app)[1]
            decision = evaluate(policy, request.environ)
            if decision.respond:  # a preflight, answered here
                response = app.response_class(status=decision.status)
                response.headers = Headers(list(decision.extra))
                return response
            response = _answer(app, view, automatic, args, kwargs)
            if decision.touches_response:
                response.headers = Headers(apply_headers(decision, response.headers.to_wsgi_list()))
            return response

        update_wrapper(wrapped, view)
        if automatic:
            # As flask-cors: the view, not Flask's routing, answers OPTIONS.
            wrapped.required_methods = {*getattr(view, "required_methods", ()), "OPTIONS"}  # type: ignore[attr-defined]
            wrapped.provide_automatic_options = False  # type: ignore[attr-defined]
        # flask_ext's door asks for the view's options in each app (the hook for CORS_* keys).
        setattr(wrapped, flask_ext.VIEW_ATTRIBUTE, lambda app: spec.for_app(app)[0])
        return wrapped  # type: ignore[return-value]

    if len(args) == 1 and callable(args[0]) and not kwargs:  # @cross_origin without parentheses
        return decorator(args[0])  # type: ignore[no-any-return]
    return decorator
