"""Numbers read from untrusted text (a request, a server's answer): ASCII digits only, never ``str.isdigit()``.

``'²'.isdigit()`` and Arabic-Indic digits are true, then ``int()`` rejects them (or
reads ``'٣'`` as 3); a 5,000-digit value trips ``int()``'s digit limit. A status
code, Content-Length, chunk size or max-age is plain ASCII or it is malformed.
"""

from __future__ import annotations

import re

__all__ = ["ascii_decimal", "ascii_hex"]

_DECIMAL = re.compile(r"[0-9]+")
_HEX = re.compile(r"[0-9A-Fa-f]+")
_LONGEST = 18  # digits kept exactly; longer values are at least 10**18, read as ``cap``


def ascii_decimal(text: str | bytes, cap: int | None = None) -> int | None:
    """``text`` as a decimal number of ASCII digits (no sign, space or ``_``), else None.

    With ``cap``, any larger value (however many digits) is read as ``cap``.
    """
    value = text.decode("latin-1") if isinstance(text, bytes) else text
    if _DECIMAL.fullmatch(value) is None:
        return None
    digits = value.lstrip("0") or "0"
    if len(digits) > _LONGEST:
        return cap if cap is not None else None
    number = int(digits)
    return min(number, cap) if cap is not None else number


def ascii_hex(text: str | bytes, cap: int | None = None) -> int | None:
    """``text`` as hexadecimal ASCII digits (no ``0x``, sign, space or ``_``), else None; ``cap`` as above."""
    value = text.decode("latin-1") if isinstance(text, bytes) else text
    if _HEX.fullmatch(value) is None:
        return None
    digits = value.lstrip("0") or "0"
    if len(digits) > _LONGEST - 3:
        return cap if cap is not None else None
    number = int(digits, 16)
    return min(number, cap) if cap is not None else number
