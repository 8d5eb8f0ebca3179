"""One check message of the compat layer, and the peer's type tests shared by the settings readers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Problem", "Problems", "is_sequence", "short"]


@dataclass(frozen=True)
class Problem:
    """One check message: its ID, its text (starting with the setting's name) and a hint."""

    id: str
    message: str
    hint: str

    @property
    def is_error(self) -> bool:
        return self.id.rsplit(".", 1)[-1].startswith("E")


def short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def is_sequence(value: object, kinds: type | tuple[type, ...]) -> bool:
    """The peer's test: a sequence that is not a string, every item of ``kinds``."""
    return (
        isinstance(value, Sequence)
        and not isinstance(value, (str, bytes))
        and all(isinstance(item, kinds) for item in value)
    )


class Problems:
    """The problems found while reading the settings."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, check_id: str, message: str, hint: str) -> None:
        self.problems.append(Problem(check_id, message, hint))
