"""Which of this library's doors an ``--app`` application uses, and fixes in that door's vocabulary.

The "With wsgicors:" line is for this library's users only: it appears when the
in-process app is (or wraps) a wsgicors door, or is a Flask or Django app (the fix
then names ``CORS(app, ...)`` / ``app.config["CORS_..."]`` or ``CORS["..."]``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Door", "describe_app", "describe_transport", "option_fix", "order_fix"]

_WRAPPED = ("app", "application", "wsgi_app", "__wrapped__", "_app", "handler")
_MAX_VISITS = 40


@dataclass(frozen=True)
class Door:
    """The in-process app: ``kind`` is wsgi | flask | django | starlette; ``ours`` if a wsgicors door is in it."""

    kind: str
    ours: bool


def _inner(obj: Any) -> list[Any]:
    found = [getattr(obj, name, None) for name in _WRAPPED]
    for cell in getattr(obj, "__closure__", None) or ():  # a wrapping function (wsgiref.validate's lint_app)
        try:
            found.append(cell.cell_contents)
        except ValueError:  # an empty cell
            continue
    return [item for item in found if callable(item)]


def _module(obj: Any) -> str:
    return type(obj).__module__ or ""


def _django_ours() -> bool:
    try:
        from django.conf import settings

        return any(str(entry).startswith("django_ext") for entry in settings.MIDDLEWARE)
    except Exception:  # settings not configured: not our door
        return False


def describe_app(app: object) -> Door:
    """Look through wrappers (``wsgiref.validate``, ``.wsgi_app``, middleware ``.app``) for a known door."""
    seen: set[int] = set()
    queue: list[Any] = [app]
    flask_app: Any = None
    kinds: set[str] = set()
    while queue and len(seen) < _MAX_VISITS:
        obj = queue.pop(0)
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        module, name = _module(obj), type(obj).__name__
        if name == "CORSMiddleware" and module.startswith("wsgicors"):
            kinds.add("wsgicors")
        elif "flask" in sys.modules and isinstance(obj, sys.modules["flask"].Flask):
            flask_app = flask_app or obj
        elif module.startswith("django.core.handlers"):
            kinds.add("django")
        elif module.startswith("starlette.applications") or module.startswith("fastapi"):
            kinds.add("starlette")
            middleware = getattr(obj, "user_middleware", ())
            if any(getattr(m.cls, "__module__", "").startswith("asgi_ext") for m in middleware):
                kinds.add("asgi_ext")
        queue.extend(_inner(obj))
    if flask_app is not None:
        return Door("flask", "corsgate" in getattr(flask_app, "extensions", {}) or "wsgicors" in kinds)
    if "django" in kinds:
        return Door("django", _django_ours())
    if "starlette" in kinds:
        return Door("starlette", "asgi_ext" in kinds)
    return Door("wsgi", "wsgicors" in kinds)


def describe_transport(transport: object) -> Door | None:
    """The door of an in-process transport's app; None over the network."""
    app = getattr(transport, "app", None)
    return describe_app(app) if app is not None else None


def _label(door: Door) -> str:
    return {"flask": "With flask_ext", "django": "With django_ext"}.get(door.kind, "With wsgicors")


def option_fix(
    door: Door | None, options: Sequence[tuple[str, str]], note: str = "", call: bool = False
) -> tuple[str, str] | None:
    """("With ...", text) setting ``options`` (name, Python literal) in the door's vocabulary, or None.

    For the WSGI middleware the options alone (``headers=[..., 'x-a']``), or with ``call`` the whole
    ``CORSMiddleware(app, ...)``."""
    if door is None or door.kind == "starlette" or not (door.ours or door.kind in ("flask", "django")):
        return None
    if door.kind == "flask":
        keywords = ", ".join(f"{name}={value}" for name, value in options)
        keys = "; ".join(f'app.config["CORS_{name.upper()}"] = {value}' for name, value in options)
        text = f"CORS(app, {keywords}), or {keys}"
    elif door.kind == "django":
        text = "in settings, " + "; ".join(f'CORS["{name}"] = {value}' for name, value in options)
    else:
        text = ", ".join(f"{name}={value}" for name, value in options)
        text = f"CORSMiddleware(app, {text})" if call else text
    return _label(door), text + (f" {note}" if note else "")


def order_fix(door: Door | None, what: str) -> tuple[str, str] | None:
    """("With ...", text) putting the CORS layer in front of ``what`` (auth, routing, a redirect)."""
    if door is None or door.kind == "starlette" or not (door.ours or door.kind in ("flask", "django")):
        return None
    text = {
        "flask": f"CORS(app, ...) answers preflights before the views run; keep {what} out of OPTIONS requests "
        "(a before_request hook registered ahead of it runs first)",
        "django": f"django_ext's CORSMiddleware first in MIDDLEWARE, ahead of {what} (CommonMiddleware's "
        "APPEND_SLASH redirects too)",
    }.get(door.kind, f"CORSMiddleware outermost, around {what} (Django: first in MIDDLEWARE)")
    return _label(door), text
