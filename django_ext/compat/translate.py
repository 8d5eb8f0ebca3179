"""django-cors-headers' settings -> the engine's options, and every problem found on the way.

Types are checked as django-cors-headers checks them, before the engine sees
them; values the engine refuses are reported under the peer's ID where the
peer has that kind of problem, else under one of ours. Each message starts
with the setting's name as the user wrote it (the old alias when that is set).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from wsgicors import CORSConfigError, CORSConfigWarning, Policy
from wsgicors.origins import OriginMatcher, normalize_origin

from .conf import DEFAULTS, read, written_name
from .dynamic import signal_allows

__all__ = ["Problem", "translate"]

#: django-cors-headers' default, which covers every path: no routes.
_ALL_URLS = r"^.*$"
# Global inline flags such as '(?i)' must stay at the start of a pattern.
_GLOBAL_FLAGS = re.compile(r"(?:\(\?[aiLmsux]+\))*")


@dataclass(frozen=True)
class Problem:
    """One check message: its ID, its text (starting with the setting's name) and a hint."""

    id: str
    message: str
    hint: str

    @property
    def is_error(self) -> bool:
        return self.id.rsplit(".", 1)[-1].startswith("E")


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _is_sequence(value: object, kinds: type | tuple[type, ...]) -> bool:
    """The peer's test: a sequence that is not a string, every item of ``kinds``."""
    return (
        isinstance(value, Sequence)
        and not isinstance(value, (str, bytes))
        and all(isinstance(item, kinds) for item in value)
    )


class _Reader:
    """Reads the settings once, collecting problems; each method returns a translated value."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, check_id: str, message: str, hint: str) -> None:
        self.problems.append(Problem(check_id, message, hint))

    def flag(self, name: str, check_id: str) -> bool | None:
        value = read(name)
        if isinstance(value, bool):
            return value
        shown = written_name(name)
        self.add(check_id, f"{shown} should be a bool (True or False); got {_short(value)}.", f"{shown} = True")
        return None

    def names(self, name: str, check_id: str, option: str) -> list[str] | None:
        """A list setting of HTTP tokens (headers, methods), type-checked then token-checked."""
        value = read(name)
        if not _is_sequence(value, str):
            example = '["x-custom"]' if option != "methods" else '["GET", "POST"]'
            self.add(
                check_id,
                f"{name} should be a sequence of strings (a list or tuple); got {_short(value)}.",
                f"{name} = {example} (a bare string is not a list)",
            )
            return None
        try:
            with warnings.catch_warnings():  # check_settings reports them once, for the whole policy
                warnings.simplefilter("ignore", CORSConfigWarning)
                Policy(**dict[str, Any]({option: list(value)}))  # typed options: the name is chosen at run time
        except CORSConfigError as exc:
            self.add("django_ext.compat.E007", f"{name}: {exc.problem} (got {_short(exc.value)}).", exc.fix)
            return None
        return list(value)

    def max_age(self) -> int | None:
        value = read("CORS_PREFLIGHT_MAX_AGE")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.add(
                "corsheaders.E004",
                f"CORS_PREFLIGHT_MAX_AGE should be an integer greater than or equal to zero; got {_short(value)}.",
                "CORS_PREFLIGHT_MAX_AGE = 86400 (seconds; 0 sends no Access-Control-Max-Age)",
            )
            return None
        return value or None

    def origins(self) -> list[str]:
        """CORS_ALLOWED_ORIGINS, normalised; every bad entry reported."""
        name = "CORS_ALLOWED_ORIGINS"
        shown = written_name(name)
        value = read(name)
        if not _is_sequence(value, str):
            self.add(
                "corsheaders.E006",
                f"{shown} should be a sequence of strings (a list or tuple); got {_short(value)}.",
                f'{shown} = ["https://example.com"] (a bare string is not a list)',
            )
            return []
        found = []
        for index, entry in enumerate(value, 1):
            normal = self._origin(shown, index, entry)
            if normal is not None:
                found.append(normal)
        return found

    def _origin(self, shown: str, index: int, entry: str) -> str | None:
        where = f"{shown}: origin {entry!r} (item {index} in {shown})"
        if "*" in entry:
            self.add(
                "django_ext.compat.E003",
                f"{where} holds '*', which django-cors-headers compares literally, so it matches no origin; "
                "it is not a wildcard here.",
                "Allow every origin with CORS_ALLOW_ALL_ORIGINS = True (never with credentials), or match "
                r'subdomains with CORS_ALLOWED_ORIGIN_REGEXES = [r"https://([a-z0-9-]+\.)+example\.com"].',
            )
            return None
        if "://" not in entry and entry != "null":
            self.add("corsheaders.E013", f"{where} has no scheme.", f"Write 'https://{entry}' (or http://).")
            return None
        try:
            parts = urlsplit(entry)
        except ValueError:
            parts = None
        if parts is not None and parts.scheme and entry != "file://":  # else: not a URL, see below
            if not parts.netloc:
                self.add("django_ext.compat.E002", f"{where} has no host.", "Write scheme://host[:port].")
                return None
            for part in ("path", "query", "fragment"):
                if getattr(parts, part):
                    self.add(
                        "corsheaders.E014",
                        f"{where} should not have a {part}: an origin is scheme://host[:port].",
                        f"Write '{parts.scheme}://{parts.netloc}'.",
                    )
                    return None
        try:
            return normalize_origin(entry)
        except CORSConfigError as exc:
            if entry == "file://":
                problem = (
                    "is not an origin browsers send for file pages (they send 'null'); django-cors-headers "
                    "accepted it for an old Chrome on Android bug, we never reflect it"
                )
                fix = "Remove it; list 'null' only if you must accept file pages (any sandboxed page sends it too)."
            else:
                problem, fix = f"is not an origin: {exc.problem}", exc.fix
            self.add("django_ext.compat.E004", f"{where} {problem}.", fix[:1].upper() + fix[1:])
            return None

    def regexes(self) -> list[str | re.Pattern[str]]:
        name = "CORS_ALLOWED_ORIGIN_REGEXES"
        shown = written_name(name)
        value = read(name)
        if not _is_sequence(value, (str, re.Pattern)):
            self.add(
                "corsheaders.E007",
                f"{shown} should be a sequence of strings and/or compiled regexes; got {_short(value)}.",
                rf'{shown} = [r"https://([a-z0-9-]+\.)+example\.com"]',
            )
            return []
        found: list[str | re.Pattern[str]] = []
        for index, entry in enumerate(value, 1):
            translated = "~" + entry if isinstance(entry, str) else entry
            try:
                OriginMatcher([translated])
            except CORSConfigError as exc:
                self.add(
                    "django_ext.compat.E005",
                    f"{shown}: regex {_short(entry)} (item {index} in {shown}) is refused: {exc.problem}.",
                    exc.fix[:1].upper() + exc.fix[1:],
                )
                continue
            found.append(translated)
        return found

    def urls(self) -> re.Pattern[str] | None:
        """CORS_URLS_REGEX as a route path pattern keeping the peer's ``re.match`` meaning."""
        value = read("CORS_URLS_REGEX")
        if not isinstance(value, (str, re.Pattern)) or not isinstance(getattr(value, "pattern", ""), str):
            self.add(
                "corsheaders.E009",
                f"CORS_URLS_REGEX should be a string or a compiled str regex; got {_short(value)}.",
                r'CORS_URLS_REGEX = r"^/api/.*$"',
            )
            return None
        if value == _ALL_URLS:
            return None
        try:
            return _prefix_match(value)
        except re.error as exc:
            self.add(
                "django_ext.compat.E005",
                f"CORS_URLS_REGEX: {_short(value)} is not a valid regular expression ({exc}).",
                "Fix the pattern; it is matched against request.path_info from its start.",
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
    return options, reader.problems
