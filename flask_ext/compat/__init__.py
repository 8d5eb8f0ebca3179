"""flask-cors 6's API on corsgate's engine: change one import, keep your options.

``from flask_ext.compat import CORS, cross_origin`` takes flask-cors's keyword
options, ``CORS_*`` config keys, defaults and precedence, and translates them
into ``flask_ext``'s policies (``resources`` into the core's routes); the engine
decides every request. Where corsgate differs on purpose (docs:
migrating/flask-cors.md), a refusal raises :class:`CORSConfigError` at start-up
and every other change is announced by a :class:`CORSConfigWarning`.

Modules: ``names`` (flask-cors's option names, defaults, config keys),
``config`` (reading ``app.config``), ``patterns`` (flask-cors's reading of
values that may hold regexes), ``origins`` (``origins`` -> the core's),
``translate`` (the other option values, and building the policy),
``resources`` (``resources`` -> route paths, in flask-cors's order),
``wsgicors.compat_advice`` (look-alikes and fixes for refused regexes), ``notices`` (the
warnings), ``extension`` (``CORS``), ``decorator`` (``cross_origin``).
"""

from __future__ import annotations

from wsgicors import CORSConfigError, CORSConfigWarning

from .decorator import cross_origin
from .extension import CORS
from .names import ALL_METHODS

__all__ = ["ALL_METHODS", "CORS", "CORSConfigError", "CORSConfigWarning", "cross_origin"]
