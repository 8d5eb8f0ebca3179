"""Django app on the wsgicors core (docs: django.md).

Add ``"django_ext"`` to ``INSTALLED_APPS`` (it registers the system checks) and
``"django_ext.middleware.CORSMiddleware"`` first in ``MIDDLEWARE``; the policy
is the ``CORS`` setting. What code imports from here is ``cross_origin``: it
needs neither settings nor models, so importing this package while Django loads
its apps is safe.
"""

from __future__ import annotations

from .decorators import cross_origin

__all__ = ["cross_origin"]
