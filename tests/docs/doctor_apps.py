"""An ASGI app for a worked example of docs/doctor.md: `--app` on Starlette behind Starlette's own CORSMiddleware."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

__all__ = ["starlette_get_only"]


async def _items(request: Request) -> JSONResponse:
    return JSONResponse({"items": []})


#: Starlette's defaults: allow_methods=("GET",), so a PUT's preflight gets Starlette's own 400.
starlette_get_only = Starlette(
    routes=[Route("/items", _items, methods=["GET", "PUT"])],
    middleware=[Middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_headers=["Content-Type"])],
)
