"""The one exception a bad configuration raises."""

from __future__ import annotations

from .shown import shown

__all__ = ["CORSConfigError"]


class CORSConfigError(ValueError):
    """An invalid CORS option: names the option, the bad value and a fix."""

    def __init__(self, option: str, value: object, problem: str, fix: str = "") -> None:
        self.option = option
        self.value = value
        self.problem = problem
        self.fix = fix
        message = f"CORS option {option!r}: {problem} (got {shown(value)})"
        if fix:
            message += f". Fix: {fix}"
        super().__init__(message)
