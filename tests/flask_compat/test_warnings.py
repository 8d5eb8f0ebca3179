"""Every start-up announcement: one CORSConfigWarning per behaviour change, naming the option and the change."""

from __future__ import annotations

import re
import warnings
from typing import Any

import pytest

from flask_ext.compat import CORS, cross_origin
from wsgicors import CORSConfigWarning

from .util import A, caught, compat_app, make_app

# (id, CORS(app, **options), app.config, expected warnings as (code, option) pairs, a fragment of each)
WARNINGS: list[tuple[str, dict[str, Any], dict[str, Any], list[tuple[str, str, str]]]] = [
    # A browser decides the same: no warning (the docs list these representation differences).
    ("no-d1-default", {}, {}, []),
    ("no-d1-explicit-star", {"origins": "*"}, {}, []),
    ("no-d1-send-wildcard", {"send_wildcard": True}, {}, []),
    ("no-d1-config", {"send_wildcard": True}, {"CORS_SEND_WILDCARD": False}, []),
    ("no-d5-vary-header", {"origins": A, "vary_header": False}, {}, []),
    ("no-d6-allow-headers", {"origins": A, "allow_headers": ["X-A", r"X-B-.*"]}, {}, []),
    ("no-d7-private-network", {"origins": A, "allow_private_network": True}, {}, []),
    ("no-d14-max-age-zero", {"origins": A, "max_age": 0}, {}, []),
    ("no-d3-anchored-regex", {"origins": r"https://[a-z]+\.example$"}, {}, []),
    ("no-d3-any-port", {"origins": r"http://127\.0\.0\.1(:[0-9]+)?$"}, {}, []),
    ("ipv6-literal", {"origins": "http://[::1]:8080"}, {}, []),
    # A browser decides differently: a warning, with what to write instead.
    (
        "d3-regex",
        {"origins": r"https://[a-z]+\.example"},
        {},
        [("D3", "origins", "let 'https://a.example.evil.example' in")],
    ),
    (
        "d3-port-no-longer-matches",
        {"origins": r"http://127\.0\.0\.1"},
        {},
        [("D3", "origins", "'http://127.0.0.1:8080' no longer matches")],
    ),
    ("d3-compiled", {"origins": [re.compile(r"https://a\.example")]}, {}, [("D3", "origins", "start only")]),
    ("d4-default-port", {"origins": "https://a.example:443"}, {}, [("D4", "origins", "write 'https://a.example'")]),
    ("d4-case-only-is-no-change", {"origins": "HTTPS://A.EXAMPLE"}, {}, []),
    ("d8-methods-star", {"origins": A, "methods": "*"}, {}, [("D8", "methods", "flask-cors#199")]),
    (
        "d13-expose-star-credentials",
        {"origins": A, "supports_credentials": True, "expose_headers": "*"},
        {},
        [("D13", "expose_headers", "own header names")],
    ),
    (
        "intercept-exceptions",
        {"origins": A, "intercept_exceptions": False},
        {},
        [("ignored", "intercept_exceptions", "no effect")],
    ),
    (
        "ignored-in-resource",
        {"resources": {"/api/*": {"intercept_exceptions": False}}, "origins": A},
        {},
        [("ignored", "resources['/api/*']['intercept_exceptions']", "inside a resource")],
    ),
]


@pytest.mark.parametrize(("options", "config", "expected"), [w[1:] for w in WARNINGS], ids=[w[0] for w in WARNINGS])
def test_announcements(options: dict[str, Any], config: dict[str, Any], expected: list[tuple[str, str, str]]) -> None:
    _, messages = compat_app(config, **options)
    assert len(messages) == len(expected), messages
    for message, (code, option, fragment) in zip(messages, expected, strict=True):
        assert message.startswith(f"flask_ext.compat [{code}] {option}: "), message
        assert fragment in message, message


def test_warnings_point_at_the_users_line() -> None:
    app = make_app()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        CORS(app, origins=A, methods="*")  # the line the warning must name
    (warning,) = [w for w in seen if issubclass(w.category, CORSConfigWarning)]
    assert warning.filename == __file__
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")

        @cross_origin(methods="*")
        def view() -> str:
            return "v"

    (warning,) = [w for w in seen if issubclass(w.category, CORSConfigWarning)]
    assert warning.filename == __file__


def test_one_warning_per_change_and_option_across_resources() -> None:
    """Three resources with the same regex give one D3 for each as written, never a DeprecationWarning."""
    resources = {f"/r{i}": {"origins": r"https://[a-z]+\.example"} for i in range(3)}
    _, messages = caught(lambda: CORS(make_app(), resources=resources, send_wildcard=True))
    assert sorted(m.split(":")[0] for m in messages) == [
        f"flask_ext.compat [D3] resources['/r{i}']['origins']" for i in range(3)
    ]


def test_decorator_announcements() -> None:
    _, messages = caught(lambda: cross_origin(origins=A, resources="/x", intercept_exceptions=True))
    assert [m.split(":")[0] for m in messages] == [
        "flask_ext.compat [ignored] cross_origin",
        "flask_ext.compat [ignored] cross_origin",
    ]
    assert "has no effect" in messages[0]


def test_decorator_positional_arguments_are_ignored() -> None:
    _, messages = caught(lambda: cross_origin("https://a.example", origins=A))
    assert messages == [
        "flask_ext.compat [ignored] cross_origin: positional arguments ('https://a.example',) "
        "are ignored (as in flask-cors)"
    ]
