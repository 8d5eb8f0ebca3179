"""Every value a flask_ext.compat message suggests, pasted back where the user wrote the option, is accepted:
no error, and no warning (issue 16, item 3). Suggestions are in flask-cors's vocabulary: a keyword, an
``app.config`` key or a resource's key as the user wrote the option, and regex strings for origins."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from flask_ext.compat import CORS, CORSConfigError, cross_origin
from flask_ext.compat.config import config_label
from flask_ext.compat.names import Layered
from flask_ext.compat.vocab import translate_error, translate_warning
from wsgicors import CORSConfigWarning, Policy

from .suggested import Suggestion, suggestions
from .util import A, caught, make_app

# (id, keyword options, app.config): each is refused, or warned about, by the layer.
CATALOGUE: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("credentials-default-origins", {"supports_credentials": True}, {}),
    ("credentials-star", {"origins": "*", "supports_credentials": True}, {}),
    ("credentials-config", {}, {"CORS_SUPPORTS_CREDENTIALS": True}),
    ("credentials-string", {"origins": A, "supports_credentials": "false"}, {}),
    ("credentials-string-config", {"origins": A}, {"CORS_SUPPORTS_CREDENTIALS": "false"}),
    ("credentials-string-resource", {"resources": {"/api/*": {"origins": A, "supports_credentials": "no"}}}, {}),
    ("send-wildcard-none", {"send_wildcard": None}, {}),
    ("always-send-int", {"always_send": 1}, {}),
    ("vary-header-string", {"vary_header": "False"}, {}),
    ("automatic-options-string", {"automatic_options": "true"}, {}),
    ("private-network-config", {}, {"CORS_ALLOW_PRIVATE_NETWORK": "1"}),
    ("regex-without-scheme", {"origins": [r".*\.example\.com"]}, {}),
    ("regex-without-scheme-config", {}, {"CORS_ORIGINS": [r".*\.example\.com", A]}),
    ("regex-bare-dot", {"origins": [A, r"https://(www|api).example.com"]}, {}),
    ("regex-compiled-bare-dot", {"origins": re.compile(r"http://example\d+.com")}, {}),
    ("regex-backtracking", {"origins": r"https://([a-z0-9]+)+\.example\.com"}, {}),
    ("regex-in-resource", {"resources": {"/api/*": {"origins": r".*\.example\.com"}}}, {}),
    ("wildcard-lookalike", {"origins": "https://*.example.com"}, {}),
    ("any-port-lookalike", {"origins": ["http://localhost:*"]}, {}),
    ("origin-no-scheme", {"origins": "a.example"}, {}),
    ("origin-path", {"origins": [A, "https://b.example/app"]}, {}),
    ("origin-whitespace", {"origins": [" https://b.example"]}, {}),
    ("allow-headers-token", {"allow_headers": ["X A"]}, {}),
    ("allow-headers-invalid-regex", {"allow_headers": [r"X-(A"]}, {}),
    ("allow-headers-backtracking", {"allow_headers": [r"(x+)+"]}, {}),
    ("methods-token", {"methods": ["GET POST"]}, {}),
    ("methods-type", {"methods": 5}, {}),
    ("max-age-words", {"max_age": "ten"}, {}),
    ("max-age-negative", {"max_age": -1}, {}),
    ("max-age-config", {}, {"CORS_MAX_AGE": 1.5}),
    ("resources-type", {"resources": 5}, {}),
    ("resources-options-type", {"resources": {"/api/*": "all"}}, {}),
    ("unknown-keyword", {"origin": A}, {}),
    ("unknown-native-keyword", {"origins": A, "credentials": False}, {}),
    ("unknown-config-key", {}, {"CORS_ORIGIN": A}),
    ("native-config-key", {}, {"CORS_EXPOSED_HEADERS": ["X-A"]}),
    # Warnings: a browser decides differently from flask-cors.
    ("d3-regex", {"origins": r"https://[a-z]+\.example"}, {}),
    ("d3-port", {"origins": [r"http://127\.0\.0\.1"]}, {}),
    ("d3-alternatives", {"origins": r"https://a\.example|https://b\.example"}, {}),
    ("d4-default-port", {"origins": ["https://a.example:443"]}, {}),
    ("d8-methods-star", {"origins": A, "methods": "*"}, {}),
    ("d13-expose-star", {"origins": A, "supports_credentials": True, "expose_headers": "*"}, {}),
]


def _where(label: str, options: dict[str, Any], config: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The dict and key that ``label`` (an error's option, as the user wrote it) names."""
    if label.startswith("app.config["):
        return config, re.findall(r"\['([^']*)'\]", label)[0]
    if label.startswith("resources["):
        keys = re.findall(r"\['([^']*)'\]", label)
        return (options["resources"][keys[0]], keys[1]) if len(keys) > 1 else (options["resources"], keys[0])
    return options, label.split(" ", 1)[0]


def _replace_entry(value: Any, bad: Any, new: Any) -> Any:
    """``value`` with ``bad`` (an entry, or the whole scalar) replaced by ``new``."""
    if isinstance(value, (list, tuple)):
        shown = [item.pattern if isinstance(item, re.Pattern) else item for item in value]
        if bad in shown:
            return [new if text == bad else item for text, item in zip(shown, value, strict=True)]
        return [new if str(bad) in str(item) else item for item in value]
    return new


