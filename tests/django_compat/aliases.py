"""A module that re-exports the compat middleware (as a user's ``corsheaders`` shim would), and a subclass."""

from __future__ import annotations

from django_ext.compat import CorsMiddleware

__all__ = ["CorsMiddleware", "Subclass"]


class Subclass(CorsMiddleware):
    """A project's own subclass of the compat middleware."""
