"""The options reference (docs/options.md) is tested against the code (pitfalls #52: docs drift)."""

from __future__ import annotations

from pathlib import Path

from flask_ext import CONFIG_KEYS
from wsgicors import OPTION_NAMES
from wsgicors.policy import DEFAULTS

PAGE = Path(__file__).resolve().parents[2] / "docs" / "options.md"


def _rows() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`") and cells[0].strip("`") in OPTION_NAMES:
            rows.setdefault(cells[0].strip("`"), cells)
    return rows


def test_every_option_is_documented_with_its_default() -> None:
    rows = _rows()
    assert list(rows) == list(OPTION_NAMES)  # all of them, in the code's order
    for name, (_, _type, default, meaning) in rows.items():
        value = DEFAULTS[name]
        if isinstance(value, tuple):
            for item in value:
                assert item in default, (name, item)
        else:
            assert default == f"`{value!r}`", (name, default)
        assert meaning


def test_every_option_has_its_section_and_its_keys() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for name in OPTION_NAMES:
        assert f"\n## `{name}`\n" in text, name
        row = f"| `{name}` | "
        (line,) = [line for line in text.splitlines() if line.startswith(row) and CONFIG_KEYS[name] in line]
        assert f'`CORS["{name}"]`' in line, line
