"""Origins: the syntax browsers send, the entries users configure, and matching.

Fetch Standard, section 3.2.5 ("Origin" header) and the HTML Standard's
serialisation of an origin: ``scheme "://" host [ ":" port ]`` with the scheme
and host in lower case and no default port, or the opaque ``null``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Union

from .errors import CORSConfigError
from .regex_chain import Budget
from .regex_cost import check_total_cost
from .regex_safety import RegexUse, guard_regex_cost
from .sites import open_suffix, own_name_fix, own_name_under
from .suffixes import is_ip_literal, public_suffix_below

__all__ = [
    "MAX_ORIGIN_LENGTH",
    "OriginCheck",
    "OriginMatcher",
    "is_serialized_origin",
    "normalize_origin",
]

#: Longest Origin we look at: scheme, 253-octet host and port fit well within it.
#: Checked before any regex runs, it also bounds polynomial backtracking.
MAX_ORIGIN_LENGTH = 300

#: Origins: a whole origin, at most MAX_ORIGIN_LENGTH characters (quadratic chains stay fast).
ORIGIN_REGEX = RegexUse("origin", Budget(MAX_ORIGIN_LENGTH), whole_origin=True)

OriginCheck = Callable[[str, Mapping[str, Any]], bool]
OriginEntry = Union[str, "re.Pattern[str]", OriginCheck]

_DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}
_LABEL = r"[a-z0-9_-]{1,63}"
_ORIGIN = re.compile(
    r"(?P<scheme>[a-z][a-z0-9+.-]*)://"
    rf"(?P<host>{_LABEL}(?:\.{_LABEL})*|\[[0-9a-f:.]+\])"
    r"(?::(?P<port>[1-9][0-9]{0,4}))?"
)
# One or more DNS labels: what a wildcard's '*' stands for. Unambiguous, so linear.
_LABELS = re.compile(rf"{_LABEL}(?:\.{_LABEL})*").fullmatch
_IPV4 = re.compile(
    r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}"
)


def is_serialized_origin(value: str) -> bool:
    """True if ``value`` is exactly one origin as a browser serialises it."""
    if value == "null":
        return True
    if len(value) > MAX_ORIGIN_LENGTH:
        return False
    match = _ORIGIN.fullmatch(value)
    if match is None:
        return False
    scheme, host, port = match.group("scheme", "host", "port")
    if port is not None and (int(port) > 65535 or _DEFAULT_PORTS.get(scheme) == port):
        return False
    if host[-1].isdigit() and host[-1] != "]":
        # A host whose last label is numeric is an IPv4 address to the URL
        # parser, serialised as a dotted quad: '127.1' never reaches us.
        last = host.rsplit(".", 1)[-1]
        if last.isdigit() and _IPV4.fullmatch(host) is None:
            return False
    return len(host) <= 253


def _entry_error(value: object, problem: str, fix: str) -> CORSConfigError:
    return CORSConfigError("origins", value, problem, fix)


def normalize_origin(entry: str) -> str:
    """Normalise a configured exact origin the way browsers serialise one.

    Lower-cases scheme and host, drops a default port and one trailing '/';
    refuses paths, queries, user info and missing schemes with a hint.
    """
    if entry == "null":
        return entry
    return _normalize(entry, entry, "")


def _normalize(value: str, given: str, star: str) -> str:
    """:func:`normalize_origin` of ``value``; errors quote ``given``, the entry as the
    user wrote it, and their examples put ``star`` ('*.' for a wildcard) before the host."""
    if value.strip() != value:
        raise _entry_error(given, "origin has surrounding whitespace", f"write {given.strip()!r}")
    if "://" not in value:
        raise _entry_error(given, "origin has no scheme", f"write 'https://{value}' (or http://)")
    scheme, _, rest = value.partition("://")
    if rest.endswith("/"):
        rest = rest[:-1]
    for char, what in (("/", "path"), ("?", "query"), ("#", "fragment"), ("@", "user info")):
        if char in rest:
            host_part = rest.split(char)[0] if char != "@" else rest.rsplit("@", 1)[-1]
            raise _entry_error(
                given,
                f"an origin has no {what}",
                f"write only scheme://host[:port], e.g. '{scheme.lower()}://{star}{_ascii(host_part.lower())}'",
            )
    scheme = scheme.lower()
    host, sep, port = rest.rpartition(":") if not rest.endswith("]") else (rest, "", "")
    if not sep:
        host, port = rest, ""
    host = host.lower()
    if port and _DEFAULT_PORTS.get(scheme) == port.lstrip("0"):
        port = ""
    normal = f"{scheme}://{host}" + (f":{port}" if port else "")
    if not is_serialized_origin(normal):
        if not host.isascii():
            raise _entry_error(
                given,
                "not a valid origin: browsers send a non-ASCII host in its punycode form",
                _punycode_fix(scheme, star, host, port),
            )
        raise _entry_error(
            given,
            "not a valid origin",
            "write scheme://host[:port] with a DNS name or IP address, "
            "'null', '*', 'https://*.example.com', or '~regex'",
        )
    return normal


def _ascii(host: str) -> str:
    """``host`` as browsers send it: a non-ASCII name in its punycode (``xn--``) form, where it encodes."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _punycode_fix(scheme: str, star: str, host: str, port: str) -> str:
    ascii_host = _ascii(host)
    if not ascii_host.isascii():
        return "write the host's punycode (xn--) form, as the browser's new URL(...).origin shows it"
    suggestion = f"{scheme}://{star}{ascii_host}" + (f":{port}" if port else "")
    return f"write {suggestion!r} (check it against the browser's new URL(...).origin)"


