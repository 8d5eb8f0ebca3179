"""The CORS protocol's response header names (Fetch Standard, section 3.2.3)."""

from __future__ import annotations

__all__ = ["ACAC", "ACAH", "ACAM", "ACAO", "ACAPN", "ACEH", "ACMA", "is_cors_response_header"]

ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"
ACAM = "Access-Control-Allow-Methods"
ACAH = "Access-Control-Allow-Headers"
ACEH = "Access-Control-Expose-Headers"
ACMA = "Access-Control-Max-Age"
ACAPN = "Access-Control-Allow-Private-Network"


def is_cors_response_header(lname: str) -> bool:
    """Is ``lname`` (lower case) one of the headers a policy alone sets?

    ``Access-Control-Allow-*``, ``-Expose-Headers`` and ``-Max-Age``: on a request
    a policy governs, the app's own are removed (DESIGN, "Rules every door keeps").
    """
    return lname.startswith("access-control-") and (
        lname.startswith("access-control-allow-")
        or lname == "access-control-expose-headers"
        or lname == "access-control-max-age"
    )
