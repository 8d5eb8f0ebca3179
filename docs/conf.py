"""Sphinx configuration: furo, MyST Markdown pages, autodoc with type hints.

Built offline with warnings fatal (scripts/test):
``sphinx-build -W -n --keep-going -b html docs docs/_build/html``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))  # the checkout's packages, installed or not

from wsgicors import __version__  # noqa: E402

project = "corsgate"
author = "corsgate developers"
copyright = "corsgate developers"
release = __version__
version = __version__

extensions = ["myst_parser", "sphinx.ext.autodoc"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = f"corsgate {__version__}"
html_static_path = ["_static"]

# -- autodoc ------------------------------------------------------------------
autodoc_typehints = "signature"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True}

# Offline there is no intersphinx: references into the standard library, Flask,
# Django and typeshed cannot resolve. They are listed here on purpose, each one,
# so that a reference to a name of this project that does not resolve still fails
# the build (-n -W).
_EXTERNAL_CLASSES = [
    # standard library
    "Any", "Callable", "Iterable", "Iterator", "Mapping", "Sequence", "Awaitable", "Collection",
    "collections.abc.Callable", "collections.abc.Iterable", "collections.abc.Iterator",
    "collections.abc.Mapping", "collections.abc.Sequence", "collections.abc.Awaitable",
    "collections.abc.Collection", "collections.abc.MutableMapping", "MutableMapping",
    "typing.Any", "re.Pattern", "Pattern", "enum.StrEnum", "StrEnum",
    "ValueError", "UserWarning", "Warning", "Exception", "logging.Logger", "datetime.timedelta",
    "timedelta", "types.MappingProxyType", "MappingProxyType", "TypeVar", "importlib.metadata.Distribution",
    # typeshed's WSGI aliases (imported under TYPE_CHECKING only)
    "WSGIApplication", "WSGIEnvironment", "StartResponse", "OptExcInfo",
    "_typeshed.wsgi.WSGIApplication", "_typeshed.wsgi.WSGIEnvironment", "_typeshed.wsgi.StartResponse",
    # Flask and Werkzeug
    "Flask", "flask.Flask", "flask.app.Flask", "Blueprint", "flask.Blueprint", "flask.blueprints.Blueprint",
    "Response", "flask.Response", "werkzeug.wrappers.response.Response",
    # Django
    "HttpRequest", "HttpResponse", "HttpResponseBase", "django.http.HttpRequest", "django.http.HttpResponse",
    "django.http.response.HttpResponseBase", "django.http.response.HttpResponse",
    "django.http.request.HttpRequest", "django.dispatch.Signal", "Signal",
    "django.apps.AppConfig", "AppConfig", "CheckMessage", "django.core.checks.CheckMessage",
    "django.core.checks.messages.CheckMessage",
]  # fmt: skip
nitpick_ignore = [("py:class", name) for name in _EXTERNAL_CLASSES] + [
    ("py:data", "typing.Any"),
    ("py:obj", "typing.Any"),
    # Internal types that public signatures name: not part of the API, not documented.
    ("py:class", "wsgicors.decision._Draft"),
    ("py:class", "wsgicors.doctor.transport.Transport"),
    ("py:class", "wsgicors.doctor.outcome.AuditEntry"),
    ("py:class", "wsgicors.doctor.door.Door"),
    ("py:class", "wsgicors.options._Documented"),
    # Internal modules the engine's docstring names (see api/index.md, "What is stable").
    ("py:mod", "wsgicors.answers"),
    ("py:mod", "wsgicors.memo"),
]
nitpick_ignore_regex = [
    # Type variables (F, _F, T) in decorators' signatures.
    ("py:class", r"([\w.]+\.)?_?[A-Z]"),
]

# -- pages other parts of the project add -------------------------------------
# docs/asgi.md (the ASGI door) is named in the index's toctree. Until that page
# exists, the toctree's reference to a missing page is the warning silenced, and
# only then (the migrating/ and api/ pages come in by glob).
suppress_warnings: list[str] = []
if not (DOCS / "asgi.md").exists():
    suppress_warnings.append("toc.not_readable")
# The asgi_ext API page documents a package that may not be importable here:
# then the page is left out, and the API toctree's reference to it is silenced.
if importlib.util.find_spec("asgi_ext") is None:
    exclude_patterns.append("api/asgi_ext.md")
    suppress_warnings.append("toc.excluded")


# -- short references in docstrings -------------------------------------------
# Docstrings name the project's objects as their module sees them
# (:class:`CORSConfigError` in django_ext.conf, :func:`make_decision` in
# wsgicors.decision). When such a reference does not resolve as written, it is
# resolved to the one documented object of this project whose dotted name ends
# with it; a name that is ambiguous or not documented stays a warning.
_PROJECT = ("wsgicors.", "flask_ext.", "django_ext.", "asgi_ext.")


def _resolve_short_name(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"].lstrip(".~")
    domain = env.get_domain("py")
    found = {
        obj.node_id and name
        for name, obj in domain.objects.items()
        if name.startswith(_PROJECT) and not obj.aliased and (name == target or name.endswith("." + target))
    }
    found.discard("")
    if len(found) > 1:  # prefer the object seen from the referring module or a package above it
        module = node.get("py:module") or ""
        ancestors = {module.rsplit(".", i)[0] for i in range(module.count(".") + 1)} if module else set()
        found = {name for name in found if name.removesuffix("." + target) in ancestors}
    if len(found) != 1:
        return None
    (name,) = found
    from sphinx.util.nodes import make_refnode

    obj = domain.objects[name]
    return make_refnode(app.builder, node["refdoc"], obj.docname, obj.node_id, contnode, name)


def _dataclass_factories(
    app: Any, what: str, name: str, obj: Any, options: Any, signature: str | None, return_annotation: str | None
) -> tuple[str | None, str | None]:
    """A dataclass field's ``default_factory`` shows as ``<factory>``, which is not Python:
    Sphinx then splits the signature at every comma (``list[tuple[str, str]]`` breaks).
    Show it as ``...`` instead, which parses."""
    if signature and "<factory>" in signature:
        signature = signature.replace("<factory>", "...")
    return signature, return_annotation


def setup(app: Any) -> None:
    app.connect("missing-reference", _resolve_short_name)
    app.connect("autodoc-process-signature", _dataclass_factories)
