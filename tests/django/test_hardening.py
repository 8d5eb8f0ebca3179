"""Issue 17 through the Django door: each refusal is a ``manage.py check`` error with its ID and
the fix written as a key of the CORS setting; the allowed cases through the middleware
(Django's sync and async clients)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from .conftest import Http
from .test_checks import run_check

MINE = "https://a.myapp.github.io"
ATTACKER = "https://attacker.github.io"

CASES = [
    ({"origins": ["https://*.github.io"], "credentials": True}, "E003", "anyone can register a name under github.io"),
    ({"origins": [r"~https://[a-z0-9-]+\.vercel\.app"]}, "E005", "anyone can register a name under vercel.app"),
    ({"origins": [r"~https://a\.example\.com.*"]}, "E005", "it would let in 'https://a.example.com.attacker.com'"),
    ({"origins": [r"~https://.*example\.com"]}, "E005", "it would let in 'https://attackerexample.com'"),
    ({"origins": ["null", MINE], "credentials": True}, "E003", "sandboxed iframe"),
    ({"origins": [MINE], "max_age": 10**100}, "E010", "Chromium at most 7200 s"),
    ({"origins": [MINE], "methods": []}, "E006", "allows no method"),
]


@pytest.mark.parametrize(("cors", "check_id", "phrase"), CASES)
def test_each_refusal_is_a_check_error(cors: dict[str, Any], check_id: str, phrase: str) -> None:
    with override_settings(CORS=cors):
        ids, text = run_check()
        with pytest.raises(SystemCheckError):
            call_command("check", stdout=StringIO(), stderr=StringIO())
    assert ids == [f"django_ext.{check_id}"], text
    assert phrase in text
    assert "HINT:" in text


def test_null_with_credentials_is_an_error_with_the_fix_as_a_setting_key() -> None:
    with override_settings(CORS={"origins": ["null"], "credentials": True}):
        ids, text = run_check()
    assert ids == ["django_ext.E003"], text
    assert """HINT: Remove 'null' from origins, or set CORS["credentials"] = False""" in text


def test_a_wildcard_under_a_site_of_a_public_suffix_answers_exactly(http: Http) -> None:
    with override_settings(CORS={"origins": ["https://*.myapp.github.io"], "credentials": True}):
        mine = http("GET", "/ok/", origin=MINE)
        attacker = http("GET", "/ok/", origin=ATTACKER)
        preflight = http.preflight("/ok/", origin=ATTACKER)
    assert mine.cors == {
        "Access-Control-Allow-Origin": MINE,
        "Access-Control-Allow-Credentials": "true",
        "Vary": "Origin",
    }
    assert attacker.cors == {"Vary": "Origin"}
    assert [k for k in preflight.cors if k.startswith("Access-Control-")] == []


def test_an_http_wildcard_with_credentials_is_a_warning() -> None:
    with override_settings(CORS={"origins": ["http://*.example.com"], "credentials": True}):
        ids, text = run_check()
    assert ids == ["django_ext.W005"], text
    assert "https://*.example.com" in text
