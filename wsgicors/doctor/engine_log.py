"""The wsgicors engine's own reason for a request: its DEBUG record, captured while the app runs.

The doctor never asks the engine for a verdict (it would judge itself); it only
listens to what the ``wsgicors`` logger says about the request it just sent.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["capture_engine_log"]

LOGGER_NAME = "wsgicors"


class _ThreadHandler(logging.Handler):
    """Keeps the messages logged from one thread (the one running the app)."""

    def __init__(self, thread_id: int | None) -> None:
        super().__init__(logging.DEBUG)
        self.thread_id = thread_id  # None: every thread's
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if self.thread_id is None or record.thread == self.thread_id:
            try:
                self.messages.append(record.getMessage())
            except Exception:  # a record that cannot be formatted is left out, never raised
                self.messages.append(str(record.msg))


@contextmanager
def capture_engine_log(thread_id: int | None = None, every_thread: bool = False) -> Iterator[list[str]]:
    """Collect the ``wsgicors`` logger's records of one thread (default: this one), or of ``every_thread``
    (an ASGI app: Django runs its sync middleware in a worker thread, the loop's own code in another)."""
    logger = logging.getLogger(LOGGER_NAME)
    handler = _ThreadHandler(None if every_thread else thread_id if thread_id is not None else threading.get_ident())
    level, propagate = logger.level, logger.propagate
    if not logger.isEnabledFor(logging.DEBUG):
        # Turned on for the doctor only: the app's own handlers keep seeing what they saw before.
        logger.setLevel(logging.DEBUG)
        logger.propagate = False
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
