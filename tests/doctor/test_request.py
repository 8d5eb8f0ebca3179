"""The request model: fetch()'s normalisation, forbidden headers, and when a preflight is needed."""

from __future__ import annotations

from typing import Any

import pytest

from wsgicors.doctor.checks import url_parses
from wsgicors.doctor.request import (
    UsageError,
    normalise_method,
    parse_origin,
    parse_url,
    preflight_reasons,
    split_author_headers,
    unsafe_header_names,
)


@pytest.mark.parametrize(
    ("given", "sent"),
    [("get", "GET"), ("Put", "PUT"), ("delete", "DELETE"), ("options", "OPTIONS"), ("patch", "patch"),
     ("PATCH", "PATCH"), ("propfind", "propfind")],
)  # fmt: skip
def test_method_normalised_as_fetch_does(given: str, sent: str) -> None:
    assert normalise_method(given) == sent


@pytest.mark.parametrize("method", ["TRACE", "connect", "Track", "GE T", ""])
def test_forbidden_or_malformed_methods_are_usage_errors(method: str) -> None:
    with pytest.raises(UsageError):
        normalise_method(method)


def test_forbidden_headers_dropped_with_a_warning() -> None:
    kept, warnings = split_author_headers(
        ["Cookie: a=b", "Host: x", "Sec-Fetch-Mode: no-cors", "Proxy-Authorization: x", "X-HTTP-Method-Override: trace",
         "X-HTTP-Method: PATCH", "X-Custom: 1", "x-custom: 2", "Origin: https://evil.example"]
    )  # fmt: skip
    assert kept == [("X-HTTP-Method", "PATCH"), ("X-Custom", "1, 2")]
    assert len(warnings) == 6
    assert "--credentials include" in warnings[0]


@pytest.mark.parametrize("raw", ["NoColon", "Bad Name: x", "X: a\rb", "X: a\nb", "X: \x00"])
def test_malformed_headers_are_usage_errors(raw: str) -> None:
    with pytest.raises(UsageError):
        split_author_headers([raw])


@pytest.mark.parametrize(
    ("headers", "unsafe"),
    [
        ([("Accept", "application/json")], []),
        ([("Accept", 'text/"x"')], ["accept"]),
        ([("Accept", "a" * 129)], ["accept"]),
        ([("Accept-Language", "en-US,en;q=0.9")], []),
        ([("Accept-Language", "en_US")], ["accept-language"]),
        ([("Content-Language", "de")], []),
        ([("Content-Type", "text/plain;charset=UTF-8")], []),
        ([("Content-Type", "multipart/form-data; boundary=x")], []),
        ([("Content-Type", "application/x-www-form-urlencoded")], []),
        ([("Content-Type", "application/json")], ["content-type"]),
        ([("Content-Type", 'text/plain; charset="a:b"')], ["content-type"]),
        ([("Content-Type", "not a mime")], ["content-type"]),
        ([("Range", "bytes=0-")], []),
        ([("Range", "bytes=0-10")], []),
        ([("Range", "bytes=-10")], ["range"]),
        ([("Range", "bytes=10-5")], ["range"]),
        ([("Range", "bytes=0-1,3-4")], ["range"]),
        ([("Authorization", "Bearer x"), ("X-B", "1"), ("X-A", "1")], ["authorization", "x-a", "x-b"]),
        ([("Access-Control-Allow-Origin", "*")], ["access-control-allow-origin"]),
        ([("Accept", "a" * 128), ("Accept-Language", "b" * 128)], []),
    ],
)
def test_cors_unsafe_request_header_names(headers: list[tuple[str, str]], unsafe: list[str]) -> None:
    assert list(unsafe_header_names(headers)) == unsafe


def test_safelisted_values_over_1024_bytes_in_total_all_become_unsafe() -> None:
    eight = [("Accept", "a" * 128)] + [("Accept-Language", "b" * 128)] * 7  # 8 x 128 = 1024: still safe
    assert unsafe_header_names(eight) == {}
    nine = [*eight, ("Content-Language", "c")]  # 1025 bytes
    assert set(unsafe_header_names(nine)) == {"accept", "accept-language", "content-language"}


