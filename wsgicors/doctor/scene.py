"""What an explanation may quote: the failing step, its answer, the layer that made it, the app's door."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .checks import Response, header
from .door import Door
from .layers import Layer, recognise

if TYPE_CHECKING:
    from .outcome import Blocked, Outcome, Step

__all__ = ["Explanation", "Scene", "join", "scene_of", "sentence"]


@dataclass(frozen=True)
class Explanation:
    why: str
    fix: str
    ours: tuple[str, str] | None = None  # ("With wsgicors", text): this library's users only


@dataclass(frozen=True)
class Scene:
    """Everything an explanation may quote: the failing step, its answer, who made it, the page's request."""

    outcome: Outcome
    blocked: Blocked
    step: Step
    response: Response
    layer: Layer | None
    door: Door | None

    @property
    def origin(self) -> str:
        sent = {name.lower(): value for name, value in self.step.request_headers}
        return sent.get("origin", self.blocked.origin)

    @property
    def where(self) -> str:
        reason = f" {self.response.reason}" if self.response.reason else ""
        shown = self.layer is not None and self.layer.name != "wsgicors"  # the engine's own lines say it
        made = f" from {self.layer.short()}" if shown and self.layer is not None else ""
        return f"the {self.step.kind} answer ({self.response.status}{reason}){made}"

    @property
    def path(self) -> str:
        url = self.step.url
        return "/" + url.split("://", 1)[-1].partition("/")[2]

    def value(self, name: str) -> str | None:
        return header(self.response, name)


def scene_of(outcome: Outcome) -> Scene | None:
    blocked = outcome.blocked
    if blocked is None or blocked.step is None or blocked.step.response is None or blocked.id == "transport":
        return None
    step = blocked.step
    assert step.response is not None
    layer = recognise(step.response, step.method)
    door = outcome.door
    if layer is None and door is not None and door.kind == "starlette" and not door.ours:
        # An in-process Starlette or FastAPI app sends no Server header: its --app says what it is.
        layer = Layer("starlette", "Starlette", ("--app is a Starlette/FastAPI application",))
    return Scene(outcome, blocked, step, step.response, layer, door)


def sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def join(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)
