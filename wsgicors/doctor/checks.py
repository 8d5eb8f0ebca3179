"""Chromium's CORS checks on one response: the access check, the preflight checks, readable headers.

Orders and rules follow Chromium (``cors.cc`` ``CheckAccess``,
``preflight_controller.cc``, ``preflight_result.cc``), which refines the Fetch
Standard's "CORS check" and "CORS-preflight fetch" into one error per failure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..digits import ascii_decimal
from .request import SAFELISTED_METHODS, PageRequest, is_token, unsafe_header_names

__all__ = [
    "Failure",
    "Response",
    "access_check",
    "header",
    "is_redirect",
    "parse_allow_list",
    "preflight_check",
    "readable_headers",
    "url_parses",
]

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):(.*)", re.S)
_C0_SPACE = "".join(map(chr, range(0x21)))
_SPECIAL = frozenset({"http", "https", "ws", "wss", "ftp"})
_FORBIDDEN_HOST = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|\x7f]")
_SAFELISTED_RESPONSE = frozenset(
    {"cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"}
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass
class Response:
    """One HTTP answer: status, reason and the header lines as received (values OWS-trimmed)."""

    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes = b""
    notes: list[str] = field(default_factory=list)  # what the transport saw (an app's exception...)
    engine: list[str] = field(default_factory=list)  # the wsgicors logger's records (in-process only)


@dataclass(frozen=True)
class Failure:
    """A Chromium CORS error: its DevTools id and the value it quotes (``hint``)."""

    id: str
    hint: str = ""


def header(response: Response, name: str) -> str | None:
    """All lines of a header joined by ``", "`` (Chromium's GetNormalizedHeader), or None."""
    values = [value for key, value in response.headers if key.lower() == name]
    return ", ".join(values) if values else None


def is_redirect(response: Response) -> bool:
    """A 3xx the network stack follows: a redirect status with a Location header."""
    return response.status in REDIRECT_STATUSES and header(response, "location") is not None


def url_parses(value: str) -> bool:
    """Whether Chromium's URL parser (GURL) accepts ``value`` as an absolute URL.

    A model of the cases that matter here: a scheme is required (so ``example.com``
    and ``127.0.0.1:3000`` fail, while ``localhost:3000`` is scheme ``localhost``);
    special schemes need a valid host and port.
    """
    # The URL parser strips leading and trailing C0 controls and spaces, and drops tabs and newlines.
    value = value.strip(_C0_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")
    match = _SCHEME.fullmatch(value)
    if match is None:
        return False
    scheme, rest = match[1].lower(), match[2]
    if scheme not in _SPECIAL:
        return True
    rest = rest.replace("\\", "/").lstrip("/")
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    hostport = authority.rpartition("@")[2]
    if hostport.startswith("["):
        host, _, port = hostport[1:].partition("]")
        port = port.removeprefix(":")
        if not host or re.fullmatch(r"[0-9A-Fa-f:.]+", host) is None:
            return False
    else:
        host, _, port = hostport.partition(":")
        if not host or _FORBIDDEN_HOST.search(host) is not None:
            return False
    number = ascii_decimal(port)
    return port == "" or (number is not None and number <= 65535)


def access_check(response: Response, origin: str, include: bool) -> Failure | None:
    """Chromium's CheckAccess: the Fetch "CORS check" with one error per failure."""
    allow_origin = header(response, "access-control-allow-origin")
    if allow_origin == "*":
        return Failure("WildcardOriginNotAllowed") if include else None
    if allow_origin is None:
        return Failure("MissingAllowOriginHeader")
    if allow_origin != origin:
        if " " in allow_origin or "," in allow_origin:
            return Failure("MultipleAllowOriginValues", allow_origin)
        if allow_origin != "null" and not url_parses(allow_origin):
            return Failure("InvalidAllowOriginValue", allow_origin)
        return Failure("AllowOriginMismatch", allow_origin)
    if include:
        allow_credentials = header(response, "access-control-allow-credentials")
        if allow_credentials != "true":
            return Failure("InvalidAllowCredentials", allow_credentials or "")
    return None


def parse_allow_list(value: str | None) -> list[str] | None:
    """A comma list of tokens, empty items skipped (Chromium's ValuesIterator); None if unparsable."""
    if value is None:
        return []
    items = [item.strip(" \t") for item in value.split(",")]
    items = [item for item in items if item]
    return items if all(is_token(item) for item in items) else None


def preflight_check(response: Response, request: PageRequest, origin: str) -> Failure | None:
    """The preflight answer, in Chromium's order: redirect, access, status, parsing, method, headers."""
    if is_redirect(response):
        return Failure("PreflightDisallowedRedirect")
    failure = access_check(response, origin, request.include)
    if failure is not None:
        return Failure("Preflight" + failure.id, failure.hint)
    if not 200 <= response.status <= 299:
        return Failure("PreflightInvalidStatus")
    methods = parse_allow_list(header(response, "access-control-allow-methods"))
    if methods is None:
        return Failure("InvalidAllowMethodsPreflightResponse")
    names = parse_allow_list(header(response, "access-control-allow-headers"))
    if names is None:
        return Failure("InvalidAllowHeadersPreflightResponse")
    method = request.method
    if not (method in methods or method.upper() in SAFELISTED_METHODS or ("*" in methods and not request.include)):
        return Failure("MethodDisallowedByPreflightResponse", method)
    allowed = {name.lower() for name in names}
    if "*" in allowed and not request.include:
        return None  # Chromium 156: covers Authorization too (CorsNonWildcardRequestHeadersSupport is off)
    for name in unsafe_header_names(request.headers):
        if name not in allowed:
            return Failure("HeaderDisallowedByPreflightResponse", name)
    return None


def _names(value: str | None) -> Sequence[str]:
    items = parse_allow_list(value)
    return [item.lower() for item in items] if items is not None else []


def readable_headers(response: Response, include: bool) -> dict[str, str]:
    """Response headers a script can read (Fetch "CORS-filtered response"), lower-case names."""
    exposed = set(_names(header(response, "access-control-expose-headers")))
    everything = "*" in exposed and not include
    readable: dict[str, str] = {}
    for name, _ in response.headers:
        lname = name.lower()
        if lname in ("set-cookie", "set-cookie2") or lname in readable:
            continue
        if everything or lname in _SAFELISTED_RESPONSE or lname in exposed:
            readable[lname] = header(response, lname) or ""
    return readable
