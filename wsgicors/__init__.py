"""wsgicors: Kong's CORS plugin for Python web apps, the framework-free core.

``Policy`` holds validated options, ``decide`` is the pure decision function,
``CORSMiddleware`` is the WSGI door.

``__all__`` is the stable API: what a user writes (``Policy``, ``CORSMiddleware``,
``Route``, the engine's ``decide``/``decide_request``) or catches
(``CORSConfigError``, ``CORSConfigWarning``). The doors' building blocks
(``wsgicors.headers``, ``wsgicors.routes``, ``wsgicors.decision``) are imported
from their modules.
"""

from ._version import __version__
from .decision import Decision, Kind
from .engine import decide, decide_request, evaluate, explain
from .errors import CORSConfigError
from .middleware import CORSMiddleware
from .options import DEFAULT_METHODS, OPTION_NAMES, CORSConfigWarning, Options
from .origins import is_serialized_origin
from .policy import Policy
from .routes import Route

__all__ = [
    "__version__",
    "DEFAULT_METHODS",
    "OPTION_NAMES",
    "CORSConfigError",
    "CORSConfigWarning",
    "CORSMiddleware",
    "Decision",
    "Kind",
    "Options",
    "Policy",
    "Route",
    "decide",
    "decide_request",
    "evaluate",
    "explain",
    "is_serialized_origin",
]
