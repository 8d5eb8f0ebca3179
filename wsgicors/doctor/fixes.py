"""Fixes in the vocabulary of the layer that answered: nginx and Apache directives, Express's and
Fastify's ``cors`` options, Starlette's ``CORSMiddleware`` arguments. None: the layer is unknown."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .layers import Layer

__all__ = [
    "allow_list",
    "allow_origin",
    "answer_options",
    "credentials",
    "error_pages",
    "js_list",
    "one_owner",
    "py_list",
]

_STARLETTE = ("starlette", "uvicorn")


def js_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(f"'{value}'" for value in values) + "]"


def py_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(f'"{value}"' for value in values) + "]"


def _regex(origin: str) -> str:
    return "^" + re.escape(origin).replace("\\:", ":").replace("\\/", "/") + "$"


def allow_origin(layer: Layer | None, origins: Sequence[str]) -> str | None:
    """Echo ``origins`` (and only them) in Access-Control-Allow-Origin, with Vary: Origin."""
    name = layer.name if layer is not None else ""
    if name == "nginx":
        entries = " ".join(f'"{origin}" $http_origin;' for origin in origins)
        return (
            f'map $http_origin $cors_origin {{ default ""; {entries} }} at http level, then in the location '
            "add_header Access-Control-Allow-Origin $cors_origin always; add_header Vary Origin always; "
            "(an empty value sends no header)"
        )
    if name == "apache":
        pattern = "|".join(_regex(origin)[1:-1] for origin in origins)
        return (
            f'SetEnvIf Origin "^({pattern})$" CORS_ORIGIN=$0, then Header always set Access-Control-Allow-Origin '
            '"%{CORS_ORIGIN}e" env=CORS_ORIGIN and Header always merge Vary Origin'
        )
    if name == "express":
        return (
            f"cors({{ origin: {js_list(origins)} }}) (an array: cors echoes the matching origin and adds Vary: Origin)"
        )
    if name == "fastify":
        return f"fastify.register(cors, {{ origin: {js_list(origins)} }})"
    if name in _STARLETTE:
        return f"CORSMiddleware(app, allow_origins={py_list(origins)}) (Starlette, FastAPI)"
    return None


def credentials(layer: Layer | None, origin: str) -> str | None:
    """Access-Control-Allow-Credentials: true with an explicit origin."""
    name = layer.name if layer is not None else ""
    if name == "nginx":
        return "add_header Access-Control-Allow-Credentials true always; beside the Access-Control-Allow-Origin line"
    if name == "apache":
        return 'Header always set Access-Control-Allow-Credentials "true"'
    if name == "express":
        return f"cors({{ origin: ['{origin}'], credentials: true }})"
    if name == "fastify":
        return f"fastify.register(cors, {{ origin: ['{origin}'], credentials: true }})"
    if name in _STARLETTE:
        return f'CORSMiddleware(app, allow_origins=["{origin}"], allow_credentials=True)'
    return None


def allow_list(layer: Layer | None, what: str, values: Sequence[str]) -> str | None:
    """Access-Control-Allow-Methods (``what`` = methods) or -Headers (headers) listing ``values``."""
    name = layer.name if layer is not None else ""
    header = "Access-Control-Allow-Methods" if what == "methods" else "Access-Control-Allow-Headers"
    joined = ", ".join(values)
    if name == "nginx":
        return f'add_header {header} "{joined}" always;'
    if name == "apache":
        return f'Header always set {header} "{joined}"'
    if name in ("express", "fastify"):
        option = "methods" if what == "methods" else "allowedHeaders"
        call = "cors({ " if name == "express" else "fastify.register(cors, { "
        return f"{call}{option}: {js_list(values)}, ... }})"
    if name in _STARLETTE:
        return f"CORSMiddleware(app, allow_{what}={py_list(values)}, ...)"
    return None


def error_pages(layer: Layer | None) -> str | None:
    """CORS headers on the layer's own error pages too."""
    name = layer.name if layer is not None else ""
    if name == "nginx":
        return (
            "end every CORS add_header with 'always' (add_header Access-Control-Allow-Origin ... always;): "
            "without it nginx adds them to 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308 answers only"
        )
    if name == "apache":
        return (
            "use Header always set Access-Control-Allow-Origin ... (not Header set, whose table Apache applies "
            "to 2xx and 3xx answers only)"
        )
    return None


def answer_options(layer: Layer | None, origin: str) -> str | None:
    """Answer the preflight (OPTIONS) with 204 and the CORS headers, before anything else handles it."""
    name = layer.name if layer is not None else ""
    if name == "nginx":
        return (
            "answer OPTIONS in the location: if ($request_method = OPTIONS) { add_header "
            "Access-Control-Allow-Origin ... always; add_header Access-Control-Allow-Methods ... always; "
            "return 204; } (an if block drops the add_header lines around it, so repeat them inside)"
        )
    if name == "apache":
        return "RewriteEngine On, RewriteCond %{REQUEST_METHOD} OPTIONS, RewriteRule ^ - [R=204,L]"
    if name == "express":
        return (
            "app.options('*', cors(corsOptions)) before the routes (Express 5: app.options('/{*splat}', "
            "cors(corsOptions))), or app.use(cors(corsOptions)) for every route"
        )
    return None


def one_owner(layer: Layer | None, lines: int) -> str | None:
    """Two layers each add Access-Control-Allow-Origin: keep one."""
    name = layer.name if layer is not None else ""
    if name == "nginx" and lines > 1:
        return (
            "let one layer own the CORS headers: drop nginx's add_header lines for them, or hide the backend's "
            "with proxy_hide_header Access-Control-Allow-Origin; (and the other Access-Control-* headers)"
        )
    if name == "apache" and lines > 1:
        return (
            "let one layer own the CORS headers: Header always unset Access-Control-Allow-Origin before "
            "Header always set, or drop the app's"
        )
    return None


def inherited_headers(layer: Layer | None) -> tuple[str, str] | None:
    """(why, fix) for CORS headers lost to the layer's inheritance rules (nginx's add_header)."""
    if layer is None or layer.name != "nginx":
        return None
    return (
        "In nginx, an add_header in a location (or in an if block) replaces every add_header inherited from the "
        "server or http block, so CORS headers set there are lost on such a route.",
        "Repeat the CORS add_header lines (with always) in every location that has an add_header of its own, or "
        "move them all into the location.",
    )
