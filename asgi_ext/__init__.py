"""asgi_ext: the wsgicors engine as ASGI middleware (Starlette, FastAPI, Quart, Litestar, Django under ASGI).

``CORSMiddleware(app, **options)`` answers exactly what the WSGI door answers;
:mod:`asgi_ext.compat` takes Starlette's ``CORSMiddleware`` arguments.
"""

from .middleware import CORSMiddleware

__all__ = ["CORSMiddleware"]
