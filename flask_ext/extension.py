"""The extension object: ``CORS(app, **options)``, ``CORS(**options).init_app(app)``, ``CORS(blueprint)``."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Unpack

from flask import Blueprint, Flask

from wsgicors.clash import warn_if_clashing
from wsgicors.options import Options, documented

from .config import Layer, check_names
from .door import door_of

if TYPE_CHECKING:
    from flask.blueprints import BlueprintSetupState

__all__ = ["CORS"]


@documented
class CORS:
    """CORS for a Flask app or blueprint: ``CORS(app, **options)`` or ``CORS(**options).init_app(app)``.

    Options are the core's (``wsgicors.OPTION_NAMES``). For an app, each can
    also come from ``app.config['CORS_<OPTION>']``; keyword arguments win.
    For a blueprint, the options override the app's for that blueprint's
    views (register the blueprint after ``CORS(blueprint, ...)``). One object
    may serve several apps; each app keeps its own state in
    ``app.extensions['corsgate']``.
    """

    def __init__(self, app: Flask | Blueprint | None = None, **options: Unpack[Options]) -> None:
        check_names(options, "CORS(...)")
        self.options: Mapping[str, Any] = MappingProxyType(dict(options))
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask | Blueprint) -> None:
        """Install on ``app`` (validating every option now), or record on a blueprint."""
        warn_if_clashing()
        if isinstance(app, Blueprint):
            app.record(self._register_blueprint)
            return
        door = door_of(app)
        door.configure(self.options)
        door.validate()

    def _register_blueprint(self, state: BlueprintSetupState) -> None:
        prefix = f"{state.name_prefix}.{state.name}".lstrip(".")
        app = state.app
        if not isinstance(app, Flask):  # pragma: no cover - Flask always passes itself
            raise TypeError(f"CORS on a blueprint needs a Flask app, got {app!r}")
        door = door_of(app)
        door.add_blueprint(prefix, Layer(self.options))
        door.validate()
