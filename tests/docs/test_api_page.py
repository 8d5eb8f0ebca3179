"""What is public: each package's ``__all__`` is what a user writes or catches, and the API reference documents it."""

from __future__ import annotations

import importlib
import importlib.util
import re
import subprocess
import sys

import pytest

from .examples import DOCS

# The stable API (docs/api/index.md, "What is stable"); internals are imported from their modules.
STABLE = {
    "wsgicors": {
        "__version__", "DEFAULT_METHODS", "OPTION_NAMES", "CORSConfigError", "CORSConfigWarning", "CORSMiddleware",
        "Decision", "Kind", "Options", "Policy", "Route", "decide", "decide_request", "evaluate", "explain",
        "is_serialized_origin",
    },
    "flask_ext": {"CONFIG_KEYS", "CORS", "EXTENSION_KEY", "VIEW_ATTRIBUTE", "CORSConfigError", "cross_origin"},
    "flask_ext.compat": {"ALL_METHODS", "CORS", "CORSConfigError", "CORSConfigWarning", "cross_origin"},
    "django_ext": {"cross_origin"},
    "django_ext.compat": {"CorsMiddleware"},
    "asgi_ext": {"CORSMiddleware"},
    "asgi_ext.compat": {"ALL_METHODS", "SAFELISTED_HEADERS", "CORSMiddleware"},
}  # fmt: skip
PAGES = {
    "wsgicors": "wsgicors.md",
    "wsgicors.doctor": "doctor.md",
    "flask_ext": "flask_ext.md",
    "flask_ext.compat": "flask_ext.md",
    "django_ext": "django_ext.md",
    "django_ext.compat": "django_ext.md",
    "asgi_ext": "asgi_ext.md",
    "asgi_ext.compat": "asgi_ext.md",
}


@pytest.mark.parametrize("package", sorted(STABLE))
def test_all_is_the_stable_api(package: str) -> None:
    assert set(importlib.import_module(package).__all__) == STABLE[package]


def test_internals_are_not_exported_by_the_core() -> None:
    import wsgicors

    for name in ("apply_headers", "make_decision", "merge_vary", "routing_method", "select_policy", "exposed_names"):
        assert name not in wsgicors.__all__
        assert not hasattr(wsgicors, name), name


def test_django_ext_imports_without_settings() -> None:
    """INSTALLED_APPS imports the package before settings are ready: it must touch neither settings nor models."""
    code = "import django_ext, django.conf; print(django_ext.cross_origin.__module__, django.conf.settings.configured)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env={})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["django_ext.decorators", "False"]


def _documented(package: str) -> bool:
    """Every name of the package's ``__all__`` has an entry on its API page (or a sentence saying what it is)."""
    text = (DOCS / "api" / PAGES[package]).read_text(encoding="utf-8")
    module = importlib.import_module(package)
    directive = re.search(rf"\.\. automodule:: {re.escape(package)}\n((?:   :.*\n)*)", text)
    options = directive[1] if directive else ""
    excluded = (
        set(re.findall(r"[\w.]+", options.split(":exclude-members:")[1].split("\n")[0]))
        if (":exclude-members:" in options)
        else set()
    )
    missing = []
    for name in module.__all__:
        covered_by_members = ":members:" in options and name not in excluded
        named = f"{package}.{name}" in text or (name in excluded and f"`{package}.{name}`" in text)
        if not (covered_by_members or named):
            missing.append(name)
    assert not missing, f"{package}: {missing}"
    return True


@pytest.mark.parametrize("package", sorted(PAGES))
def test_every_public_name_is_in_the_api_reference(package: str) -> None:
    if importlib.util.find_spec(package.split(".")[0]) is None:
        pytest.skip(f"{package} is not part of this checkout")
    assert _documented(package)


def test_the_benchmark_plot_in_the_docs_is_the_committed_one() -> None:
    plot = DOCS.parent / "benchmarks" / "overhead.png"
    if not plot.exists():
        pytest.skip("benchmarks/ is not in the sdist")
    assert (DOCS / "_static" / "overhead.png").read_bytes() == plot.read_bytes()
