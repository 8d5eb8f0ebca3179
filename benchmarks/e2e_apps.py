"""WSGI apps for gunicorn: ``gunicorn 'benchmarks.e2e_apps:app("wsgi", "ours", "exact3")'``."""

from __future__ import annotations

from .common import POLICY_BY_KEY, WSGIApp


def app(framework: str, variant: str, policy_key: str = "exact3") -> WSGIApp:
    policy = POLICY_BY_KEY[policy_key]
    if framework == "wsgi":
        from .wsgi_apps import empty, variants

        return empty if variant == "empty_body" else variants(policy)[variant]
    if framework == "flask":
        from . import flask_apps

        if variant == "bare":
            wsgi: WSGIApp = flask_apps.make_app()
            return wsgi
        return flask_apps.ours(policy) if variant == "ours" else flask_apps.flask_cors(policy)
    if framework == "django":
        from .django_site import MIDDLEWARES, configure, handler

        configure(policy)
        return handler(MIDDLEWARES[variant])
    raise ValueError(f"unknown framework {framework!r}")
