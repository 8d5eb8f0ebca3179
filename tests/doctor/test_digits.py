"""Numbers from hostile answers: ASCII digits only (``'²'.isdigit()`` is true, ``int('²')`` raises)."""

from __future__ import annotations

import pytest

from wsgicors.digits import ascii_decimal, ascii_hex


@pytest.mark.parametrize(
    ("text", "number"),
    [("0", 0), ("200", 200), ("007", 7), (b"42", 42), ("\u00b2", None), ("\u0662\u0660\u0660", None),
     ("\uff12", None), ("", None), (" 1", None), ("+1", None), ("-1", None), ("1_0", None), ("1.0", None),
     ("9" * 5000, None), ("0" * 5000 + "1", 1)],
)  # fmt: skip
def test_ascii_decimal(text: str | bytes, number: int | None) -> None:
    assert ascii_decimal(text) == number


def test_caps_read_any_length() -> None:
    assert ascii_decimal("9" * 5000, cap=100) == 100
    assert ascii_decimal("99", cap=100) == 99
    assert ascii_hex("F" * 3000, cap=7) == 7
    assert ascii_hex("FFFFFFFFFFFF", cap=1 << 20) == 1 << 20


@pytest.mark.parametrize(
    ("text", "number"),
    [("ff", 255), (b"1A", 26), ("0x10", None), ("1_0", None), ("-1", None), ("\u00b2", None), (b"\xb2", None),
     ("", None), ("f" * 3000, None)],
)  # fmt: skip
def test_ascii_hex(text: str | bytes, number: int | None) -> None:
    assert ascii_hex(text) == number
