"""docs/migrating/flask-cors.md documents every code the layer announces and every
code the peer-suite classification uses (pitfalls #52: docs drift)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _section() -> str:
    return (ROOT / "docs" / "migrating" / "flask-cors.md").read_text(encoding="utf-8")


def _table_codes() -> set[str]:
    return set(re.findall(r"^\| (D\d+) \|", _section(), flags=re.MULTILINE))


def test_every_announced_code_is_documented() -> None:
    sources = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "flask_ext" / "compat").glob("*.py"))
    announced = set(re.findall(r'"(D\d+)"', sources))
    assert announced, "no codes found in flask_ext/compat"
    assert announced <= _table_codes(), announced - _table_codes()


def test_every_classification_code_is_documented() -> None:
    spec = importlib.util.spec_from_file_location("suite", ROOT / "scripts" / "run_flask_cors_suite.py")
    assert spec is not None and spec.loader is not None
    suite = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(suite)
    used = {m for reason in suite.EXPECTED.values() for m in re.findall(r"\b(D\d+):", reason)}
    assert used == {"D1", "D2", "D5", "D7", "D8", "D9", "D10", "D12"}
    assert used <= _table_codes()


def test_the_one_line_change_leads_the_section() -> None:
    first_code = _section().split("```python\n", 1)[1].split("```", 1)[0]
    assert (
        first_code == "# from flask_cors import CORS, cross_origin\nfrom flask_ext.compat import CORS, cross_origin\n"
    )
