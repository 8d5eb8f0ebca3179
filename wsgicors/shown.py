"""Values as messages and logs show them: ``repr``-escaped (no log injection) and capped.

A request controls its Origin, method, path and Access-Control-Request-*
values, and a configuration may hold thousands of names: neither may turn one
log line or one error message into a hundred kilobytes.
"""

from __future__ import annotations

__all__ = ["MAX_SHOWN", "shown"]

#: The most characters of one value a message or log line shows.
MAX_SHOWN = 200


def shown(value: object) -> str:
    """``repr(value)``; a longer ``str`` cut at :data:`MAX_SHOWN` characters, its length given."""
    if isinstance(value, str) and len(value) > MAX_SHOWN:
        return f"{value[:MAX_SHOWN]!r}... ({len(value):,} characters)"
    text = repr(value)
    if len(text) > MAX_SHOWN:
        return f"{text[:MAX_SHOWN]}... ({len(text):,} characters)"
    return text