def _pasted(
    suggestion: Suggestion, problem: str, label: str, bad: Any, options: dict[str, Any], config: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    options, config = copy.deepcopy(options), copy.deepcopy(config)
    if suggestion.kind == "keyword":
        options[suggestion.target] = suggestion.value
    elif suggestion.kind == "config":
        config[suggestion.target] = suggestion.value
    elif suggestion.kind == "resource":
        resource, name = suggestion.target
        options["resources"][resource][name] = suggestion.value
    else:
        holder, key = _where(label, options, config)
        if problem in ("unknown option", "unknown key"):  # the name meant
            holder[suggestion.value] = holder.pop(key)
        else:
            holder[key] = _replace_entry(holder[key], bad, suggestion.value)
    return options, config


def _attempt(options: dict[str, Any], config: dict[str, Any]) -> tuple[CORSConfigError | None, list[str]]:
    def call() -> CORSConfigError | None:
        try:
            CORS(make_app(config), **options)
        except CORSConfigError as exc:
            return exc
        return None

    return caught(call)


@pytest.mark.parametrize(("options", "config"), [c[1:] for c in CATALOGUE], ids=[c[0] for c in CATALOGUE])
def test_every_suggestion_is_accepted_when_pasted_back(options: dict[str, Any], config: dict[str, Any]) -> None:
    error, warned = _attempt(options, config)
    assert error is not None or warned, "the catalogue's configuration must be refused or warned about"
    if error is not None:
        found = [(s, error.problem, error.option, error.value) for s in suggestions(error.fix)]
        assert found, f"no value suggested in {error}"
    else:
        found = []
        for message in warned:
            option = message.split("] ", 1)[1].split(": ", 1)[0]
            fix = re.split(r"\bwrite |list them: ", message, maxsplit=1)[-1]
            bad = re.findall(r"regex '((?:[^'\\]|\\.)*)'|'([^']*)' is matched as", message)
            shown = next((b for pair in bad for b in pair if b), None)
            found += [(s, "", option, shown.replace("\\\\", "\\") if shown else None) for s in suggestions(fix)]
        assert found, f"no value suggested in {warned}"
    for suggestion, problem, label, bad in found:
        new_options, new_config = _pasted(suggestion, problem, label, bad, options, config)
        again, warned_again = _attempt(new_options, new_config)
        assert again is None, f"pasting {suggestion} back is refused: {again}"
        assert not warned_again, f"pasting {suggestion} back is warned about: {warned_again}"


def test_the_decorator_suggests_keywords() -> None:
    with pytest.raises(CORSConfigError) as raised:
        cross_origin(origins=A, supports_credentials="false")
    (suggestion,) = suggestions(raised.value.fix)
    assert suggestion == Suggestion("keyword", "supports_credentials", False)
    _, warned = caught(lambda: cross_origin(origins=A, supports_credentials=False))
    assert warned == []


def test_engine_refusals_are_translated_generically() -> None:
    """A refusal raised by the core, not by the layer, names the flask-cors option as the user wrote it,
    with the core's own fix rewritten in flask-cors's vocabulary (whatever the message)."""
    with pytest.raises(CORSConfigError) as raised:
        CORS(make_app({"CORS_MAX_AGE": -1}))
    assert raised.value.option == "app.config['CORS_MAX_AGE']"
    assert raised.value.fix == "app.config['CORS_MAX_AGE'] = 3600"
    layered = Layered.defaults().over({"supports_credentials": True}, config_label)
    layered = layered.over({"origins": "*"})
    with pytest.raises(CORSConfigError) as core:
        Policy(origins=["*"], credentials=True)
    translated = translate_error(core.value, layered)
    assert translated.option == "origins"
    assert "credentials=" not in translated.fix.replace("supports_credentials", "")
    assert "app.config['CORS_SUPPORTS_CREDENTIALS'] = False" in translated.fix
    assert translated.problem == core.value.problem.replace(
        "credentials=True", "app.config['CORS_SUPPORTS_CREDENTIALS'] = True"
    )
    with pytest.raises(CORSConfigError) as core:
        Policy(origins=[r"~.*\.example\.com"])
    translated = translate_error(core.value, Layered.defaults().over({"origins": "x"}))
    assert "~" not in translated.fix
    assert translated.value == r".*\.example\.com"
    (suggestion,) = suggestions(translated.fix)
    CORS(make_app(), origins=[suggestion.value])  # accepted


def test_engine_warnings_are_translated_generically() -> None:
    """A warning of the core names the flask-cors option as the user wrote it (here the core's own warning
    about a header name browsers never let scripts send, from a native policy)."""
    with pytest.warns(CORSConfigWarning) as seen:
        Policy(headers=["Cookie"])
    text = str(seen[0].message)
    assert text.startswith("CORS option 'headers' lists ['Cookie']")
    layered = Layered.defaults().over({"allow_headers": ["Cookie"]}, config_label)
    option, message = translate_warning(text, layered)
    assert option == "app.config['CORS_ALLOW_HEADERS']"
    assert message.startswith("lists ['Cookie']: browsers never let scripts set these")
