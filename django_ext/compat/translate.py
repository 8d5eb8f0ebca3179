"""django-cors-headers' settings -> the engine's options, and every problem found on the way.

Types are checked as django-cors-headers checks them, before the engine sees
them; values the engine refuses are reported under the peer's ID where the
peer has that kind of problem, else under one of ours. Each message starts
with the setting's name as the user wrote it (the old alias when that is set).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings

from wsgicors import CORSConfigError, CORSConfigWarning, Policy
from wsgicors.compat_fix import regex_literal
from wsgicors.options import meant_bool
from wsgicors.regex_safety import PATH_REGEX, guard_regex

from .conf import DEFAULTS, read, written_name
from .dynamic import signal_allows
from .origin_settings import OriginSettings
from .problems import Problem, is_sequence, short
from .vocab import capital, peer_value, rewrite, setting_of

__all__ = ["Problem", "translate"]

#: django-cors-headers' default, which covers every path: no routes.
_ALL_URLS = r"^.*$"
# Global inline flags such as '(?i)' must stay at the start of a pattern.
_GLOBAL_FLAGS = re.compile(r"(?:\(\?[aiLmsux]+\))*")


class _Reader(OriginSettings):
    """Reads the settings once, collecting problems; each method returns a translated value."""

    def flag(self, name: str, check_id: str) -> bool | None:
        value = read(name)
        if isinstance(value, bool):
            return value
        shown = written_name(name)
        self.add(
            check_id,
            f"{shown} should be a bool (True or False); got {short(value)}"
            + (", which django-cors-headers reads as True." if isinstance(value, str) and value else "."),
            f"{shown} = {meant_bool(value)!r}",
        )
        return None

    def names(self, name: str, check_id: str, option: str) -> list[str] | None:
        """A list setting of HTTP tokens (headers, methods), type-checked then token-checked."""
        value = read(name)
        if not is_sequence(value, str):
            example = '["x-custom"]' if option != "methods" else '["GET", "POST"]'
            self.add(
                check_id,
                f"{name} should be a sequence of strings (a list or tuple); got {short(value)}.",
                f"{name} = {example} (a bare string is not a list)",
            )
            return None
        try:
            with warnings.catch_warnings():  # check_settings reports them once, for the whole policy
                warnings.simplefilter("ignore", CORSConfigWarning)
                Policy(**dict[str, Any]({option: list(value)}))  # typed options: the name is chosen at run time
        except CORSConfigError as exc:
            where = f" (item {list(value).index(exc.value) + 1} in {name})" if exc.value in value else ""
            self.add(
                "django_ext.compat.E007",
                f"{name}: {short(exc.value)}{where} is refused: {exc.problem}.",
                capital(rewrite(exc.fix)),
            )
            return None
        return list(value)

    def max_age(self) -> int | None:
        value = read("CORS_PREFLIGHT_MAX_AGE")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.add(
                "corsheaders.E004",
                f"CORS_PREFLIGHT_MAX_AGE should be an integer greater than or equal to zero; got {short(value)}.",
                "CORS_PREFLIGHT_MAX_AGE = 86400 (seconds; 0 sends no Access-Control-Max-Age)",
            )
            return None
        return value or None

    def urls(self) -> re.Pattern[str] | None:
        """CORS_URLS_REGEX as a route path pattern keeping the peer's ``re.match`` meaning."""
        value = read("CORS_URLS_REGEX")
        if not isinstance(value, (str, re.Pattern)) or not isinstance(getattr(value, "pattern", ""), str):
            self.add(
                "corsheaders.E009",
                f"CORS_URLS_REGEX should be a string or a compiled str regex; got {short(value)}.",
                r'CORS_URLS_REGEX = r"^/api/.*$"',
            )
            return None
        if value == _ALL_URLS:
            return None
        try:
            return guard_regex(_prefix_match(value), "CORS_URLS_REGEX", PATH_REGEX)
        except re.error as exc:
            self.add(
                "django_ext.compat.E005",
                f"CORS_URLS_REGEX: {short(value)} is not a valid regular expression ({exc}).",
                "Fix the pattern; it is matched against request.path_info from its start.",
            )
        except CORSConfigError as exc:
            shown = value.pattern if isinstance(value, re.Pattern) else value
            prefix = _literal_prefix(shown)
            self.add(
                "django_ext.compat.E005",
                f"CORS_URLS_REGEX: regex {short(shown)} is refused: {exc.problem}.",
                capital(rewrite(exc.fix))
                + (f", or match the path's start only: CORS_URLS_REGEX = {regex_literal(prefix)}" if prefix else ""),
            )
        return None

    def removed(self) -> None:
        for name, check_id, where, hint in (
            ("CORS_MODEL", "corsheaders.E012", "HISTORY", "Delete CORS_MODEL."),
            (
                "CORS_REPLACE_HTTPS_REFERER",
                "django_ext.compat.E001",
                "CHANGELOG",
                "Delete CORS_REPLACE_HTTPS_REFERER; list cross-origin HTTPS form pages in CSRF_TRUSTED_ORIGINS.",
            ),
        ):
            if hasattr(settings, name):
                self.add(check_id, f"{name}: the setting has been removed - see django-cors-headers' {where}.", hint)


