"""The README's doctor examples are real: each command is run and its output compared, line for line."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from wsgicors._version import banner

from .util import run_cli

README = Path(__file__).resolve().parents[2] / "README.md"


def _examples() -> list[tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    start = text.index("## The CORS doctor\n")
    section = text[start : text.index("\n## ", start + 1)]
    found = []
    for block in re.findall(r"```console\n(.*?)```", section, re.S):
        command, _, output = block.partition("\n")
        assert command.startswith("$ cors-doctor "), command
        found.append((command.removeprefix("$ cors-doctor "), output))
    return found


EXAMPLES = _examples()


def test_the_readme_has_the_worked_examples() -> None:
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize(("command", "output"), EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_readme_example_output_is_what_the_doctor_prints(
    command: str, output: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, err = run_cli(shlex.split(command))
    assert err == banner("cors-doctor") + "\n"  # stderr, shown first on a terminal
    assert err + out == output
