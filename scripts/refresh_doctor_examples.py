"""Rewrite the doctor's worked examples in a Markdown file with what the doctor prints now.

    python scripts/refresh_doctor_examples.py README.md        # or docs/doctor.md

Each ```console block whose first line is ``$ cors-doctor ...`` is run (in-process, the
examples use ``--app``) and its output replaced; tests/doctor/test_readme.py compares them.
The commands themselves are left as they are.
"""

from __future__ import annotations

import io
import os
import re
import shlex
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wsgicors.doctor.cli import main

_BLOCK = re.compile(r"```console\n(\$ cors-doctor [^\n]*)\n(.*?)```", re.S)


def output(command: str) -> str:
    """stderr then stdout of one example, as a terminal without colour shows them."""
    os.environ["NO_COLOR"] = "1"
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        main(shlex.split(command.removeprefix("$ cors-doctor ")))
    return err.getvalue() + out.getvalue()


def refresh(text: str) -> tuple[str, int]:
    changed = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        new = output(match[1])
        changed += new != match[2]
        return f"```console\n{match[1]}\n{new}```"

    return _BLOCK.sub(replace, text), changed


if __name__ == "__main__":
    path = Path(sys.argv[1])
    text, changed = refresh(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    print(f"{path}: {changed} example(s) rewritten")
