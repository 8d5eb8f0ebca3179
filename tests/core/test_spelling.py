"""Hints for unknown option names name the fix in the spelling the user is writing."""

from __future__ import annotations

import pytest

from wsgicors import CORSConfigError
from wsgicors.spelling import check_names, spell, unknown_name_hint, unknown_names

NAMES = ("origins", "methods", "headers", "exposed_headers", "credentials", "max_age", "routes")


@pytest.mark.parametrize(
    ("form", "route", "expected"),
    [
        ("keyword", None, "'exposed_headers'"),
        ("keyword", 2, 'routes[2]["exposed_headers"]'),
        ("config", None, 'app.config["CORS_EXPOSED_HEADERS"]'),
        ("config", 0, 'app.config["CORS_ROUTES"][0]["exposed_headers"]'),
        ("setting", None, 'CORS["exposed_headers"]'),
        ("setting", 1, 'CORS["routes"][1]["exposed_headers"]'),
    ],
)
def test_spell(form: str, route: int | None, expected: str) -> None:
    assert spell("exposed_headers", form, route) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "form", "route", "hint"),
    [
        ("expose_headers", "keyword", None, "'expose_headers' is flask-cors's name: use 'exposed_headers'"),
        (
            "expose_headers",
            "config",
            None,
            """'expose_headers' is flask-cors's name: use app.config["CORS_EXPOSED_HEADERS"]""",
        ),
        (
            "supports_credentials",
            "setting",
            None,
            """'supports_credentials' is flask-cors's name: use CORS["credentials"]""",
        ),
        (
            "allow_credentials",
            "setting",
            3,
            """'allow_credentials' is django-cors-headers' name: use CORS["routes"][3]["credentials"]""",
        ),
        ("origns", "keyword", None, "did you mean 'origins'?"),
        ("origns", "config", None, 'did you mean app.config["CORS_ORIGINS"]?'),
        ("max_ages", "setting", None, 'did you mean CORS["max_age"]?'),
        ("max_ages", "setting", 0, 'did you mean CORS["routes"][0]["max_age"]?'),
        (
            "send_wildcard",
            "config",
            None,
            "'send_wildcard' is flask-cors's option, not needed here: "
            "'*' is sent whenever origins is ['*'] (and never with credentials)",
        ),
    ],
)
def test_unknown_name_hint(name: str, form: str, route: int | None, hint: str) -> None:
    assert unknown_name_hint(name, NAMES, form, route) == hint  # type: ignore[arg-type]


def test_no_close_name_lists_every_name_in_the_users_spelling() -> None:
    hint = unknown_name_hint("zzz", ("origins", "max_age"), "config")
    assert hint == 'valid names: app.config["CORS_ORIGINS"], app.config["CORS_MAX_AGE"]'


def test_check_names_raises_on_the_first_unknown_name() -> None:
    with pytest.raises(CORSConfigError) as info:
        check_names({"origins": ["https://a.example"], "expose_headers": ["X"]}, NAMES, "setting")
    assert info.value.option == 'CORS["expose_headers"]'
    assert info.value.fix == """'expose_headers' is flask-cors's name: use CORS["exposed_headers"] = ['X']"""
    check_names({"origins": "*"}, NAMES, "setting")  # known names pass


@pytest.mark.parametrize(
    ("name", "value", "form", "hint"),
    [
        (
            "allowed_origins",
            ("https://a.example",),
            "config",
            """use app.config["CORS_ORIGINS"] = ['https://a.example']""",
        ),
        ("allowed_origins", ["https://a.example"], "keyword", "use origins=['https://a.example']"),
        (
            "allowed_origin_regexes",
            [r"^https://\w+\.a\.example$"],
            "setting",
            r"""use CORS["origins"] = ['~^https://\\w+\\.a\\.example$']""",
        ),
        ("allow_all_origins", True, "config", """use app.config["CORS_ORIGINS"] = '*'"""),
        ("supports_credentials", True, "keyword", "use credentials=True"),
        ("urls_regex", r"^/api/.*$", "setting", """use CORS["routes"] = [{'paths': ['~^/api/.*$']}]"""),
        ("resources", {r"/api/*": {}}, "config", """use app.config["CORS_ROUTES"] (a list of {'paths'"""),
    ],
)
def test_a_peer_name_with_its_value_is_translated_ready_to_paste(
    name: str, value: object, form: str, hint: str
) -> None:
    assert hint in unknown_name_hint(name, NAMES, form, value=value)  # type: ignore[arg-type]


def test_unknown_names_reports_every_one_in_order() -> None:
    found = unknown_names({"origns": [], "max_age": 1, "maxage": 2}, NAMES, "setting")
    assert [(e.option, e.fix) for e in found] == [
        ('CORS["origns"]', 'did you mean CORS["origins"]?'),
        ('CORS["maxage"]', 'did you mean CORS["max_age"]?'),
    ]
