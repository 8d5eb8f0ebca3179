"""Every start-up announcement: one CORSConfigWarning per behaviour change, naming the option and the change."""

from __future__ import annotations

import re
import warnings
from typing import Any

import pytest

from flask_ext.compat import CORS, cross_origin
from wsgicors import CORSConfigWarning

from .util import A, B, caught, compat_app, make_app

# (id, CORS(app, **options), app.config, expected warnings as (code, option) pairs, a fragment of each)
WARNINGS: list[tuple[str, dict[str, Any], dict[str, Any], list[tuple[str, str, str]]]] = [
    ("d1-default", {}, {}, [("D1", "origins (flask-cors's default '*')", "not by echoing")]),
    ("d1-explicit-star", {"origins": "*"}, {}, [("D1", "origins", "send_wildcard=True")]),
    ("d1-silenced-by-send-wildcard", {"send_wildcard": True}, {}, []),
    ("d1-config", {"send_wildcard": True}, {"CORS_SEND_WILDCARD": False}, []),
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
        [("D3", "origins", "'http://127.0.0.1:8080' no longer matches (add '(:[0-9]+)?' for any port)")],
    ),
    ("d3-compiled", {"origins": [re.compile(r"https://a\.example")]}, {}, [("D3", "origins", "start only")]),
    ("d4-default-port", {"origins": "https://a.example:443"}, {}, [("D4", "origins", "'https://a.example'")]),
    ("d4-case-only-is-no-change", {"origins": "HTTPS://A.EXAMPLE"}, {}, []),
    ("d5-vary-header", {"origins": A, "vary_header": False}, {}, [("D5", "vary_header", "not honoured")]),
    ("d6-allow-headers", {"origins": A, "allow_headers": ["X-A"]}, {}, [("D6", "allow_headers", "every allowed")]),
    (
        "d7-private-network",
        {"origins": A, "allow_private_network": True},
        {},
        [("D7", "allow_private_network", "preflights")],
    ),
    ("d8-methods-star", {"origins": A, "methods": "*"}, {}, [("D8", "methods", "flask-cors#199")]),
    (
        "d13-expose-star-credentials",
        {"origins": A, "supports_credentials": True, "expose_headers": "*"},
        {},
        [("D13", "expose_headers", "own header names")],
    ),
    ("d14-max-age-zero", {"origins": A, "max_age": 0}, {}, [("D14", "max_age", "Max-Age: 0")]),
    (
        "intercept-exceptions",
        {"origins": A, "intercept_exceptions": False},
        {},
        [("ignored", "intercept_exceptions", "no effect")],
    ),
    (
        "unknown-support-credentials",
        {"origins": A, "support_credentials": True},
        {},
        [("unknown", "support_credentials", "'supports_credentials'")],
    ),
    ("unknown-ressources", {"origins": A, "ressources": {}}, {}, [("unknown", "ressources", "'resources'")]),
    ("unknown-origin", {"origins": A, "origin": B}, {}, [("unknown", "origin", "'origins'")]),
    (
        "unknown-native-name",
        {"origins": A, "credentials": True},
        {},
        [("unknown", "credentials", "use 'supports_credentials'")],
    ),
    (
        "unknown-in-resource",
        {"resources": {"/api/*": {"origin": A}}, "origins": A},
        {},
        [("unknown", "resources['/api/*']['origin']", "'origins'")],
    ),
    (
        "ignored-in-resource",
        {"resources": {"/api/*": {"intercept_exceptions": False}}, "origins": A},
        {},
        [("ignored", "resources['/api/*']['intercept_exceptions']", "inside a resource")],
    ),
    (
        "config-cors-headers",
        {"origins": A},
        {"CORS_HEADERS": "Content-Type"},
        [("ignored", "app.config['CORS_HEADERS']", "CORS_ALLOW_HEADERS")],
    ),
    (
        "config-native-key",
        {"origins": A},
        {"CORS_CREDENTIALS": True},
        [("ignored", "app.config['CORS_CREDENTIALS']", "'CORS_SUPPORTS_CREDENTIALS'")],
    ),
    (
        "config-misspelt-key",
        {"origins": A},
        {"CORS_ORIGIN": A},
        [("ignored", "app.config['CORS_ORIGIN']", "'CORS_ORIGINS'")],
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
        CORS(app)  # the line the warning must name
    (warning,) = [w for w in seen if issubclass(w.category, CORSConfigWarning)]
    assert warning.filename == __file__
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")

        @cross_origin(origins="*")
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
    _, messages = caught(lambda: cross_origin(origins=A, resources="/x", intercept_exceptions=True, ressources=1))
    assert [m.split(":")[0] for m in messages] == [
        "flask_ext.compat [unknown] cross_origin",
        "flask_ext.compat [ignored] cross_origin",
        "flask_ext.compat [ignored] cross_origin",
    ]
    assert "'resources'" in messages[0] and "has no effect" in messages[1]


def test_decorator_positional_arguments_are_ignored() -> None:
    _, messages = caught(lambda: cross_origin("https://a.example", origins=A))
    assert messages == [
        "flask_ext.compat [ignored] cross_origin: positional arguments ('https://a.example',) "
        "are ignored (as in flask-cors)"
    ]
