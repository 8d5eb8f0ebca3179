"""The doctor page's worked examples are real: each command is run and its output compared, line for line."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from wsgicors._version import banner

from .util import run_cli

PAGE = Path(__file__).resolve().parents[2] / "docs" / "doctor.md"


def _examples() -> list[tuple[str, str]]:
    text = PAGE.read_text(encoding="utf-8")
    start = text.index("## Worked examples\n")
    section = text[start : text.index("\n## ", start + 1)]
    found = []
    for block in re.findall(r"```console\n(.*?)```", section, re.S):
        command, _, output = block.partition("\n")
        assert command.startswith("$ cors-doctor "), command
        found.append((command.removeprefix("$ cors-doctor "), output))
    return found


EXAMPLES = _examples()


def test_the_page_has_the_worked_examples() -> None:
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize(("command", "output"), EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_example_output_is_what_the_doctor_prints(command: str, output: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, err = run_cli(shlex.split(command))
    assert err == banner("cors-doctor") + "\n"  # stderr, shown first on a terminal
    assert err + out == output
