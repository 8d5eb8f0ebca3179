"""Typed options: ``mypy --strict`` sees a misspelt or mistyped option in every door.

Runs the interpreter's own mypy over ``cases/mistakes.py`` (each line marked
``# E: <text>`` must get an error containing that text, and no other line one)
and over ``cases/correct.py`` (no error at all).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mypy")

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
_MARK = re.compile(r"  # E: (.+)$")
_ERROR = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: (?P<text>.*)$")


def _mypy(path: Path, cache: Path) -> dict[int, list[str]]:
    """Line number -> mypy's error texts for ``path``."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(HERE / "mypy.ini"),
            "--cache-dir",
            str(cache),
            "--no-error-summary",
            "--hide-error-context",
            "--no-pretty",
            str(path.relative_to(ROOT)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 2: mypy itself failed
    errors: dict[int, list[str]] = {}
    for line in done.stdout.splitlines():
        match = _ERROR.match(line)
        if match is not None:
            assert Path(match["file"]) == path.relative_to(ROOT), line
            errors.setdefault(int(match["line"]), []).append(match["text"])
    return errors


def test_every_misspelt_or_mistyped_option_is_a_type_error(tmp_path: Path) -> None:
    source = HERE / "cases" / "mistakes.py"
    expected = {
        number: mark[1].strip()
        for number, text in enumerate(source.read_text().splitlines(), start=1)
        if (mark := _MARK.search(text)) is not None
    }
    assert len(expected) >= 20
    errors = _mypy(source, tmp_path)
    for number, fragment in expected.items():
        assert any(fragment in text for text in errors.get(number, [])), (number, fragment, errors.get(number))
    assert set(errors) == set(expected), {n: errors[n] for n in set(errors) - set(expected)}


def test_correct_options_in_every_door_type_check_clean(tmp_path: Path) -> None:
    assert _mypy(HERE / "cases" / "correct.py", tmp_path) == {}


def _doors() -> list[object]:
    from django_ext.decorators import cross_origin as django_cross_origin
    from flask_ext import CORS, cross_origin
    from wsgicors import CORSMiddleware, Policy

    return [Policy, CORSMiddleware, CORS, cross_origin, django_cross_origin]


@pytest.mark.parametrize("door", _doors(), ids=lambda door: f"{door.__module__}.{door.__qualname__}")
def test_help_shows_every_option_with_its_default(door: object) -> None:
    import pydoc

    from wsgicors.options import DEFAULTS

    text = pydoc.render_doc(door, renderer=pydoc.plaintext)
    view = not isinstance(door, type)  # the cross_origin decorators: a view's policy has no routes
    for name, default in DEFAULTS.items():
        shown = repr(list(default)) if isinstance(default, tuple) else repr(default)
        assert (f"{name}={shown}" in text) is not (view and name == "routes"), name
