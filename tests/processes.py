"""Stopping the servers and commands the tests start: politely, then for sure."""

from __future__ import annotations

import subprocess
from typing import Any

__all__ = ["stop"]


def stop(process: subprocess.Popen[Any], timeout: float = 10) -> None:
    """Terminate ``process`` and wait for it; kill it if it has not ended within ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout)
