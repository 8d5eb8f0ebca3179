"""README.md is the front page: short, the test command CI runs, and a doctor example that is real."""

from __future__ import annotations

import re

import pytest

from .examples import DOCS, README

TEXT = README.read_text(encoding="utf-8")


def test_the_readme_is_a_front_page() -> None:
    assert len(TEXT.splitlines()) <= 250


def test_the_readme_gives_the_test_command_ci_runs() -> None:
    section = TEXT[TEXT.index("## Try it: two commands\n") :]
    section = section[: section.index("\n## ")]
    assert "$ bash scripts/test " in section
    assert "$ python3 -m wsgicors.demo 8000 " in section
    ci = README.parent / ".ci" / "run"
    if not ci.exists():
        pytest.skip(".ci/ is not in the sdist")
    assert ci.read_text(encoding="utf-8").rstrip().endswith("exec bash scripts/test")


def test_the_readme_doctor_example_is_a_worked_example_of_the_doctor_page() -> None:
    """Its output is checked there (tests/doctor/test_docs_examples.py), so it must be one of them, verbatim."""
    (example,) = re.findall(r"```console\n(\$ cors-doctor .*?)```", TEXT, re.S)
    assert example in (DOCS / "doctor.md").read_text(encoding="utf-8")


def test_the_readme_links_resolve() -> None:
    missing = []
    for target in re.findall(r"\]\(((?:docs/|CHANGELOG|SECURITY)[^)#]*)", TEXT):
        path = README.parent / target
        if not path.exists():
            missing.append(target)
    assert not missing, missing
