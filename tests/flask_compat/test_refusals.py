"""Every refusal: a CORSConfigError at start-up naming the flask-cors option as written, with the fix
in flask-cors's and flask_ext's vocabulary (and, for a risky regex, the look-alike it lets in)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Blueprint, Flask

from flask_ext.compat import CORS, CORSConfigError, cross_origin

from .util import A, caught, make_app

pytestmark = pytest.mark.filterwarnings("ignore::wsgicors.CORSConfigWarning")

# (id, CORS(app, **options), app.config, option named, fragments of the message)
REFUSALS: list[tuple[str, dict[str, Any], dict[str, Any], str, tuple[str, ...]]] = [
    (
        "credentials-default-origins",
        {"supports_credentials": True},
        {},
        "supports_credentials",
        (
            "origins left at flask-cors's default '*'",
            "Fix: list the trusted origins: origins=['https://app.example.com']",
        ),
    ),
    (
        "credentials-null-origin",
        {"origins": ["https://app.example.com", "null"], "supports_credentials": True},
        {},
        "origins",
        ("sandboxed iframe", "supports_credentials=False"),
    ),
    (
        "credentials-star-origins",
        {"origins": "*", "supports_credentials": True},
        {},
        "supports_credentials",
        ("with origins='*'",),
    ),
    (
        "credentials-send-wildcard",
        {"origins": "*", "supports_credentials": True, "send_wildcard": True},
        {},
        "supports_credentials",
        ("echoes any Origin",),
    ),
    (
        "credentials-from-config",
        {},
        {"CORS_SUPPORTS_CREDENTIALS": True},
        "app.config['CORS_SUPPORTS_CREDENTIALS']",
        ("origins left at flask-cors's default",),
    ),
    (
        "credentials-in-resource",
        {"resources": {r"/api/*": {"supports_credentials": True}}},
        {},
        "resources['/api/*']['supports_credentials']",
        ("(in resources['/api/*'])",),
    ),
    (
        "regex-without-scheme",
        {"origins": [r".*.example.com"]},
        {},
        "origins",
        (
            "literal scheme",
            "'https://evil-example.com'",
            r'r"https://([a-z0-9-]+\.)+example\.com$"',
        ),
    ),
    (
        "regex-bare-dot",
        {"origins": r"https://(www|api).example.com"},
        {},
        "origins",
        (
            "bare '.'",
            "'https://www-example.com'",
            r'r"https://(www|api)\.example\.com$"',
        ),
    ),
    (
        "regex-compiled-bare-dot",
        {"origins": re.compile(r"http://example\d+.com")},
        {},
        "origins",
        # Escaping the dots is not enough here: example<digits>.com is a name anyone can register.
        ("bare '.'", "'http://example1-com'", "'http://example.com'", r'r"http://([a-z0-9-]+\.)+example\.com$"'),
    ),
    (
        "regex-backtracking",
        {"origins": r"https://([a-z0-9]+)+\.example\.com"},
        {},
        "origins",
        ("backtrack", r'r"https://([a-z0-9-]+\.)+example\.com$"'),
    ),
    (
        "regex-in-resource",
        {"resources": {"/api/*": {"origins": r".*\.example\.com"}}},
        {},
        "resources['/api/*']['origins']",
        ("'https://evil.example.com'",),
    ),
    (
        "wildcard-written-for-flask-cors",
        {"origins": "https://*.example.com"},
        {},
        "origins",
        (
            "not as a subdomain wildcard",
            "flask-cors#206",
            r'Fix: write r"https://([a-z0-9-]+\.)+example\.com$"',
        ),
    ),
    (
        "any-port-written-for-flask-cors",
        {"origins": ["http://localhost:*"]},
        {},
        "origins",
        ("any number of colons", r'Fix: write r"http://localhost(:[0-9]+)?$"'),
    ),
    ("regex-bytes", {"origins": re.compile(rb"https://a")}, {}, "origins", ("bytes pattern",)),
    ("regex-invalid", {"origins": "https://(a"}, {}, "origins", ("invalid regular expression",)),
    ("regex-from-config", {}, {"CORS_ORIGINS": r".*\.example\.com"}, "app.config['CORS_ORIGINS']", ("literal scheme",)),
    ("origin-without-scheme", {"origins": "a.example"}, {}, "origins", ("no scheme", "https://a.example")),
    ("origin-with-path", {"origins": "https://a.example/app"}, {}, "origins", ("an origin has no path",)),
    ("origin-wrong-type", {"origins": [5]}, {}, "origins", ("each origin must be",)),
    ("allow-headers-invalid-regex", {"allow_headers": [r"X-(A"]}, {}, "allow_headers", ("invalid regular",)),
    ("allow-headers-backtracking", {"allow_headers": re.compile("(x+)+")}, {}, "allow_headers", ("backtrack",)),
    ("allow-headers-bytes", {"allow_headers": [re.compile(b"x")]}, {}, "allow_headers", ("compiled re.Pattern",)),
    (
        "allow-headers-bad-token",
        {"allow_headers": ["X A"]},
        {},
        "allow_headers",
        ("not a header name", "Fix: allow_headers=['Content-Type']"),
    ),
    (
        "credentials-string-false",
        {"origins": A, "supports_credentials": "false"},
        {},
        "supports_credentials",
        ("must be True or False", "'false' too", "Fix: supports_credentials=False"),
    ),
    (
        "credentials-string-false-config",
        {"origins": A},
        {"CORS_SUPPORTS_CREDENTIALS": "false"},
        "app.config['CORS_SUPPORTS_CREDENTIALS']",
        ("Fix: app.config['CORS_SUPPORTS_CREDENTIALS'] = False",),
    ),
    (
        "credentials-string-true-in-resource",
        {"resources": {"/api/*": {"origins": A, "supports_credentials": "True"}}},
        {},
        "resources['/api/*']['supports_credentials']",
        ("Fix: resources['/api/*']['supports_credentials'] = True",),
    ),
    ("always-send-int", {"always_send": 0}, {}, "always_send", ("Fix: always_send=False",)),
    ("send-wildcard-none", {"send_wildcard": None}, {}, "send_wildcard", ("Fix: send_wildcard=False",)),
    (
        "private-network-string",
        {"allow_private_network": "yes"},
        {},
        "allow_private_network",
        ("Fix: allow_private_network=True",),
    ),
    ("unknown-keyword", {"origin": A}, {}, "origin", ("unknown option", "did you mean 'origins'?")),
    (
        "unknown-native-keyword",
        {"origins": A, "credentials": True},
        {},
        "credentials",
        ("flask_ext's native name", "use 'supports_credentials'"),
    ),
    (
        "unknown-in-resource",
        {"resources": {"/api/*": {"origin": A}}, "origins": A},
        {},
        "resources['/api/*']['origin']",
        ("'origins'",),
    ),
    ("unknown-config-key", {}, {"CORS_ORIGIN": A}, "app.config['CORS_ORIGIN']", ("'CORS_ORIGINS'",)),
    (
        "config-native-key",
        {},
        {"CORS_CREDENTIALS": True},
        "app.config['CORS_CREDENTIALS']",
        ("'CORS_SUPPORTS_CREDENTIALS'",),
    ),
    (
        "config-cors-headers",
        {},
        {"CORS_HEADERS": "Content-Type"},
        "app.config['CORS_HEADERS']",
        ("CORS_ALLOW_HEADERS",),
    ),
    ("methods-bad-token", {"methods": ["GET POST"]}, {}, "methods", ("not a valid HTTP token",)),
    ("max-age-words", {"max_age": "ten minutes"}, {}, "max_age", ("an int, a numeric string or a timedelta",)),
    ("max-age-negative", {"max_age": -1}, {}, "max_age", (">= 0",)),
    ("max-age-config", {}, {"CORS_MAX_AGE": 1.5}, "app.config['CORS_MAX_AGE']", ("numeric string",)),
    ("resources-int", {"resources": 5}, {}, "resources", ("a dict of path pattern",)),
    ("resources-bad-regex", {"resources": {"/api/(": {}}}, {}, "resources['/api/(']", ("invalid regular expression",)),
    ("resources-bad-options", {"resources": {"/api/*": "all"}}, {}, "resources['/api/*']", ("must be a dict",)),
    ("resources-int-key", {"resources": [5]}, {}, "resources[5]", ("path pattern string",)),
]


@pytest.mark.parametrize(
    ("options", "config", "option", "fragments"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_refusal(options: dict[str, Any], config: dict[str, Any], option: str, fragments: tuple[str, ...]) -> None:
    app = make_app(config)
    with pytest.raises(CORSConfigError) as raised:
        CORS(app, **options)
    assert raised.value.option == option
    message = str(raised.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"


def test_refusal_is_a_value_error_and_leaves_the_app_untouched() -> None:
    app = make_app()
    wsgi_app = app.wsgi_app
    with pytest.raises(ValueError):
        CORS(app, supports_credentials=True)
    assert app.wsgi_app == wsgi_app
    assert "corsgate" not in app.extensions
    assert app.test_client().get("/x", headers={"Origin": A}).headers.get("Access-Control-Allow-Origin") is None


def test_each_resource_is_judged_on_its_own() -> None:
    """Keyword options are each resource's defaults: credentials with the resource's own origins is fine."""
    app = make_app()
    CORS(app, resources={r"/api/*": {"origins": [A]}}, supports_credentials=True)
    response = app.test_client().get("/api/v1/x", headers={"Origin": A})
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    with pytest.raises(CORSConfigError) as raised:
        CORS(make_app(), resources={r"/api/*": {"origins": [A]}, "/other": {}}, supports_credentials=True)
    assert raised.value.option == "supports_credentials"
    assert "(in resources['/other'])" in str(raised.value)


def test_decorator_refuses_at_decoration() -> None:
    """A refused cross_origin fails where the module is imported, not on the first request."""
    with pytest.raises(CORSConfigError) as raised:
        cross_origin(supports_credentials=True)
    assert raised.value.option == "supports_credentials"
    assert "(in cross_origin(...))" in str(raised.value)
    with pytest.raises(CORSConfigError, match="literal scheme"):
        cross_origin(origins=[r".*\.example\.com"])


def test_decorator_refusal_from_app_config_at_first_request() -> None:
    """A decorator cannot see app.config before a request: a refusal it causes comes then (a 500)."""
    app = Flask(__name__)
    app.config.update(CORS_SUPPORTS_CREDENTIALS=True, PROPAGATE_EXCEPTIONS=True)

    @app.route("/v")
    @cross_origin()
    def view() -> str:
        return "v"

    with pytest.raises(CORSConfigError, match=r"app\.config"):
        app.test_client().get("/v", headers={"Origin": A})


def test_blueprint_refuses_at_cors_call() -> None:
    blueprint = Blueprint("bp", __name__)
    with pytest.raises(CORSConfigError):
        CORS(blueprint, supports_credentials=True)


def test_warnings_found_before_a_refusal_are_still_given() -> None:
    def refused() -> None:
        with pytest.raises(CORSConfigError):
            CORS(make_app(), origins="a.example", methods="*")

    _, messages = caught(refused)
    assert [m for m in messages if "[D8] methods" in m]
