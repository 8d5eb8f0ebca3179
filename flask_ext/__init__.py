"""Flask extension on the wsgicors core (docs: flask.md).

``CORS(app, **options)`` wraps ``app.wsgi_app`` with a thin WSGI door, so
preflights are answered before routing and before ``before_request`` hooks,
and every response Flask makes (views, aborts, routing 404/405, error
handlers, unhandled exceptions turned into 500s, streams, ``send_file``)
passes through the core's ``start_response`` wrapper. ``cross_origin`` and
``CORS(blueprint, ...)`` give views and blueprints their own policy; those
are resolved with Flask's own URL map, only when such policies exist.

Modules, one job each: ``config`` (``CORS_*`` keys, option names, building a
policy with errors that say where an option came from), ``door`` (the WSGI
wrapper and per-endpoint dispatch), ``extension`` (the ``CORS`` class),
``decorators`` (``cross_origin``).
"""

from __future__ import annotations

from wsgicors import CORSConfigError

from .config import CONFIG_KEYS, EXTENSION_KEY, VIEW_ATTRIBUTE
from .decorators import cross_origin
from .extension import CORS

__all__ = ["CONFIG_KEYS", "CORS", "EXTENSION_KEY", "VIEW_ATTRIBUTE", "CORSConfigError", "cross_origin"]
