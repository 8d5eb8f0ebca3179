"""Policy construction: defaults, normalisation, and every refusal with its message."""

from __future__ import annotations

import re
import warnings

import pytest

from wsgicors import DEFAULT_METHODS, CORSConfigError, CORSConfigWarning, Policy, Route


def test_defaults_are_kongs() -> None:
    policy = Policy()
    assert policy.matcher.any is True
    assert policy.methods == frozenset(DEFAULT_METHODS)
    assert policy.methods_value == "GET, HEAD, PUT, PATCH, POST, DELETE, OPTIONS, TRACE, CONNECT"
    assert policy.allowed_headers is None  # echo Access-Control-Request-Headers
    assert policy.credentials is False
    assert policy.max_age is None
    assert policy.private_network is False
    assert policy.preflight_continue is False
    assert policy.allow_origin_absent is True
    assert policy.preflight_status == 200
    assert policy.routes is None


@pytest.mark.parametrize(
    ("entry", "normal"),
    [
        ("https://example.com", "https://example.com"),
        ("HTTPS://Example.COM", "https://example.com"),
        ("https://example.com:443", "https://example.com"),
        ("http://example.com:80", "http://example.com"),
        ("https://example.com/", "https://example.com"),
        ("https://example.com:8443", "https://example.com:8443"),
        ("http://127.0.0.1:3000", "http://127.0.0.1:3000"),
        ("http://[::1]:3000", "http://[::1]:3000"),
        ("chrome-extension://abcdefghijklmnop", "chrome-extension://abcdefghijklmnop"),
        ("null", "null"),
    ],
)
def test_exact_origins_are_normalised(entry: str, normal: str) -> None:
    assert Policy(origins=[entry]).matcher.exact == frozenset([normal])


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ("example.com", "no scheme"),
        ("https://example.com/app", "no path"),
        ("https://example.com?x=1", "no query"),
        ("https://example.com#top", "no fragment"),
        ("https://user@example.com", "no user info"),
        (" https://example.com", "whitespace"),
        ("https://exa mple.com", "not a valid origin"),
        ("https://example.com:99999", "not a valid origin"),
        ("https://*.com", "top-level domain"),
        ("https://a.*.example.com", "first label"),
        ("*.example.com", "first label"),
        ("~https://(a+)+\\.com", "backtrack"),
        ("~https://(www|api).example.com", "bare '.'"),
        ("~(.*\\.)?example\\.com", "literal scheme"),
        ("~https://[", "invalid regular expression"),
    ],
)
def test_bad_origin_entries_are_refused_with_a_hint(entry: str, words: str) -> None:
    with pytest.raises(CORSConfigError) as info:
        Policy(origins=[entry])
    message = str(info.value)
    assert words in message
    assert "'origins'" in message
    assert "Fix:" in message
    assert info.value.option == "origins"


def test_star_with_credentials_is_refused() -> None:
    with pytest.raises(CORSConfigError, match="credentials") as info:
        Policy(origins="*", credentials=True)
    assert info.value.option == "origins"


def test_star_beside_other_entries_is_refused() -> None:
    with pytest.raises(CORSConfigError, match="alone"):
        Policy(origins=["*", "https://a.example"])


def test_empty_origin_list_allows_nothing() -> None:
    policy = Policy(origins=[])
    assert policy.matcher.any is False and policy.matcher.exact == frozenset()


