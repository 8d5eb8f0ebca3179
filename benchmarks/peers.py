"""The peer libraries: wsgicors 0.7 (PyPI, same module name as our core), flask-cors, django-cors-headers."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from .common import ALLOW_HEADERS, EXPOSE_HEADERS, MAX_AGE, METHODS, WILDCARD, PolicySpec, WSGIApp

PEERS_DIR = Path(__file__).resolve().parent / "_peers"
WSGICORS07_DIR = PEERS_DIR / "wsgicors07"
WSGICORS07_FILE = WSGICORS07_DIR / "wsgicors.py"
WSGICORS07_VERSION = "0.7.0"


def ensure_wsgicors07() -> Path:
    """Install wsgicors 0.7 into benchmarks/_peers (git-ignored) unless it is there."""
    if not WSGICORS07_FILE.exists():
        print(f"installing wsgicors=={WSGICORS07_VERSION} into {WSGICORS07_DIR}", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "--no-deps",
                "--target",
                str(WSGICORS07_DIR),
                f"wsgicors=={WSGICORS07_VERSION}",
            ],
            check=True,
        )
    return WSGICORS07_FILE


_loaded: ModuleType | None = None


def load_wsgicors07() -> ModuleType:
    """wsgicors 0.7 under the module name ``wsgicors07`` (ours is ``wsgicors``)."""
    global _loaded
    if _loaded is None:
        spec = importlib.util.spec_from_file_location("wsgicors07", ensure_wsgicors07())
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["wsgicors07"] = module
        spec.loader.exec_module(module)
        _loaded = module
    return _loaded


def wsgicors07_options(policy: PolicySpec) -> tuple[dict[str, str], str]:
    """wsgicors 0.7's keywords for ``policy`` and a note on how close they come.

    0.7 matches origins with fnmatch only (no regex), so the ``~regex`` policy
    is given as the equivalent fnmatch pattern.
    """
    if policy.exact:
        origin, note = " ".join(policy.exact), "same"
    elif policy.wildcard:
        origin, note = policy.wildcard, "fnmatch pattern"
    else:
        origin, note = WILDCARD, "no regex support: fnmatch stand-in"
    return (
        {
            "origin": origin,
            "methods": ", ".join(METHODS),
            "headers": ", ".join(ALLOW_HEADERS),
            "expose_headers": ", ".join(EXPOSE_HEADERS),
            "maxage": str(MAX_AGE),
        },
        note,
    )


def wsgicors07_app(app: WSGIApp, policy: PolicySpec) -> WSGIApp:
    options, _ = wsgicors07_options(policy)
    middleware: WSGIApp = load_wsgicors07().CORS(app, **options)
    return middleware


def flask_cors_options(policy: PolicySpec) -> dict[str, Any]:
    """flask-cors 6 keywords: exact origins as strings, patterns as regexes (re.match, so anchored with $)."""
    if policy.exact:
        origins: list[str] = list(policy.exact)
    else:
        origins = [r"https://[a-z0-9-]+\.example\.com$"]
    return {
        "origins": origins,
        "methods": METHODS,
        "allow_headers": ALLOW_HEADERS,
        "expose_headers": EXPOSE_HEADERS,
        "max_age": MAX_AGE,
    }


def django_cors_headers_settings(policy: PolicySpec) -> dict[str, Any]:
    """django-cors-headers 4 settings for ``policy`` (patterns as CORS_ALLOWED_ORIGIN_REGEXES)."""
    settings: dict[str, Any] = {
        "CORS_ALLOWED_ORIGINS": list(policy.exact),
        "CORS_ALLOWED_ORIGIN_REGEXES": [] if policy.exact else [r"^https://[a-z0-9-]+\.example\.com$"],
        "CORS_ALLOW_METHODS": METHODS,
        "CORS_ALLOW_HEADERS": [h.lower() for h in ALLOW_HEADERS],
        "CORS_EXPOSE_HEADERS": EXPOSE_HEADERS,
        "CORS_PREFLIGHT_MAX_AGE": MAX_AGE,
    }
    return settings
