"""The compat system checks: one Error per problem, every ID, messages naming the setting as written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import Error
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from django_ext.compat.checks import CHECK_IDS, check_settings

from .conftest import A

PAGE = Path(__file__).resolve().parents[2] / "docs" / "migrating" / "django-cors-headers.md"

# (id, settings, [(check ID, the message's start)])
CASES: list[tuple[str, dict[str, Any], list[tuple[str, str]]]] = [
    ("headers-not-sequence", {"CORS_ALLOW_HEADERS": object}, [("corsheaders.E001", "CORS_ALLOW_HEADERS should be")]),
    ("headers-bare-string", {"CORS_ALLOW_HEADERS": "accept"}, [("corsheaders.E001", "CORS_ALLOW_HEADERS should be")]),
    ("headers-non-string", {"CORS_ALLOW_HEADERS": ["accept", 1]}, [("corsheaders.E001", "CORS_ALLOW_HEADERS")]),
    ("methods-bare-string", {"CORS_ALLOW_METHODS": "GET"}, [("corsheaders.E002", "CORS_ALLOW_METHODS should be")]),
    ("methods-set", {"CORS_ALLOW_METHODS": {"GET"}}, [("corsheaders.E002", "CORS_ALLOW_METHODS should be")]),
    ("credentials-not-bool", {"CORS_ALLOW_CREDENTIALS": 1}, [("corsheaders.E003", "CORS_ALLOW_CREDENTIALS should")]),
    ("max-age-string", {"CORS_PREFLIGHT_MAX_AGE": "10"}, [("corsheaders.E004", "CORS_PREFLIGHT_MAX_AGE should")]),
    ("max-age-negative", {"CORS_PREFLIGHT_MAX_AGE": -1}, [("corsheaders.E004", "CORS_PREFLIGHT_MAX_AGE should")]),
    ("max-age-bool", {"CORS_PREFLIGHT_MAX_AGE": True}, [("corsheaders.E004", "CORS_PREFLIGHT_MAX_AGE should")]),
    ("allow-all-not-bool", {"CORS_ALLOW_ALL_ORIGINS": "yes"}, [("corsheaders.E005", "CORS_ALLOW_ALL_ORIGINS should")]),
    ("allow-all-alias", {"CORS_ORIGIN_ALLOW_ALL": object}, [("corsheaders.E005", "CORS_ORIGIN_ALLOW_ALL should be")]),
    ("origins-string", {"CORS_ALLOWED_ORIGINS": A}, [("corsheaders.E006", "CORS_ALLOWED_ORIGINS should be")]),
    ("origins-alias", {"CORS_ORIGIN_WHITELIST": [object]}, [("corsheaders.E006", "CORS_ORIGIN_WHITELIST should be")]),
    ("regexes-string", {"CORS_ALLOWED_ORIGIN_REGEXES": "x"}, [("corsheaders.E007", "CORS_ALLOWED_ORIGIN_REGEXES sho")]),
    ("regexes-alias", {"CORS_ORIGIN_REGEX_WHITELIST": 5}, [("corsheaders.E007", "CORS_ORIGIN_REGEX_WHITELIST should")]),
    ("expose-not-sequence", {"CORS_EXPOSE_HEADERS": object}, [("corsheaders.E008", "CORS_EXPOSE_HEADERS should be")]),
    ("urls-regex-type", {"CORS_URLS_REGEX": object}, [("corsheaders.E009", "CORS_URLS_REGEX should be")]),
    ("urls-regex-bytes", {"CORS_URLS_REGEX": re.compile(b"^/api/")}, [("corsheaders.E009", "CORS_URLS_REGEX sho")]),
    ("cors-model", {"CORS_MODEL": "app.Model"}, [("corsheaders.E012", "CORS_MODEL:")]),
    ("no-scheme", {"CORS_ALLOWED_ORIGINS": ["example.com"]}, [("corsheaders.E013", "CORS_ALLOWED_ORIGINS: origin")]),
    (
        "no-scheme-alias",
        {"CORS_ORIGIN_WHITELIST": ["localhost:8000"]},
        [("corsheaders.E013", "CORS_ORIGIN_WHITELIST:")],
    ),
    ("path", {"CORS_ALLOWED_ORIGINS": ["https://example.com/app"]}, [("corsheaders.E014", "CORS_ALLOWED_ORIGINS:")]),
    ("trailing-slash", {"CORS_ALLOWED_ORIGINS": ["https://example.com/"]}, [("corsheaders.E014", "CORS_ALLOWED_ORI")]),
    ("query", {"CORS_ORIGIN_WHITELIST": ["https://example.com?x"]}, [("corsheaders.E014", "CORS_ORIGIN_WHITELIST:")]),
    ("private-network", {"CORS_ALLOW_PRIVATE_NETWORK": "true"}, [("corsheaders.E015", "CORS_ALLOW_PRIVATE_NETWORK")]),
    (
        "replace-https-referer",
        {"CORS_REPLACE_HTTPS_REFERER": True},
        [("django_ext.compat.E001", "CORS_REPLACE_HTTPS_REFERER:")],
    ),
    ("no-host", {"CORS_ALLOWED_ORIGINS": ["https://"]}, [("django_ext.compat.E002", "CORS_ALLOWED_ORIGINS: origin")]),
    ("star", {"CORS_ALLOWED_ORIGINS": ["*"]}, [("django_ext.compat.E003", "CORS_ALLOWED_ORIGINS: origin '*'")]),
    (
        "star-subdomain",
        {"CORS_ORIGIN_WHITELIST": ["https://*.example.com"]},
        [("django_ext.compat.E003", "CORS_ORIGIN_WHITELIST: origin")],
    ),
    ("file", {"CORS_ALLOWED_ORIGINS": ["file://"]}, [("django_ext.compat.E004", "CORS_ALLOWED_ORIGINS: origin")]),
    ("whitespace", {"CORS_ALLOWED_ORIGINS": [" https://a.example"]}, [("django_ext.compat.E004", "CORS_ALLOWED_OR")]),
    ("tilde", {"CORS_ALLOWED_ORIGINS": ["~https://a.example"]}, [("django_ext.compat.E004", "CORS_ALLOWED_ORIGINS")]),
    ("user-info", {"CORS_ALLOWED_ORIGINS": ["https://u@a.example"]}, [("django_ext.compat.E004", "CORS_ALLOWED_OR")]),
    (
        "regex-no-scheme",
        {"CORS_ALLOWED_ORIGIN_REGEXES": [r".*\.example\.com"]},
        [("django_ext.compat.E005", "CORS_ALLOWED_ORIGIN_REGEXES: regex")],
    ),
    (
        "regex-unescaped-dot",
        {"CORS_ORIGIN_REGEX_WHITELIST": [r"https://.*.example.com"]},
        [("django_ext.compat.E005", "CORS_ORIGIN_REGEX_WHITELIST: regex")],
    ),
    (
        "regex-invalid",
        {"CORS_ALLOWED_ORIGIN_REGEXES": [r"https://(x"]},
        [("django_ext.compat.E005", "CORS_ALLOWED_ORIGIN_REGEXES: regex")],
    ),
    (
        "regex-backtracking",
        {"CORS_ALLOWED_ORIGIN_REGEXES": [r"https://([a-z0-9-]+\.?)+example\.com"]},
        [("django_ext.compat.E005", "CORS_ALLOWED_ORIGIN_REGEXES: regex")],
    ),
    ("urls-regex-invalid", {"CORS_URLS_REGEX": r"^/api/("}, [("django_ext.compat.E005", "CORS_URLS_REGEX:")]),
    (
        "all-with-credentials",
        {"CORS_ALLOW_ALL_ORIGINS": True, "CORS_ALLOW_CREDENTIALS": True},
        [("django_ext.compat.E006", "CORS_ALLOW_ALL_ORIGINS: with CORS_ALLOW_CREDENTIALS")],
    ),
    (
        "all-with-credentials-alias",
        {"CORS_ORIGIN_ALLOW_ALL": True, "CORS_ALLOW_CREDENTIALS": True},
        [("django_ext.compat.E006", "CORS_ORIGIN_ALLOW_ALL: with CORS_ALLOW_CREDENTIALS")],
    ),
    ("header-token", {"CORS_ALLOW_HEADERS": ["x token"]}, [("django_ext.compat.E007", "CORS_ALLOW_HEADERS:")]),
    ("method-token", {"CORS_ALLOW_METHODS": ["GET, POST"]}, [("django_ext.compat.E007", "CORS_ALLOW_METHODS:")]),
    ("expose-token", {"CORS_EXPOSE_HEADERS": ["X-A", ""]}, [("django_ext.compat.E007", "CORS_EXPOSE_HEADERS:")]),
    ("misspelt", {"CORS_ALLOWED_ORIGIN": [A]}, [("django_ext.compat.W001", "CORS_ALLOWED_ORIGIN:")]),
    ("misspelt-credentials", {"CORS_ALLOW_CREDENTIAL": True}, [("django_ext.compat.W001", "CORS_ALLOW_CREDENTIAL:")]),
    (
        "order",
        {"MIDDLEWARE": ["django.middleware.common.CommonMiddleware", "django_ext.compat.CorsMiddleware"]},
        [("django_ext.compat.W003", "MIDDLEWARE: django_ext.compat.CorsMiddleware sits below")],
    ),
    ("forbidden-header", {"CORS_ALLOW_HEADERS": ["content-type", "cookie"]}, [("django_ext.compat.W002", "CORS_ALLO")]),
    (
        "several-problems",
        {"CORS_ALLOWED_ORIGINS": ["example.com", "https://ok.example", "https://x.example/p"], "CORS_ALLOW_HEADERS": 1},
        [
            ("corsheaders.E013", "CORS_ALLOWED_ORIGINS: origin 'example.com' (item 1"),
            ("corsheaders.E014", "CORS_ALLOWED_ORIGINS: origin 'https://x.example/p' (item 3"),
            ("corsheaders.E001", "CORS_ALLOW_HEADERS should be"),
        ],
    ),
]


def _apply(settings: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(settings, name, value)


@pytest.mark.parametrize(("values", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_check(compat_project: Any, values: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    _apply(compat_project, values)
    messages = check_settings()
    assert [m.id for m in messages] == [check_id for check_id, _ in expected]
    for message, (check_id, start) in zip(messages, expected, strict=True):
        assert message.msg.startswith(start), message.msg
        assert message.hint, message
        assert isinstance(message, CheckWarning if ".W" in check_id else Error)
        assert check_id in CHECK_IDS


def test_every_id_is_exercised_and_documented() -> None:
    # E008 (the core's refusal of a whole policy, translated) is exercised by test_paste_back's
    # test_engine_refusals_are_translated_generically: no setting on this branch reaches it untranslated.
    exercised = {check_id for _, _, expected in CASES for check_id, _ in expected} | {"django_ext.compat.E008"}
    assert exercised == set(CHECK_IDS)
    section = PAGE.read_text()
    for check_id in CHECK_IDS:
        assert f"`{check_id}`" in section, check_id


def test_misspelt_hint_names_the_closest(compat_project: Any) -> None:
    compat_project.CORS_ORIGINS_WHITELIST = [A]
    (warning,) = check_settings()
    assert warning.hint == "Rename it: did you mean 'CORS_ORIGIN_WHITELIST'?"


def test_star_message_gives_the_fix(compat_project: Any) -> None:
    compat_project.CORS_ALLOWED_ORIGINS = ["*"]
    (error,) = check_settings()
    assert "matches no origin" in error.msg and "CORS_ALLOW_ALL_ORIGINS = True" in error.hint


def test_regex_message_names_the_lookalike_fix(compat_project: Any) -> None:
    compat_project.CORS_ALLOWED_ORIGIN_REGEXES = [r"https://.*.example.com"]
    (error,) = check_settings()
    assert r"\." in error.hint or "*." in error.hint


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"CORS_ALLOWED_ORIGINS": [A], "CORS_ALLOW_CREDENTIALS": True},  # not "null": refused with credentials
        {"CORS_ALLOW_ALL_ORIGINS": True, "CORS_ALLOW_HEADERS": ["*"], "CORS_EXPOSE_HEADERS": ["X-A"]},
        {"CORS_ALLOWED_ORIGIN_REGEXES": [re.compile(r"https://\w+\.example\.com"), r"^https://a\.example$"]},
        {"CORS_URLS_REGEX": r"^/api/.*$", "CORS_PREFLIGHT_MAX_AGE": 0, "CORS_ALLOW_PRIVATE_NETWORK": True},
        {"CORS_ALLOW_ALL_ORIGINS": False, "CORS_ORIGIN_ALLOW_ALL": True, "CORS_ALLOW_CREDENTIALS": True},
    ],
    ids=["defaults", "list-credentials", "allow-all", "regexes", "urls", "new-name-wins-over-unsafe-alias"],
)
def test_valid_settings_pass(compat_project: Any, values: dict[str, Any]) -> None:
    _apply(compat_project, values)
    assert check_settings() == []


def test_inactive_without_the_compat_middleware(compat_project: Any) -> None:
    compat_project.MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
    compat_project.CORS_ALLOW_HEADERS = "accept"
    assert check_settings() == []


@pytest.mark.parametrize("path", ["tests.django_compat.aliases.CorsMiddleware", "tests.django_compat.aliases.Subclass"])
def test_found_by_class(compat_project: Any, path: str) -> None:
    compat_project.MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", path]
    compat_project.CORS_ALLOW_HEADERS = "accept"
    assert [m.id for m in check_settings()] == ["corsheaders.E001"]


def test_registered_by_the_app(compat_project: Any) -> None:
    compat_project.ROOT_URLCONF = "tests.django_project.urls_plain"  # no native cross_origin view
    call_command("check")  # the defaults pass
    compat_project.CORS_ORIGIN_WHITELIST = ["example.com"]
    with pytest.raises(SystemCheckError, match=r"corsheaders\.E013"):
        call_command("check")


def test_check_ids_are_unique_kinds() -> None:
    assert len(CHECK_IDS) == len(set(CHECK_IDS.values()))


@pytest.mark.parametrize(
    "values",
    [
        {"CORS_ALLOWED_ORIGINS": ["*"]},
        {"CORS_ALLOW_ALL_ORIGINS": True, "CORS_ALLOW_CREDENTIALS": True},
        {"CORS_ALLOW_HEADERS": "accept"},
    ],
    ids=["star", "all-with-credentials", "bare-string"],
)
def test_middleware_refuses_at_start_up(compat_project: Any, values: dict[str, Any]) -> None:
    _apply(compat_project, values)
    with pytest.raises(ImproperlyConfigured, match=r"manage\.py check"):
        Client().get("/ok/", headers={"Origin": A})


def test_null_with_credentials_is_refused_in_settings_words(compat_project: Any) -> None:
    compat_project.CORS_ALLOWED_ORIGINS = [A, "null"]
    compat_project.CORS_ALLOW_CREDENTIALS = True
    (error,) = check_settings()
    assert isinstance(error, Error)
    assert error.id == "django_ext.compat.E008"
    assert error.msg.startswith("CORS_ALLOWED_ORIGINS: 'null' with CORS_ALLOW_CREDENTIALS = True hands")
    assert "sandboxed iframe" in error.msg
    assert error.hint == "Remove 'null' from origins, or set CORS_ALLOW_CREDENTIALS = False"
    compat_project.CORS_ALLOWED_ORIGINS = [A]  # the fix: 'null' removed
    assert check_settings() == []
