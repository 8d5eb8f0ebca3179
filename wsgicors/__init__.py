"""wsgicors: Kong's CORS plugin for Python web apps, the framework-free core.

``Policy`` holds validated options, ``decide`` is the pure decision function,
``CORSMiddleware`` is the WSGI door.
"""

from ._version import __version__
from .decision import Decision, Kind, make_decision
from .engine import decide, decide_request, evaluate, explain, routing_method, select_policy
from .errors import CORSConfigError
from .headers import apply_headers, exposed_names, merge_vary
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
    "apply_headers",
    "decide",
    "decide_request",
    "evaluate",
    "explain",
    "exposed_names",
    "is_serialized_origin",
    "make_decision",
    "merge_vary",
    "routing_method",
    "select_policy",
]
