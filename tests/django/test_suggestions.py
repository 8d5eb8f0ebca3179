"""Every fix django_ext's checks suggest is accepted when pasted back (issue 16, item 3).

The catalogue's configurations as the ``CORS`` setting (plus Django's dotted
paths), and other libraries' ``CORS_*`` settings beside the native middleware:
every value a hint suggests, written as ``CORS["..."]``, pasted in, passes
``manage.py check`` and builds the policy.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.checks import CheckMessage
from django.test import override_settings

from django_ext import conf
from django_ext.checks import check_settings
from django_ext.problems import foreign_settings, setting_problems
from tests.core.suggestions import CATALOGUE, pasted_back
from wsgicors import CORSConfigError

APP = "https://app.example"
CASES = [
    *CATALOGUE,
    ("dotted path that does not import", {"origins": "myproject.cors.nothing"}),
    ("dotted path to a non-callable", {"origins": "tests.django_project.views.calls"}),
]


def _errors() -> list[CheckMessage]:
    return [message for message in check_settings() if message.is_serious()]


@pytest.mark.parametrize(("case", "options"), CASES, ids=[case for case, _ in CASES])
def test_every_suggested_setting_value_is_accepted(case: str, options: dict[str, Any]) -> None:
    with override_settings(CORS=options):
        found = setting_problems(options)
        errors = _errors()
    assert found, case
    # One check error per problem, whose hint is the problem's fix (not repeated in the message).
    assert [e.hint for e in errors] == [p.fix[:1].upper() + p.fix[1:] for p in found]
    assert all("Fix:" not in e.msg for e in errors)
    for exc in found:
        attempts = pasted_back(options, exc.fix, exc.option, exc.value, "setting")
        assert attempts, f"no value suggested: {exc}"
        for text, fixed in attempts:
            if len(found) > 1:  # only this problem was fixed
                continue
            with override_settings(CORS=fixed):
                assert setting_problems(fixed) == [], (case, text)
                assert _errors() == [], (case, text)
                conf.build_policy(fixed)


@pytest.mark.parametrize("cors", [None, {"max_age": 60}], ids=["no CORS setting", "beside a CORS setting"])
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CORS_ALLOWED_ORIGINS", [APP]),
        ("CORS_ORIGIN_WHITELIST", (APP,)),
        ("CORS_ALLOWED_ORIGIN_REGEXES", [r"^https://\w+\.app\.example$"]),
        ("CORS_ORIGINS", [APP]),
        ("CORS_ALLOW_ALL_ORIGINS", True),
    ],
)
def test_a_stray_cors_setting_is_an_error_whose_fix_is_accepted(name: str, value: Any, cors: Any) -> None:
    with override_settings(CORS=cors, **{name: value}):
        (exc,) = foreign_settings()
        errors = _errors()
        assert [e.id for e in errors if e.id == "django_ext.E002"] == ["django_ext.E002"]
        assert exc.option == f"settings.{name}"
    # As if the stray setting were a key of CORS: a rename moves its value, an example replaces it.
    stray = name[len("CORS_") :].lower()
    attempts = pasted_back({**(cors or {}), stray: value}, exc.fix, f'CORS["{stray}"]', value, "setting")
    assert attempts, f"no value suggested: {exc}"
    for text, fixed in attempts:
        with override_settings(CORS=fixed):
            assert foreign_settings() == [] and _errors() == [], text
            policy = conf.build_policy(fixed)
        assert policy.options["origins"] != ("*",) or name == "CORS_ALLOW_ALL_ORIGINS", text


def test_pasted_fixes_are_really_checked() -> None:
    """The paste-back above can fail: a fix that is refused is seen as refused."""
    with pytest.raises(CORSConfigError):
        conf.build_policy({"origins": ["*"], "credentials": True})
