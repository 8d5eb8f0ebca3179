"""The distribution's name and version: defined here once, read by the build and at run time."""

from __future__ import annotations

__all__ = ["DISTRIBUTION", "__version__", "banner"]

#: The PyPI distribution these packages ship in. Its top-level ``wsgicors``
#: package shares its import name with the unrelated ``wsgicors`` distribution.
DISTRIBUTION = "corsgate"
__version__ = "0.1.0"


def banner(command: str) -> str:
    """One line a command prints on start, so a user sees which ``wsgicors`` is running."""
    return f"{command}: {DISTRIBUTION} {__version__} (import name wsgicors; not the PyPI distribution 'wsgicors')"