def test_preflight_reasons_name_each_cause() -> None:
    assert preflight_reasons("GET", []) == []
    assert preflight_reasons("POST", [("Content-Type", "text/plain")]) == []
    assert preflight_reasons("PUT", [("X-Custom", "1")]) == [
        "method PUT is not GET, HEAD or POST",
        "header x-custom is not CORS-safelisted",
    ]
    assert preflight_reasons("patch", []) == ["method patch is not GET, HEAD or POST"]


@pytest.mark.parametrize(
    ("text", "serialised"),
    [("https://App.Example", "https://app.example"), ("https://app.example:443", "https://app.example"),
     ("http://localhost:3000", "http://localhost:3000"), ("null", "null"), ("http://[::1]:8080", "http://[::1]:8080")],
)  # fmt: skip
def test_origins_are_serialised_as_browsers_do(text: str, serialised: str) -> None:
    assert parse_origin(text).serialise() == serialised


@pytest.mark.parametrize(
    "text", ["https://app.example/", "https://app.example/path", "app.example", "ftp://x", "https://", "https://a b",
             "https://u@app.example", "https://app.example:99999"],
)  # fmt: skip
def test_bad_origins_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        parse_origin(text)


def test_url_serialised_with_path_and_query() -> None:
    url = parse_url("HTTPS://API.example:443?q=1")
    assert url.serialise() == "https://api.example/?q=1"
    assert parse_url("http://127.0.0.1:8000/a/b?c").target == "/a/b?c"
    with pytest.raises(UsageError):
        parse_url("file:///etc/passwd")


@pytest.mark.parametrize(
    ("value", "parses"),
    [("https://a.example", True), ("https://a.example/", True), ("null", False), ("a.example", False),
     ("127.0.0.1:3000", False), ("localhost", False), ("localhost:3000", True), ("*.a.example", False),
     ("https://*.a.example", True), ("http://", False), ("http://a:99999", False), ("foo:bar", True),
     ("HTTP://A.EXAMPLE", True), ("http://[::1]", True), ("http://a b", False)],
)  # fmt: skip
def test_url_parser_model(value: str, parses: bool) -> None:
    assert url_parses(value) is parses


@pytest.mark.parametrize(
    ("parse", "text", "suggested"),
    [(parse_url, "127.0.0.1:8000/api", "http://127.0.0.1:8000/api"),
     (parse_url, "localhost:3000/items?q=1", "http://localhost:3000/items?q=1"),
     (parse_url, "api.example.com/items", "https://api.example.com/items"),
     (parse_url, "[::1]:8080/x", "http://[::1]:8080/x"),
     (parse_url, "http:/api.example/x", "http://api.example/x"),
     (parse_origin, "localhost:3000", "http://localhost:3000"),
     (parse_origin, "127.0.0.1:8000/", "http://127.0.0.1:8000"),
     (parse_origin, "app.example.com", "https://app.example.com"),
     (parse_origin, "//app.example.com:8443", "https://app.example.com:8443"),
     (parse_origin, "https:app.example", "https://app.example"),
     (parse_origin, "https://app.example:8443/", "https://app.example:8443"),
     (parse_origin, "http://localhost:3000/app", "http://localhost:3000")],
)  # fmt: skip
def test_a_missing_scheme_gets_a_suggestion_that_parses(parse: Any, text: str, suggested: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse(text)
    message = str(caught.value)
    assert "only http and https" not in message
    assert message.endswith(f"did you mean {suggested!r}?"), message
    parse(suggested)  # pasted back, it is accepted


@pytest.mark.parametrize("text", ["ftp://api.example/x", "file:///etc/passwd", "https://", "mailto:a@b"])
def test_no_suggestion_for_another_scheme_or_no_host(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_url(text)
    assert "did you mean" not in str(caught.value)