def _compile_wildcard(entry: str) -> tuple[str, str, int]:
    """``scheme://*.example.com[:port]``: strict subdomains at any depth.

    Returns the ``("scheme://", ".example.com[:port]")`` around the labels, and
    the longest origin it may match: a host of at most 253 characters. Refuses a
    base anyone can register a name under (:func:`wsgicors.sites.open_suffix`).
    """
    scheme, _, rest = entry.partition("://")
    base = _normalize(f"{scheme}://{rest[2:]}", entry, "*.")  # validates what follows '*.'
    base_scheme, _, base_host = base.partition("://")
    name = base_host.split("]")[0] + "]" if base_host.startswith("[") else base_host.split(":")[0]
    port = base_host[len(name) :]
    if is_ip_literal(name):
        raise _entry_error(
            entry,
            "an IP address has no subdomains, so this wildcard matches nothing a browser sends",
            f"list the origin exactly: '{base}'",
        )
    if open_suffix(name):
        where = "a top-level domain" if "." not in name else f"the public suffix {name!r}"
        raise _entry_error(
            entry,
            f"a wildcard directly over {where} allows every site under it: anyone can register a name under {name}",
            own_name_fix(base_scheme, name, port),
        )
    below = public_suffix_below(name)
    if below is not None:
        open_name = below.removeprefix("*.")
        raise _entry_error(
            entry,
            f"a wildcard over {name!r} also covers the public suffix {below!r}: anyone can register a name "
            f"under {open_name}",
            f"name the host you own: '{base_scheme}://*.{own_name_under(open_name)}{port}', or list "
            "the origins exactly",
        )
    return (base_scheme + "://", "." + base_host, len(base_scheme) + 3 + 253 + len(port))


def _compile_regex(entry: str | re.Pattern[str], costs: list[tuple[object, int]]) -> re.Pattern[str]:
    pattern, cost = guard_regex_cost(entry, "origins", ORIGIN_REGEX)
    costs.append((entry, cost))
    return pattern


class OriginMatcher:
    """Decides whether an origin is allowed; built once, read-only afterwards.

    ``exact`` is a frozenset of normalised origins (O(1) whatever its size);
    ``wildcards`` and ``patterns`` (user regexes) are full-matched, the latter
    only against values that are one serialised origin; callables are asked last.
    """

    __slots__ = ("any", "checks", "dynamic", "exact", "patterns", "wildcards")

    def __init__(self, origins: object) -> None:
        self.any = False
        exact: set[str] = set()
        patterns: list[re.Pattern[str]] = []
        wildcards: list[tuple[str, str, int]] = []
        checks: list[OriginCheck] = []
        costs: list[tuple[object, int]] = []
        for entry in _entries(origins):
            if isinstance(entry, re.Pattern):
                patterns.append(_compile_regex(entry, costs))
            elif callable(entry):
                checks.append(entry)
            elif not isinstance(entry, str):
                raise _entry_error(
                    entry,
                    "each origin must be a string, a compiled re.Pattern or a callable",
                    "e.g. origins=['https://example.com']",
                )
            elif entry == "*":
                self.any = True
            elif entry.startswith("~"):
                patterns.append(_compile_regex(entry, costs))
            elif "*" in entry:
                if "://*." not in entry or entry.count("*") != 1:
                    raise _entry_error(
                        entry,
                        "'*' is only allowed alone or as the first label ('https://*.example.com')",
                        "use the wildcard form, or a '~regex' for anything else",
                    )
                wildcards.append(_compile_wildcard(entry))
            else:
                exact.add(normalize_origin(entry))
        if self.any and (exact or patterns or wildcards or checks):
            raise _entry_error(
                origins,
                "'*' allows every origin, so the other entries mean nothing",
                "use ['*'] alone, or list the origins without '*'",
            )
        check_total_cost("origins", origins, costs, "origin")
        self.exact = frozenset(exact)
        self.patterns = tuple(patterns)
        self.wildcards = tuple(wildcards)
        self.checks = tuple(checks)
        #: True if origins are matched by pattern or callable, not only by the set.
        self.dynamic = bool(patterns or wildcards or checks)

    def match(self, origin: str, environ: Mapping[str, Any]) -> bool:
        """Is ``origin`` allowed? User regexes and callables see only valid origins."""
        if origin in self.exact:
            return True
        if len(origin) > MAX_ORIGIN_LENGTH:
            return False
        # A wildcard admits only serialised origins: its configured scheme,
        # suffix and port around lower-case labels of 1 to 63 characters, the
        # host at most 253.
        for prefix, suffix, longest in self.wildcards:
            if (
                len(origin) <= longest  # a host of at most 253 characters
                and origin.startswith(prefix)
                and origin.endswith(suffix)
                and _LABELS(origin, len(prefix), len(origin) - len(suffix)) is not None
            ):
                return True
        if not (self.patterns or self.checks) or not is_serialized_origin(origin):
            return False
        for pattern in self.patterns:
            if pattern.fullmatch(origin) is not None:
                return True
        for check in self.checks:
            # A raising check is the caller's to catch: it denies and is logged.
            if check(origin, environ):
                return True
        return False


def _entries(origins: object) -> Iterable[object]:
    if isinstance(origins, (str, re.Pattern)) or callable(origins):
        return (origins,)
    if isinstance(origins, (list, tuple, set, frozenset)):
        return origins
    raise _entry_error(
        origins,
        "origins must be a list of strings, re.Pattern objects or callables",
        "e.g. origins=['https://example.com', 'https://*.example.org']",
    )
