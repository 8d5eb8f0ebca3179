"""django-cors-headers 4's settings on the corsgate engine.

Replace ``"corsheaders"`` by ``"django_ext"`` in ``INSTALLED_APPS`` and
``"corsheaders.middleware.CorsMiddleware"`` by
``"django_ext.compat.CorsMiddleware"`` in ``MIDDLEWARE``; the ``CORS_*``
settings stay as they are. See docs/migrating/django-cors-headers.md.
"""

from __future__ import annotations

from .middleware import CorsMiddleware

__all__ = ["CorsMiddleware"]
