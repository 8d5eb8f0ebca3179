"""System checks, each through call_command("check") with its exact ID."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import django
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from django_ext.checks import _OPTION_IDS, CHECK_IDS

CORS_MW = "django_ext.middleware.CORSMiddleware"
COMMON = "django.middleware.common.CommonMiddleware"
SECURITY = "django.middleware.security.SecurityMiddleware"
SESSION = "django.contrib.sessions.middleware.SessionMiddleware"
RECORDER = "tests.django_project.middleware.Recorder"
APP = "https://app.example"
_ID = re.compile(r"\((django_ext\.[EW]\d{3})\)")


def run_check() -> tuple[list[str], str]:
    """The django_ext IDs ``manage.py check`` reports (in order) and its whole output."""
    out, err = StringIO(), StringIO()
    try:
        call_command("check", stdout=out, stderr=err)
        text = out.getvalue() + err.getvalue()
    except SystemCheckError as exc:
        text = str(exc)
    return _ID.findall(text), text


# Every case: settings to override, the IDs reported, a phrase of the message.
CASES: list[tuple[str, dict[str, Any], list[str], str]] = [
    ("not a dict", {"CORS": [APP]}, ["django_ext.E001"], "must be a dict"),
    ("unknown option", {"CORS": {"origin": [APP]}}, ["django_ext.E002"], 'HINT: Did you mean CORS["origins"]?'),
    (
        "peer option name",
        {"CORS": {"origins": [APP], "expose_headers": ["X-Id"]}},
        ["django_ext.E002"],
        """HINT: 'expose_headers' is flask-cors's name: use CORS["exposed_headers"]""",
    ),
    (
        "peer setting name",
        {"CORS": {"origins": [APP], "allow_credentials": True}},
        ["django_ext.E002"],
        """HINT: 'allow_credentials' is django-cors-headers' name: use CORS["credentials"]""",
    ),
    ("origin without scheme", {"CORS": {"origins": ["example.com"]}}, ["django_ext.E003"], "no scheme"),
    (
        "dotted path that does not import",
        {"CORS": {"origins": "myproject.cors.nothing"}},
        ["django_ext.E003"],
        "origins must be a list or a dotted path",
    ),
    (
        "dotted path to a non-callable",
        {"CORS": {"origins": "tests.django_project.views.calls"}},
        ["django_ext.E003"],
        "origins must be a list or a dotted path",
    ),
    (
        "wildcard with credentials",
        {"CORS": {"origins": ["*"], "credentials": True}},
        ["django_ext.E004"],
        "'*'",
    ),
    (
        "default wildcard with credentials",
        {"CORS": {"credentials": True}},
        ["django_ext.E004"],
        "credentials",
    ),
    (
        "catastrophic regex",
        {"CORS": {"origins": [r"~https://(a+)+\.example\.com"]}},
        ["django_ext.E005"],
        "origins",
    ),
    (
        "invalid regex",
        {"CORS": {"origins": ["~https://[a-"]}},
        ["django_ext.E005"],
        "invalid regular expression",
    ),
    ("unanchored regex", {"CORS": {"origins": [r"~.*\.example\.com"]}}, ["django_ext.E005"], "scheme"),
    ("methods", {"CORS": {"methods": 5}}, ["django_ext.E006"], "'methods'"),
    ("headers", {"CORS": {"headers": ["bad header"]}}, ["django_ext.E007"], "'headers'"),
    ("exposed_headers", {"CORS": {"exposed_headers": 3}}, ["django_ext.E008"], "'exposed_headers'"),
    ("credentials", {"CORS": {"origins": [APP], "credentials": "yes"}}, ["django_ext.E009"], "True or False"),
    ("max_age", {"CORS": {"max_age": -1}}, ["django_ext.E010"], "'max_age'"),
    ("private_network", {"CORS": {"private_network": "yes"}}, ["django_ext.E011"], "'private_network'"),
    ("preflight_continue", {"CORS": {"preflight_continue": 1}}, ["django_ext.E012"], "'preflight_continue'"),
    (
        "allow_origin_absent",
        {"CORS": {"allow_origin_absent": None}},
        ["django_ext.E013"],
        "'allow_origin_absent'",
    ),
    ("preflight_status", {"CORS": {"preflight_status": 404}}, ["django_ext.E014"], "200-299"),
    ("routes not a list", {"CORS": {"routes": "/api"}}, ["django_ext.E015"], "'routes'"),
    ("route path", {"CORS": {"routes": [{"paths": ["api"]}]}}, ["django_ext.E015"], "routes[0].paths"),
    (
        "route path fix as a setting key",
        {"CORS": {"routes": [{"paths": ["/a"]}, {"paths": ["api"]}]}},
        ["django_ext.E015"],
        """HINT: CORS["routes"][1]["paths"] = ['/api']""",
    ),
    ("max_age fix as a setting key", {"CORS": {"max_age": -1}}, ["django_ext.E010"], 'HINT: CORS["max_age"] = 3600'),
    (
        "route key",
        {"CORS": {"routes": [{"path": ["/api"]}]}},
        ["django_ext.E015"],
        'Did you mean CORS["routes"][0]["paths"]?',
    ),
    (
        "peer route key",
        {"CORS": {"routes": [{"paths": ["/a"]}, {"paths": ["/b"], "supports_credentials": True}]}},
        ["django_ext.E015"],
        """HINT: 'supports_credentials' is flask-cors's name: use CORS["routes"][1]["credentials"]""",
    ),
    (
        "middleware missing",
        {"MIDDLEWARE": [SECURITY, COMMON]},
        ["django_ext.E016"],
        "settings.CORS is set but django_ext.middleware.CORSMiddleware is not in MIDDLEWARE",
    ),
    (
        "middleware missing for decorated views",
        {"MIDDLEWARE": [], "CORS": None},
        ["django_ext.E016"],
        "uses cross_origin but django_ext.middleware.CORSMiddleware is not in MIDDLEWARE",
    ),
    (
        "below CommonMiddleware",
        {"MIDDLEWARE": [COMMON, CORS_MW]},
        ["django_ext.W001"],
        f"sits below {COMMON}",
    ),
    (
        "below SecurityMiddleware with SSL redirect",
        {"MIDDLEWARE": [SECURITY, CORS_MW], "SECURE_SSL_REDIRECT": True},
        ["django_ext.W001"],
        f"sits below {SECURITY}",
    ),
    ("below an unknown middleware", {"MIDDLEWARE": [RECORDER, CORS_MW]}, ["django_ext.W002"], RECORDER),
    (
        "no setting and no decorated view",
        {"CORS": None, "ROOT_URLCONF": "tests.django_project.urls_plain"},
        ["django_ext.W003"],
        "does nothing",
    ),
    ("null origin", {"CORS": {"origins": ["null", APP]}}, ["django_ext.W004"], "'null'"),
    (
        "forbidden header",
        {"CORS": {"headers": ["Cookie"]}},
        ["django_ext.W005"],
        "browsers never let scripts",
    ),
    (
        "route on hosts alone",
        {"CORS": {"routes": [{"hosts": ["api.example.com"]}]}},
        ["django_ext.W005"],
        "matches on the Host header alone",
    ),
    (
        "django-cors-headers' setting beside the native middleware",
        {"CORS_ALLOWED_ORIGINS": [APP]},
        ["django_ext.E002"],
        f"""HINT: 'allowed_origins' is django-cors-headers' name: use CORS["origins"] = ['{APP}']""",
    ),
    (
        "misspelt CORS_* setting without a CORS setting",
        {"CORS": None, "CORS_ORIGINS": [APP]},
        ["django_ext.E002"],
        """HINT: Did you mean CORS["origins"]?""",
    ),
    (
        "every bad value of the setting",
        {"CORS": {"origin": [APP], "methods": 5, "max_age": -1, "routes": [{"paths": ["api"], "max_age": "1"}]}},
        ["django_ext.E002", "django_ext.E006", "django_ext.E010", "django_ext.E015", "django_ext.E015"],
        "System check identified 5 issues",
    ),
    (
        "every bad value of a view",
        {"ROOT_URLCONF": "tests.django_project.urls_many"},
        ["django_ext.E007", "django_ext.E010", "django_ext.E014"],
        "cross_origin on view tests.django_project.urls_many.many at '/many/'",
    ),
    (
        "invalid cross_origin views",
        {"ROOT_URLCONF": "tests.django_project.urls_bad"},
        ["django_ext.E004", "django_ext.E010"],
        "cross_origin on view tests.django_project.urls_bad.wildcard at '/wildcard/'",
    ),
]


