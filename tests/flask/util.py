"""Helpers shared by the Flask door's tests."""

from __future__ import annotations

from werkzeug.test import TestResponse


def cors(response: TestResponse) -> dict[str, str]:
    """Every Access-Control-* header and Vary of a response (each must be single)."""
    found: dict[str, str] = {}
    for name, value in response.headers.items():
        if name.lower().startswith("access-control-") or name.lower() == "vary":
            assert name not in found, f"{name} sent twice: {response.headers.getlist(name)}"
            found[name] = value
    return found


PREFLIGHT = {"Access-Control-Request-Method": "PUT"}