def _literal_prefix(regex: str) -> str:
    """``^`` and the literal start of a path regex (``'^/api/(a+)+$'`` -> ``'^/api/'``), or ''."""
    match = re.match(r"\^?((?:[A-Za-z0-9/_~-]|\\[./-])+)", regex)
    if match is None or match[1] == "/":
        return ""
    prefix = match[1]
    if prefix and regex[match.end(1) : match.end(1) + 1] in ("*", "+", "?", "{"):
        prefix = prefix[:-2] if prefix.endswith(("\\.", "\\/", "\\-")) else prefix[:-1]
    return "^" + prefix if prefix else ""


def _engine_refusal(options: dict[str, Any]) -> Problem | None:
    """The core's refusal of the whole translated policy (a combination the checks above do not
    name), as a problem naming the setting as written and the fix in settings, whatever the message."""
    try:
        with warnings.catch_warnings():  # check_settings reports them once, for the whole policy
            warnings.simplefilter("ignore", CORSConfigWarning)
            Policy(**options)
    except CORSConfigError as exc:
        setting = setting_of(exc.option, exc.value)
        return Problem(
            "django_ext.compat.E008",
            f"{setting}: {rewrite(exc.problem)} (got {short(peer_value(exc.value))}).",
            capital(rewrite(exc.fix)),
        )
    return None


def _prefix_match(value: str | re.Pattern[str]) -> re.Pattern[str]:
    """A pattern whose full match means ``re.match(value, path)``: ``(?:value)`` then anything."""
    compiled = re.compile(value) if isinstance(value, str) else value
    source = compiled.pattern
    head = _GLOBAL_FLAGS.match(source)
    cut = head.end() if head is not None else 0
    tail = "\n" if compiled.flags & re.VERBOSE else ""  # a trailing comment must not swallow ')'
    return re.compile(f"{source[:cut]}(?:{source[cut:]}{tail})(?s:.*)", compiled.flags)


def translate(with_signal: bool) -> tuple[dict[str, Any], list[Problem]]:
    """The engine's options for the current settings, and every problem found.

    ``with_signal``: ``check_request_enabled`` has receivers, so its answer
    allows origins too (and, as in the peer, URLs outside CORS_URLS_REGEX).
    """
    reader = _Reader()
    allow_all = reader.flag("CORS_ALLOW_ALL_ORIGINS", "corsheaders.E005")
    credentials = reader.flag("CORS_ALLOW_CREDENTIALS", "corsheaders.E003")
    private_network = reader.flag("CORS_ALLOW_PRIVATE_NETWORK", "corsheaders.E015")
    exact = reader.origins()
    regexes = reader.regexes()
    headers = reader.names("CORS_ALLOW_HEADERS", "corsheaders.E001", "headers")
    methods = reader.names("CORS_ALLOW_METHODS", "corsheaders.E002", "methods")
    exposed = reader.names("CORS_EXPOSE_HEADERS", "corsheaders.E008", "exposed_headers")
    max_age = reader.max_age()
    urls = reader.urls()
    reader.removed()
    if allow_all and credentials:
        shown = written_name("CORS_ALLOW_ALL_ORIGINS")
        reader.add(
            "django_ext.compat.E006",
            f"{shown}: with CORS_ALLOW_CREDENTIALS = True, django-cors-headers reflects every origin with "
            "credentials, which hands every site your users' cookies; refused.",
            f"List the trusted origins in CORS_ALLOWED_ORIGINS and remove {shown}, "
            "or set CORS_ALLOW_CREDENTIALS = False.",
        )
        allow_all = False
    signal: list[Callable[[str, Mapping[str, Any]], bool]] = [signal_allows] if with_signal else []
    origins: list[Any] = ["*"] if allow_all else [*exact, *regexes, *signal]
    options: dict[str, Any] = {
        "origins": origins,
        "methods": methods if methods is not None else list(DEFAULTS["CORS_ALLOW_METHODS"]),
        "headers": headers if headers is not None else list(DEFAULTS["CORS_ALLOW_HEADERS"]),
        "exposed_headers": exposed or None,
        "credentials": bool(credentials),
        "max_age": max_age,
        "private_network": bool(private_network),
        # The peer leaves requests without Origin alone but for 'Vary: origin'.
        "allow_origin_absent": False,
    }
    if urls is not None:
        routes: list[dict[str, Any]] = [{"paths": [urls]}]
        if with_signal:
            # The peer's signal also enables URLs outside CORS_URLS_REGEX.
            routes.append({"origins": [signal_allows]})
        options["routes"] = routes
    if not any(problem.is_error for problem in reader.problems):
        refusal = _engine_refusal(options)
        if refusal is not None:
            reader.problems.append(refusal)
    return options, reader.problems