def test_the_test_project_is_clean() -> None:
    ids, text = run_check()
    assert ids == [], text


@pytest.mark.parametrize(("overrides", "expected", "phrase"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_check(overrides: dict[str, Any], expected: list[str], phrase: str) -> None:
    with override_settings(**overrides):
        ids, text = run_check()
    assert sorted(ids) == expected, text
    assert phrase in text
    assert "HINT:" in text


def test_errors_fail_the_check_command_and_warnings_do_not() -> None:
    with override_settings(CORS={"max_age": -1}), pytest.raises(SystemCheckError):
        call_command("check", stdout=StringIO(), stderr=StringIO())
    with override_settings(CORS={"origins": ["null"]}):
        call_command("check", stdout=StringIO(), stderr=StringIO())


def test_per_view_errors_name_each_view() -> None:
    with override_settings(ROOT_URLCONF="tests.django_project.urls_bad"):
        _, text = run_check()
    assert "cross_origin on view tests.django_project.urls_bad.wildcard at '/wildcard/'" in text
    assert "cross_origin on view tests.django_project.urls_bad.bad_max_age at '/nested/bad/'" in text


@pytest.mark.parametrize(
    "middleware",
    [
        [SECURITY, CORS_MW, COMMON],  # SecurityMiddleware answers nothing without SECURE_SSL_REDIRECT
        [SESSION, CORS_MW],
        ["django.middleware.csrf.CsrfViewMiddleware", "django.middleware.gzip.GZipMiddleware", CORS_MW],
    ],
)
def test_harmless_middleware_above_is_not_reported(middleware: list[str]) -> None:
    with override_settings(MIDDLEWARE=middleware):
        ids, text = run_check()
    assert ids == [], text


@pytest.mark.skipif(django.VERSION < (5, 1), reason="LoginRequiredMiddleware is Django 5.1+")
def test_below_login_required_middleware() -> None:
    login = "django.contrib.auth.middleware.LoginRequiredMiddleware"
    with override_settings(
        MIDDLEWARE=[SESSION, "django.contrib.auth.middleware.AuthenticationMiddleware", login, CORS_MW]
    ):
        ids, text = run_check()
    assert ids == ["django_ext.W001"], text
    assert f"sits below {login}" in text


def test_every_check_id_is_unique_tested_and_documented() -> None:
    tested = {check_id for case in CASES for check_id in case[2]}
    assert tested == set(CHECK_IDS)
    # One ID per option: the ID alone says which option is wrong.
    assert len(set(_OPTION_IDS.values())) == len(_OPTION_IDS)
    source = Path(__file__).parents[2] / "django_ext" / "checks.py"
    emitted = set(re.findall(r'"(django_ext\.[EW]\d{3})"', source.read_text()))
    assert emitted == set(CHECK_IDS)
    docs = Path(__file__).parents[2] / "docs" / "django.md"
    documented = re.findall(r"^\| `(django_ext\.[EW]\d{3})` \|", docs.read_text(), re.MULTILINE)
    assert sorted(documented) == sorted(CHECK_IDS)  # each once
    assert len(documented) == len(set(documented))


def test_project_setting_is_unchanged() -> None:
    assert settings.CORS["credentials"] is True


def test_each_bad_value_is_one_message_whose_hint_is_not_its_fix_repeated() -> None:
    """Four bad values, four errors; the hint carries the fix, the message says what is wrong."""
    bad = {"origins": ["example.com"], "credentials": "yes", "max_age": -1, "preflight_status": 404}
    with override_settings(CORS=bad):
        ids, text = run_check()
    assert ids == ["django_ext.E003", "django_ext.E009", "django_ext.E010", "django_ext.E014"], text
    assert "System check identified 4 issues" in text
    assert "Fix:" not in text
    assert text.count("HINT:") == 4
    assert """HINT: CORS["max_age"] = 3600""" in text
    assert """HINT: CORS["preflight_status"] = 200 or CORS["preflight_status"] = 204""" in text


def test_a_peer_setting_is_left_to_the_middleware_that_reads_it() -> None:
    """With django_ext.compat's middleware installed, CORS_* settings are its own (its checks judge them)."""
    compat = "django_ext.compat.CorsMiddleware"
    with override_settings(MIDDLEWARE=[compat], CORS=None, CORS_ALLOWED_ORIGINS=[APP]):
        ids, text = run_check()
    assert "django_ext.E002" not in ids, text


def test_each_bad_entry_of_a_list_is_its_own_message() -> None:
    """Three bad origins and a bad header, in lists with good entries: four errors, the good entries judged too."""
    bad = {
        "origins": ["app.example", APP, "https://other.example/path", " https://x.example"],
        "headers": ["X-Token", "bad header"],
        "routes": [{"paths": ["/ok", "api"]}],
    }
    with override_settings(CORS=bad):
        ids, text = run_check()
    assert ids == ["django_ext.E003", "django_ext.E003", "django_ext.E003", "django_ext.E007", "django_ext.E015"], text
    for fix in (
        "HINT: Write 'https://app.example' (or http://)",
        "HINT: Write only scheme://host[:port], e.g. 'https://other.example'",
        "HINT: Write 'https://x.example'",
        "such as 'X-Token'",
        """HINT: CORS["routes"][0]["paths"] = ['/api']""",
    ):
        assert fix in text
