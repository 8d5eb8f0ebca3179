"""The whole run's time budget (``--deadline``): every request ends by it, whatever its own ``--timeout``.

``--timeout`` bounds one request; with redirects and ``--audit`` a run sends
origins x hops x 2 of them. The deadline bounds the sum; when it runs out, the
request in flight (and every later one) fails with ``DeadlineExceeded``, which
records where it happened so the report can name the step.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .request import Url
from .transport import TransportError

__all__ = ["Deadline", "DeadlineExceeded", "Expiry"]


@dataclass(frozen=True)
class Expiry:
    """Where the deadline ran out: the request in flight (or the first one not sent)."""

    method: str
    url: str
    page: str  # the page's origin: the Referer's (the Origin header is null once a redirect taints it)

    def describe(self) -> str:
        return f"{self.method} {self.url} from the page origin {self.page}"


class DeadlineExceeded(TransportError):
    """The run's deadline ran out: Chromium has no such limit, so the doctor reports ``ERR_TIMED_OUT``."""

    def __init__(self, deadline: Deadline, expiry: Expiry) -> None:
        super().__init__(
            "ERR_TIMED_OUT",
            f"the doctor's --deadline of {deadline.seconds:g} s for the whole run (its own limit, not the "
            "browser's) ran out",
        )
        self.expiry = expiry


@dataclass
class Deadline:
    """``seconds`` from now for the whole run; ``window`` gives one request its share."""

    seconds: float
    clock: Callable[[], float] = time.monotonic
    at: float = field(init=False)
    expired: list[Expiry] = field(default_factory=list)  # every request it cut short or refused, in order

    def __post_init__(self) -> None:
        self.at = self.clock() + self.seconds

    def remaining(self) -> float:
        return self.at - self.clock()

    def window(self, timeout: float, method: str, url: Url, headers: Sequence[tuple[str, str]]) -> tuple[float, bool]:
        """(seconds this request may take, whether the deadline rather than ``timeout`` bounds it).

        Raises ``DeadlineExceeded`` when nothing is left: the request is not sent.
        """
        remaining = self.remaining()
        if remaining <= 0:
            raise self.exceeded(method, url, headers)
        return (remaining, True) if remaining < timeout else (timeout, False)

    def exceeded(self, method: str, url: Url, headers: Sequence[tuple[str, str]]) -> DeadlineExceeded:
        """The error for a request cut short (or refused) by the deadline, recorded."""
        fields = {name.lower(): value for name, value in headers}
        page = fields["referer"].removesuffix("/") if "referer" in fields else fields.get("origin", "")
        expiry = Expiry(method, url.serialise(), page)
        self.expired.append(expiry)
        return DeadlineExceeded(self, expiry)
