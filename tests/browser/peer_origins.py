"""A scenario's pattern origins as the regex a peer library's user writes (no peer has the core's wildcard)."""

from __future__ import annotations

import re


def origin_regex(entry: str) -> str:
    """A ``~regex`` entry's regex, or the ``scheme://*.host`` wildcard (strict subdomains, any depth) as a regex."""
    if entry.startswith("~"):
        return entry[1:]
    scheme, _, rest = entry.partition("://*.")
    return f"{re.escape(scheme)}://([a-z0-9-]+\\.)+{re.escape(rest)}"
