"""Re-run the doctor's worked examples and write their output into docs/doctor.md and README.md.

After a change to the doctor's wording, ``python -m tests.doctor.regenerate_docs_examples``
(from the repository root, with ``NO_COLOR`` honoured as the test does) replaces the
output under each ``$ cors-doctor ...`` command of those pages; read the diff, then
``tests/doctor/test_docs_examples.py`` and ``tests/docs/test_readme.py`` pass again.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

from .util import run_cli

ROOT = Path(__file__).resolve().parents[2]
PAGES = (ROOT / "docs" / "doctor.md", ROOT / "README.md")
#: A worked example: its command line, then the output to replace.
EXAMPLE = re.compile(r"```console\n(\$ cors-doctor [^\n]*)\n.*?```", re.S)


def _rerun(match: re.Match[str]) -> str:
    command = match[1]
    _, out, err = run_cli(shlex.split(command.removeprefix("$ cors-doctor ")))
    return f"```console\n{command}\n{err}{out}```"


def main() -> None:
    os.environ["NO_COLOR"] = "1"
    for page in PAGES:
        text = re.sub(EXAMPLE, _rerun, page.read_text(encoding="utf-8"))
        page.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
