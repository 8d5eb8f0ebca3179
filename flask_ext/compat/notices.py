"""Start-up announcements: one ``CORSConfigWarning`` per behaviour change, pointing at the user's line.

Translation collects notices (a code, the option as the user wrote it, what
changes); the entry point (``CORS(...)``, ``cross_origin(...)``) emits them
once, deduplicated, when it returns to the user's code. Codes are the
deliberate differences of the README's "Switching from flask-cors" table
(D1...) or a name for the kind of notice (``unknown``, ``ignored``).
"""

from __future__ import annotations

import os
import sys
import warnings

from wsgicors import CORSConfigWarning

__all__ = ["Notices", "user_stacklevel"]

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # flask_ext/


def user_stacklevel() -> int:
    """The ``stacklevel`` of the first caller outside ``flask_ext`` (and Flask's decorators)."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None:
        filename = os.path.abspath(frame.f_code.co_filename)
        if not filename.startswith(_PACKAGE_DIR + os.sep):
            return level
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


class Notices:
    """Behaviour changes found while translating one configuration."""

    __slots__ = ("_seen", "items")

    def __init__(self) -> None:
        self.items: list[tuple[str, str, str]] = []
        self._seen: set[tuple[str, str, str]] = set()

    def add(self, code: str, option: str, message: str) -> None:
        """Note a change, once however many resources share it."""
        item = (code, option, message)
        if item not in self._seen:
            self._seen.add(item)
            self.items.append(item)

    def emit(self) -> None:
        """Warn about each noted change, at the user's line."""
        level = user_stacklevel()
        for code, option, message in self.items:
            warnings.warn(f"flask_ext.compat [{code}] {option}: {message}", CORSConfigWarning, stacklevel=level)
        self.items.clear()