@pytest.mark.parametrize(
    ("options", "option"),
    [
        ({"credentials": "true"}, "credentials"),
        ({"private_network": 1}, "private_network"),
        ({"preflight_continue": None}, "preflight_continue"),
        ({"allow_origin_absent": "no"}, "allow_origin_absent"),
        ({"max_age": -1}, "max_age"),
        ({"max_age": "600"}, "max_age"),
        ({"max_age": True}, "max_age"),
        ({"preflight_status": 404}, "preflight_status"),
        ({"preflight_status": "200"}, "preflight_status"),
        ({"methods": ["GET POST"]}, "methods"),
        ({"methods": 5}, "methods"),
        ({"headers": ["X-Ok", "bad header"]}, "headers"),
        ({"exposed_headers": ["a\r\nb"]}, "exposed_headers"),
        ({"methods": ["*", "GET"]}, "methods"),
        ({"origins": 42}, "origins"),
        ({"origins": [42]}, "origins"),
        ({"routes": "/api"}, "routes"),
        ({"routes": [{"paths": "api"}]}, "routes[0].paths"),
        ({"routes": [{"path": ["/api"]}]}, 'routes[0]["path"]'),
        ({"routes": [{"paths": ["/api"]}, {"paths": ["/b"], "credential": True}]}, 'routes[1]["credential"]'),
        ({"routes": [{"paths": ["/api"], "routes": []}]}, 'routes[0]["routes"]'),
        ({"origin": ["https://a.example"]}, "origin"),
    ],
)
def test_invalid_options_name_the_option(options: dict[str, object], option: str) -> None:
    with pytest.raises(CORSConfigError) as info:
        Policy(**options)
    assert info.value.option == option
    assert repr(option) in str(info.value)


def test_misspelt_option_suggests_the_right_one() -> None:
    with pytest.raises(CORSConfigError, match="did you mean 'origins'"):
        Policy(origin=["https://a.example"])
    with pytest.raises(CORSConfigError) as info:
        Policy(routes=[{"paths": ["/api"], "credential": True}])
    assert info.value.fix == 'did you mean routes[0]["credentials"]?'
    with pytest.raises(CORSConfigError) as info:
        Policy(expose_headers=["X-Id"])
    assert info.value.fix == "'expose_headers' is flask-cors's name: use exposed_headers=['X-Id']"
    with pytest.raises(CORSConfigError) as info:  # a Route built directly has no index
        Route(paths=["/api"], credential=True)
    assert info.value.option == "routes[].credential"
    assert info.value.fix == "did you mean 'credentials'?"


def test_route_override_is_validated_like_the_top_level() -> None:
    with pytest.raises(CORSConfigError) as info:
        Policy(origins="*", routes=[{"paths": ["/private"], "credentials": True}])
    assert "credentials" in str(info.value)


def test_comma_separated_strings_are_lists() -> None:
    policy = Policy(methods="get, post", headers="X-A, X-B", exposed_headers="X-Total")
    assert policy.methods_value == "GET, POST"
    assert policy.headers_value == "X-A, X-B"
    assert policy.actual_tail == (("Access-Control-Expose-Headers", "X-Total"),)


def test_policy_is_immutable() -> None:
    policy = Policy()
    with pytest.raises(AttributeError):
        policy.credentials = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        policy.options["credentials"] = True  # type: ignore[index]


def test_replace_builds_a_new_policy() -> None:
    base = Policy(origins=["https://a.example"])
    other = base.replace(credentials=True)
    assert base.credentials is False and other.credentials is True
    assert other.matcher.exact == frozenset(["https://a.example"])


def test_forbidden_header_names_warn() -> None:
    with pytest.warns(CORSConfigWarning, match="Cookie"):
        Policy(headers=["Content-Type", "Cookie"])


def test_host_only_route_warns() -> None:
    with pytest.warns(CORSConfigWarning, match="Host header alone"):
        Policy(routes=[{"hosts": ["api.example.com"]}])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Policy(routes=[{"hosts": ["api.example.com"], "paths": ["/api"]}])


def test_route_objects_and_dicts_are_equivalent() -> None:
    a = Policy(routes=[Route(paths=["/api"], credentials=True)], origins=["https://a.example"])
    b = Policy(routes=[{"paths": ["/api"], "credentials": True}], origins=["https://a.example"])
    for policy in (a, b):
        (route,) = policy.routes
        assert route.policy is not None
        assert route.policy.credentials is True
        assert route.policy.matcher.exact == frozenset(["https://a.example"])


def test_regex_objects_are_accepted() -> None:
    policy = Policy(origins=[re.compile(r"https://([a-z0-9-]+\.)*example\.org")])
    assert len(policy.matcher.patterns) == 1
