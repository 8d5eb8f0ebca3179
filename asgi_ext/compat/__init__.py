"""Starlette's ``CORSMiddleware`` API on the wsgicors engine (FastAPI re-exports Starlette's).

``from starlette.middleware.cors import CORSMiddleware`` (or
``from fastapi.middleware.cors import CORSMiddleware``) becomes
``from asgi_ext.compat import CORSMiddleware``; the arguments stay.
"""

from .middleware import CORSMiddleware
from .translate import ALL_METHODS, SAFELISTED_HEADERS

__all__ = ["ALL_METHODS", "SAFELISTED_HEADERS", "CORSMiddleware"]
