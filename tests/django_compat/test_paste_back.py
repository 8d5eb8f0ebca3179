"""Every value a django_ext.compat check suggests, pasted back as a django-cors-headers setting, is accepted:
``manage.py check`` then reports nothing (issue 16, item 3). No hint suggests corsgate's native syntax
(``'~regex'``, ``'https://*.host'``), which these settings refuse."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.checks import CheckMessage

from django_ext.compat.checks import check_settings
from django_ext.compat.translate import _engine_refusal
from tests.flask_compat.suggested import Suggestion, suggestions

from .conftest import A

# (id, settings): each gives at least one check message.
CATALOGUE: list[tuple[str, dict[str, Any]]] = [
    ("credentials-string", {"CORS_ALLOWED_ORIGINS": [A], "CORS_ALLOW_CREDENTIALS": "false"}),
    ("credentials-int", {"CORS_ALLOWED_ORIGINS": [A], "CORS_ALLOW_CREDENTIALS": 1}),
    ("allow-all-string", {"CORS_ALLOW_ALL_ORIGINS": "true"}),
    ("allow-all-alias-string", {"CORS_ORIGIN_ALLOW_ALL": "False"}),
    ("private-network-string", {"CORS_ALLOW_PRIVATE_NETWORK": "0"}),
    ("regex-no-scheme", {"CORS_ALLOWED_ORIGIN_REGEXES": [r".*\.example\.com"]}),
    ("regex-no-scheme-alias", {"CORS_ORIGIN_REGEX_WHITELIST": [r"^.*\.example\.com$"]}),
    ("regex-bare-dot", {"CORS_ALLOWED_ORIGIN_REGEXES": [r"https://.*.example.com"]}),
    ("regex-backtracking", {"CORS_ALLOWED_ORIGIN_REGEXES": [r"https://([a-z0-9-]+\.?)+example\.com"]}),
    ("regex-native-tilde", {"CORS_ALLOWED_ORIGIN_REGEXES": [r"~https://a\.example"]}),
    ("regexes-string", {"CORS_ALLOWED_ORIGIN_REGEXES": r"https://a\.example"}),
    ("origins-string", {"CORS_ALLOWED_ORIGINS": A}),
    ("origin-no-scheme", {"CORS_ALLOWED_ORIGINS": ["example.com"]}),
    ("origin-path", {"CORS_ALLOWED_ORIGINS": ["https://example.com/app"]}),
    ("origin-no-host", {"CORS_ALLOWED_ORIGINS": ["https://"]}),
    ("origin-star", {"CORS_ALLOWED_ORIGINS": ["*"]}),
    ("origin-wildcard", {"CORS_ALLOWED_ORIGINS": [A, "https://*.example.com"]}),
    ("origin-file", {"CORS_ALLOWED_ORIGINS": ["file://"]}),
    ("origin-whitespace", {"CORS_ALLOWED_ORIGINS": [" https://a.example"]}),
    ("origin-native-tilde", {"CORS_ALLOWED_ORIGINS": [r"~https://a\.example"]}),
    ("origin-user-info", {"CORS_ALLOWED_ORIGINS": ["https://u@a.example"]}),
    ("all-with-credentials", {"CORS_ALLOW_ALL_ORIGINS": True, "CORS_ALLOW_CREDENTIALS": True}),
    ("headers-string", {"CORS_ALLOW_HEADERS": "accept"}),
    ("headers-token", {"CORS_ALLOW_HEADERS": ["x token"]}),
    ("methods-token", {"CORS_ALLOW_METHODS": ["GET, POST"]}),
    ("expose-token", {"CORS_EXPOSE_HEADERS": ["X-A", ""]}),
    ("max-age-string", {"CORS_PREFLIGHT_MAX_AGE": "10"}),
    ("urls-regex-type", {"CORS_URLS_REGEX": 5}),
    ("urls-regex-redos", {"CORS_URLS_REGEX": r"^/api/(a+)+$"}),
    ("misspelt", {"CORS_ALLOWED_ORIGIN": [A]}),
    ("forbidden-header", {"CORS_ALLOW_HEADERS": ["content-type", "cookie"]}),
]


def _item(message: CheckMessage) -> tuple[str, int | None]:
    """The setting a message is about, and the item (0-based) when it names one."""
    setting = str(message.msg).split(" ", 1)[0].rstrip(":")
    found = re.search(r"\(item (\d+) in ", str(message.msg))
    return setting, int(found[1]) - 1 if found else None


def _pasted(settings: Any, values: dict[str, Any], message: CheckMessage, suggestion: Suggestion) -> None:
    for name, value in values.items():
        setattr(settings, name, value)
    setting, item = _item(message)
    if message.id == "django_ext.compat.W001":  # a name: rename the setting
        setattr(settings, suggestion.value, getattr(settings, setting))
        delattr(settings, setting)
        return
    if suggestion.kind == "setting":
        if item is not None and suggestion.target != setting:  # the bad entry moves to another setting
            entries = list(getattr(settings, setting))
            del entries[item]
            setattr(settings, setting, entries)
        setattr(settings, suggestion.target, suggestion.value)
    elif item is not None:
        entries = list(getattr(settings, setting))
        entries[item] = suggestion.value
        setattr(settings, setting, entries)
    else:
        setattr(settings, setting, suggestion.value)


def _reset(settings: Any, values: dict[str, Any]) -> None:
    for name in [n for n in dir(settings) if n.startswith("CORS_")]:
        delattr(settings, name)


@pytest.mark.parametrize("values", [c[1] for c in CATALOGUE], ids=[c[0] for c in CATALOGUE])
def test_every_suggestion_is_accepted_when_pasted_back(compat_project: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(compat_project, name, value)
    messages = check_settings()
    assert messages, "the catalogue's settings must give a check message"
    for message in messages:
        assert "~" not in (message.hint or "") and "://*." not in (message.hint or ""), message
        found = suggestions(message.hint or "")
        assert found, f"no value suggested in {message}"
        for suggestion in found:
            _reset(compat_project, values)
            _pasted(compat_project, values, message, suggestion)
            again = check_settings()
            assert again == [], f"pasting {suggestion} back for {message.id} gives {again}"
        _reset(compat_project, values)


def test_booleans_are_refused_with_the_value_meant(compat_project: Any) -> None:
    compat_project.CORS_ALLOWED_ORIGINS = [A]
    compat_project.CORS_ALLOW_CREDENTIALS = "false"
    compat_project.CORS_ALLOW_ALL_ORIGINS = "true"
    messages = {m.id: m for m in check_settings()}
    assert messages["corsheaders.E003"].hint == "CORS_ALLOW_CREDENTIALS = False"
    assert "which django-cors-headers reads as True" in messages["corsheaders.E003"].msg
    assert messages["corsheaders.E005"].hint == "CORS_ALLOW_ALL_ORIGINS = True"


def test_redos_urls_regex_is_reported_under_the_regex_id_with_the_users_value(compat_project: Any) -> None:
    compat_project.CORS_URLS_REGEX = r"^/api/(a+)+$"
    (message,) = check_settings()
    assert message.id == "django_ext.compat.E005"
    assert message.msg.startswith(r"CORS_URLS_REGEX: regex '^/api/(a+)+$' is refused: ")
    assert "routes" not in message.msg and "(?s:.*)" not in message.msg and "re.compile" not in message.msg


def test_the_regex_hint_is_a_regex_the_check_accepts(compat_project: Any) -> None:
    """The reported loop: the hint was corsgate's '~https://...', which the same check refuses."""
    compat_project.CORS_ALLOWED_ORIGIN_REGEXES = [r".*\.example\.com"]
    (message,) = check_settings()
    assert message.hint == r'Write r"https://([a-z0-9-]+\.)+example\.com"'
    assert "it would let 'https://evil.example.com' in" in message.msg


def test_engine_refusals_are_translated_generically(compat_project: Any) -> None:
    """A refusal of the whole policy by the core, whatever its message, names the setting and writes its fix as
    settings (here the core's own '*' with credentials, which the layer's E006 normally reports first)."""
    problem = _engine_refusal({"origins": ["*"], "credentials": True})
    assert problem is not None
    assert problem.id == "django_ext.compat.E008"
    assert problem.message.startswith("CORS_ALLOWED_ORIGINS: '*' with CORS_ALLOW_CREDENTIALS = True would hand")
    assert problem.hint == "List the trusted origins explicitly, or set CORS_ALLOW_CREDENTIALS = False"
    problem = _engine_refusal({"origins": [A], "max_age": -1})
    assert problem is not None
    assert problem.message.startswith("CORS_PREFLIGHT_MAX_AGE: ")
    assert problem.hint == "CORS_PREFLIGHT_MAX_AGE = 3600"
