"""The origin settings (``CORS_ALLOWED_ORIGINS``, ``CORS_ALLOWED_ORIGIN_REGEXES`` and their old names), read
as django-cors-headers reads them, each bad entry reported with a fix written as the setting it belongs in."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from wsgicors import CORSConfigError
from wsgicors.compat_advice import regex_fix
from wsgicors.compat_fix import regex_literal
from wsgicors.origins import OriginMatcher, normalize_origin

from .conf import read, written_name
from .problems import Problems, is_sequence, short
from .vocab import capital, rewrite

__all__ = ["OriginSettings"]


class OriginSettings(Problems):
    """Reads the origin settings; every problem is added."""

    def origins(self) -> list[str]:
        """CORS_ALLOWED_ORIGINS, normalised; every bad entry reported."""
        name = "CORS_ALLOWED_ORIGINS"
        shown = written_name(name)
        value = read(name)
        if not is_sequence(value, str):
            self.add(
                "corsheaders.E006",
                f"{shown} should be a sequence of strings (a list or tuple); got {short(value)}.",
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
                self.add(
                    "django_ext.compat.E002",
                    f"{where} has no host.",
                    f"Write scheme://host[:port], e.g. '{parts.scheme}://example.com'.",
                )
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
            elif entry.startswith("~"):
                problem = "is a regex in corsgate's native syntax; django-cors-headers reads regexes from their setting"
                fix = f"{written_name('CORS_ALLOWED_ORIGIN_REGEXES')} = [{regex_literal(entry[1:])}]"
            elif exc.problem == "not a valid origin":
                problem, fix = (
                    "is not an origin",
                    "write scheme://host[:port] with a DNS name or IP address, e.g. 'https://example.com'",
                )
            else:
                problem, fix = f"is not an origin: {exc.problem}", rewrite(exc.fix)
            self.add("django_ext.compat.E004", f"{where} {problem}.", capital(fix))
            return None

    def regexes(self) -> list[str | re.Pattern[str]]:
        name = "CORS_ALLOWED_ORIGIN_REGEXES"
        shown = written_name(name)
        value = read(name)
        if not is_sequence(value, (str, re.Pattern)):
            self.add(
                "corsheaders.E007",
                f"{shown} should be a sequence of strings and/or compiled regexes; got {short(value)}.",
                rf'{shown} = [r"https://([a-z0-9-]+\.)+example\.com"]',
            )
            return []
        found: list[str | re.Pattern[str]] = []
        for index, entry in enumerate(value, 1):
            translated = "~" + entry if isinstance(entry, str) else entry
            try:
                OriginMatcher([translated])
            except CORSConfigError as exc:
                seen, fix = self._regex_fix(entry, exc)
                self.add(
                    "django_ext.compat.E005",
                    f"{shown}: regex {short(entry)} (item {index} in {shown}) is refused: {exc.problem}{seen}.",
                    capital(fix),
                )
                continue
            found.append(translated)
        return found

    @staticmethod
    def _regex_fix(entry: str | re.Pattern[str], exc: CORSConfigError) -> tuple[str, str]:
        """What a refused regex lets in, and the fix as a regex string for CORS_ALLOWED_ORIGIN_REGEXES."""
        if isinstance(entry, str) and entry.startswith("~"):
            return (
                "",
                f"Write it without corsgate's leading regex mark: {regex_literal(entry[1:])}",
            )
        try:
            compiled = re.compile(entry) if isinstance(entry, str) else entry
        except re.error:
            return "", rewrite(exc.fix, in_regexes=True)
        return regex_fix(compiled, exc, regex_literal)
