"""django-cors-headers' ``corsheaders.defaults``: the default allowed headers and methods, as the peer has them."""

from __future__ import annotations

__all__ = ["default_headers", "default_methods"]

default_headers = (
    "accept",
    "authorization",
    "content-type",
    "user-agent",
    "x-csrftoken",
    "x-requested-with",
)

default_methods = (
    "DELETE",
    "GET",
    "OPTIONS",
    "PATCH",
    "POST",
    "PUT",
)
