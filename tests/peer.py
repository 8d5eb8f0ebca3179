"""Running a peer-suite script (``scripts/run_*_suite.py``) and reading the counts of its summary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def run_peer_suite(script: str, scratch: Path, title: str) -> tuple[dict[str, int], str]:
    """Run ``scripts/<script>`` in ``scratch``, which must exit 0; its counts by outcome and its summary.

    ``title`` is the text the summary's heading holds (where the counts start)."""
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / script), "--scratch", str(scratch)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    summary = done.stdout[done.stdout.rfind(title) :]
    assert done.returncode == 0, (done.stdout[-6000:], done.stderr[-3000:])
    counts = dict(
        line.strip().split(": ", 1) for line in summary.splitlines() if line.startswith("  ") and ": " in line
    )
    return {outcome: int(count) for outcome, count in counts.items() if count.isdigit()}, summary
