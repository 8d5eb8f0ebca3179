"""Starlette's ``CORSMiddleware`` argument names and the core's options they become."""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["NATIVE_BY_STARLETTE", "STARLETTE_BY_NATIVE", "native_fix"]

#: Starlette's argument -> the core's option (``allow_origin_regex`` becomes a ``'~regex'`` origins entry).
NATIVE_BY_STARLETTE = MappingProxyType(
    {
        "allow_origins": "origins",
        "allow_origin_regex": "origins",
        "allow_methods": "methods",
        "allow_headers": "headers",
        "allow_credentials": "credentials",
        "allow_private_network": "private_network",
        "expose_headers": "exposed_headers",
    }
)
#: The core's option -> Starlette's argument (for errors of the compat layer).
STARLETTE_BY_NATIVE = MappingProxyType(
    {
        "origins": "allow_origins",
        "methods": "allow_methods",
        "headers": "allow_headers",
        "exposed_headers": "expose_headers",
        "credentials": "allow_credentials",
        "max_age": "max_age",
        "private_network": "allow_private_network",
    }
)


def native_fix(name: str, value: object) -> str:
    """The native door's spelling of Starlette's ``name=value`` (pasteable), and where Starlette's names work."""
    native = NATIVE_BY_STARLETTE[name]
    if name == "allow_origin_regex" and isinstance(value, str):
        written = f"origins=[{'~' + value!r}]"
    elif name in ("allow_methods", "allow_headers") and isinstance(value, (list, tuple)) and "*" in value:
        written = f"{native}='*'"
    else:
        written = f"{native}={value!r}"
    return f"{written} (asgi_ext.CORSMiddleware), or asgi_ext.compat.CORSMiddleware, which takes Starlette's arguments"
