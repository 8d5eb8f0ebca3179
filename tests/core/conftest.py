"""Shared helpers and fixtures of the core tests."""

from __future__ import annotations

# ---------------------------------------------------------------------------
# Hostile corpus, regex safety, properties, concurrency and server helpers.
# (Block owned by the hostile/properties tests; other fixtures go in their own block.)
# ---------------------------------------------------------------------------
import multiprocessing
import socket
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from wsgicors import CORSConfigError

#: The repository's root: the folder holding pyproject.toml above this file.
REPO_ROOT = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())


#: The project's own test data (``tests/data``): every file a test reads lives in the repository.
DATA_DIR = REPO_ROOT / "tests" / "data"


def data_file(name: str) -> Path:
    """A file of ``tests/data``; fails loudly rather than skipping (a missing corpus must not pass)."""
    path = DATA_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"{name} not found in {DATA_DIR}")
    return path


def wire(value: str) -> str:
    """``value`` as a WSGI server presents it: UTF-8 bytes on the wire, decoded as latin-1 (PEP 3333)."""
    return value.encode("utf-8", "surrogatepass").decode("latin-1")


@dataclass(frozen=True)
class Refused:
    """The outcome of a policy refused at construction with CORSConfigError."""

    option: str
    message: str
    fix: str


@dataclass(frozen=True)
class Crashed:
    """Anything else raised in the isolated child."""

    traceback: str


def refusal(exc: CORSConfigError) -> Refused:
    return Refused(exc.option, str(exc), exc.fix)


#: ``run_with_hard_timeout(..., on_timeout=TIMED_OUT)`` returns this instead of failing.
TIMED_OUT = "timed out"
_FAIL: Any = object()


def run_with_hard_timeout(fn: Callable[..., Any], *args: Any, timeout: float, on_timeout: Any = _FAIL) -> Any:
    """Run ``fn(*args)`` in a forked child, killed after ``timeout`` seconds.

    A regex stuck in catastrophic backtracking holds the GIL, so a thread could
    not be abandoned: a child process can. The fork inherits the imported
    modules, so the cap covers the call, not an interpreter start. Returns
    what ``fn`` returned (it must pickle); a CORSConfigError comes back as
    :class:`Refused`; any other exception fails the test with its traceback.
    This is a guard against hangs, not a timing measurement. With
    ``on_timeout``, a child killed at the cap returns that instead of failing
    (for tests that a known-slow input really is stopped).
    """
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            result: Any = fn(*args)
        except CORSConfigError as exc:
            result = refusal(exc)
        except BaseException:
            result = Crashed(traceback.format_exc())
        sender.send(result)

    process = ctx.Process(target=child, daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            process.kill()
            if on_timeout is not _FAIL:
                return on_timeout
            pytest.fail(f"{getattr(fn, '__name__', fn)}{args!r} did not finish within the hard cap of {timeout} s")
        try:
            result = receiver.recv()
        except EOFError:
            process.join(10)
            pytest.fail(f"the isolated child died without an answer (exit code {process.exitcode})")
    finally:
        receiver.close()
        process.join(10)
        if process.is_alive():  # pragma: no cover - only if the child ignores the pipe
            process.kill()
            process.join(10)
    if isinstance(result, Crashed):
        pytest.fail(f"raised in the isolated child:\n{result.traceback}")
    return result


def free_port() -> int:
    """A port on 127.0.0.1 that was free a moment ago (for servers that cannot bind port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# --------------------------- end of the hostile/properties block ---------------------------


@pytest.fixture
def dense_switching() -> Iterator[None]:
    """Threads switch every microsecond, so races in shared state show up (the concurrency tests)."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)
