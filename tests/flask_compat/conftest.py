"""Fixtures of the flask_ext.compat tests: the Flask door's clients (one plain, one under
``wsgiref.validate``), and apps configured with flask-cors's vocabulary."""

from __future__ import annotations

from tests.flask.conftest import make_client

__all__ = ["make_client"]
