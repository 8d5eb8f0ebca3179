"""The import name ``wsgicors``, shared with the unrelated PyPI distribution ``wsgicors`` (0.7: one module).

Measured with both wheels in one virtual environment, in either install order:
pip installs both without a word (``wsgicors/`` and ``wsgicors.py`` are
different files), and in one directory Python's import system takes a
package before a module of the same name, so ``import wsgicors`` always
gives this package. Code written for wsgicors 0.7 (``from wsgicors import
CORS``, PasteDeploy's ``egg:wsgicors#middleware``) then fails with an
ImportError that names this package's ``__init__.py``. Uninstalling either
distribution leaves the other one whole. When the two sit in different
``sys.path`` entries (``PYTHONPATH``, a user site), the earlier entry wins.

:func:`warn_if_clashing` says so once per process; the demo, the doctor and
the doors call it when they start.
"""

from __future__ import annotations

import importlib.metadata
import threading
import warnings
from pathlib import Path

from ._version import DISTRIBUTION

__all__ = ["ImportNameClashWarning", "describe_clash", "other_wsgicors", "warn_if_clashing"]

#: The other distribution's name on PyPI, and its one module.
OTHER = "wsgicors"
_MODULE = "wsgicors.py"


class ImportNameClashWarning(UserWarning):
    """The unrelated ``wsgicors`` distribution is installed beside this one."""


def other_wsgicors(path: list[str] | None = None) -> importlib.metadata.Distribution | None:
    """The installed ``wsgicors`` distribution whose files include a top-level ``wsgicors.py``, if any.

    A ``wsgicors`` distribution that lists no files (an old egg-info install) counts too:
    this project's distribution is named ``corsgate``, never ``wsgicors``. ``path``: where to
    look instead of ``sys.path``.
    """
    found = (
        importlib.metadata.distributions(name=OTHER)
        if path is None
        else importlib.metadata.distributions(name=OTHER, path=path)
    )
    for dist in found:
        files = dist.files
        if files is None or any(file.parts == (_MODULE,) for file in files):
            return dist
    return None


def describe_clash(dist: importlib.metadata.Distribution) -> str:
    """What happens with ``dist`` installed beside this package, and what to do."""
    module = Path(str(dist.locate_file(_MODULE)))
    ours = Path(__file__).resolve().parent / "__init__.py"
    return (
        f"the unrelated PyPI distribution '{OTHER}' {dist.version} ({module}) is installed beside "
        f"{DISTRIBUTION}, whose package has the same import name: 'import wsgicors' gives {ours} here, "
        f"so code written for {OTHER} {dist.version} (from wsgicors import CORS, PasteDeploy's "
        f"egg:wsgicors#middleware) fails with ImportError. If nothing here uses it: pip uninstall {OTHER}"
    )


class _Once:
    """Whether this process has looked already (the look reads installed metadata: once is enough)."""

    def __init__(self) -> None:
        self.done = False
        self.lock = threading.Lock()


_once = _Once()


def warn_if_clashing(stacklevel: int = 2) -> str | None:
    """Warn (:class:`ImportNameClashWarning`) if the other ``wsgicors`` is installed; once per process.

    Returns the message when it warned, else None.
    """
    if _once.done:
        return None
    with _once.lock:
        if _once.done:
            return None
        _once.done = True
    try:
        dist = other_wsgicors()
    except Exception:  # unreadable metadata must never stop an app from starting
        return None
    if dist is None:
        return None
    message = describe_clash(dist)
    warnings.warn(message, ImportNameClashWarning, stacklevel=stacklevel + 1)
    return message
