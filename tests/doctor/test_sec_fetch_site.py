"""Sec-Fetch-Site by the Public Suffix List (wsgicors.suffixes), not by "the last two labels"."""

from __future__ import annotations

import pytest

from wsgicors.doctor import PageRequest, diagnose, parse_origin, parse_url
from wsgicors.doctor.flow import site_of

from .util import Scripted, answer


@pytest.mark.parametrize(
    ("page", "url", "site"),
    [("https://a.github.io", "https://b.github.io/x", "cross-site"),  # github.io: anyone registers under it
     ("https://a.example.co.uk", "https://b.example.co.uk/x", "same-site"),
     ("https://a.example.com", "https://api.example.com/x", "same-site"),
     ("https://example.co.uk", "https://other.co.uk/x", "cross-site"),
     ("https://a.myapp.vercel.app", "https://b.myapp.vercel.app/x", "same-site"),
     ("https://app.vercel.app", "https://api.vercel.app/x", "cross-site"),
     ("http://127.0.0.1:3000", "http://127.0.0.1:8000/x", "same-site"),
     ("http://127.0.0.1:3000", "http://127.0.0.2:8000/x", "cross-site"),
     ("http://a.example.com", "https://a.example.com/x", "cross-site")],  # schemeful same-site
)  # fmt: skip
def test_sec_fetch_site_uses_the_public_suffix_list(page: str, url: str, site: str) -> None:
    target = parse_url(url)
    transport = Scripted({target.serialise(): answer(200, ("Access-Control-Allow-Origin", "*"))})
    diagnose(PageRequest(target, parse_origin(page)), transport)
    assert dict(transport.sent[0].headers)["Sec-Fetch-Site"] == site


def test_site_of_is_the_registrable_domain() -> None:
    assert site_of("a.github.io") == "a.github.io"
    assert site_of("x.a.example.co.uk") == "example.co.uk"
    assert site_of("[::1]") == "[::1]"
