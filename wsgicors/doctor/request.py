"""What the page asks for, as the browser sees it: origin, URL, method, author headers, body.

Fetch Standard "Methods", "Headers" (forbidden request-header, CORS-unsafe
request-header names) and "CORS-preflight fetch": the doctor's own model,
independent of the wsgicors engine (it must not share the engine's bugs).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..suffixes import is_ip_literal

__all__ = [
    "Origin",
    "PageRequest",
    "Url",
    "UsageError",
    "is_token",
    "normalise_method",
    "parse_origin",
    "parse_url",
    "preflight_reasons",
    "split_author_headers",
    "unsafe_header_names",
]

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_NORMALISED_METHODS = frozenset({"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"})
_FORBIDDEN_METHODS = frozenset({"CONNECT", "TRACE", "TRACK"})
SAFELISTED_METHODS = frozenset({"GET", "HEAD", "POST"})
_FORBIDDEN_HEADERS = frozenset(
    {
        "accept-charset", "accept-encoding", "access-control-request-headers", "access-control-request-method",
        "connection", "content-length", "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive",
        "origin", "referer", "set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via",
    }
)  # fmt: skip
_METHOD_OVERRIDES = frozenset({"x-http-method", "x-http-method-override", "x-method-override"})
# Fetch: "CORS-unsafe request-header byte".
_UNSAFE_BYTE = re.compile(r'[\x00-\x08\x0a-\x1f"():<>?@\[\\\]{}\x7f]')
_LANGUAGE_VALUE = re.compile(r"[0-9A-Za-z *,\-.;=]*")
_SIMPLE_RANGE = re.compile(r"bytes=([0-9]+)-([0-9]*)")
_SAFE_MIME_ESSENCES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})
_MIME = re.compile(r"[ \t\r\n]*([!#$%&'*+.^_`|~0-9A-Za-z-]+)/([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t\r\n]*(;.*)?", re.S)


class UsageError(ValueError):
    """Input the browser would refuse before sending anything (exit status 2)."""


def is_token(value: str) -> bool:
    """RFC 9110 token: a method or a header name."""
    return _TOKEN.fullmatch(value) is not None


@dataclass(frozen=True)
class Origin:
    """A page origin: ``(scheme, host, port)``, or the opaque origin ``null``."""

    scheme: str = ""
    host: str = ""
    port: int = 0

    @property
    def opaque(self) -> bool:
        return not self.scheme

    def serialise(self) -> str:
        """Fetch's byte-serialised origin: lower case, default port dropped; ``null`` if opaque."""
        if self.opaque:
            return "null"
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = _DEFAULT_PORTS.get(self.scheme)
        return f"{self.scheme}://{host}" if self.port == default else f"{self.scheme}://{host}:{self.port}"

    def same_origin(self, other: Origin) -> bool:
        return not self.opaque and (self.scheme, self.host, self.port) == (other.scheme, other.host, other.port)


NULL_ORIGIN = Origin()


@dataclass(frozen=True)
class Url:
    """An absolute http(s) URL, split the way the doctor needs it."""

    scheme: str
    host: str
    port: int
    target: str  # path and query, as sent in the request line
    userinfo: bool = False

    @property
    def origin(self) -> Origin:
        return Origin(self.scheme, self.host, self.port)

    def serialise(self) -> str:
        """The URL as Chromium prints it: lower-case scheme and host, no default port."""
        return self.origin.serialise() + self.target


_HTTP_PREFIX = re.compile(r"(https?):/*", re.I)


def _is_local(host: str) -> bool:
    return host == "localhost" or host.endswith(".localhost") or is_ip_literal(host)


def _did_you_mean(text: str, parse: Callable[[str], Any]) -> str:
    """`` (did you mean 'http://127.0.0.1:8000/api'?)`` for a scheme left out or mistyped; a suggestion only
    when ``parse`` accepts it (http for localhost and IP literals, as a dev server is; https elsewhere)."""
    prefix = _HTTP_PREFIX.match(text)
    if prefix is not None:
        scheme: str | None = prefix[1].lower()
        rest = text[prefix.end() :]
    elif "://" in text:
        return ""  # another scheme (ftp://, file://): nothing to guess
    else:
        scheme, rest = None, text.lstrip("/")
    if parse is parse_origin:
        rest = re.split(r"[/?#]", rest, maxsplit=1)[0]  # an origin has no path
    try:
        parts = urlsplit("http://" + rest)
        host = (parts.hostname or "").lower()
    except ValueError:
        return ""
    if not host or parts.username is not None:  # 'mailto:a@b' is not a host with a scheme left out
        return ""
    suggestion = f"{scheme or ('http' if _is_local(host) else 'https')}://{rest}"
    try:
        parse(suggestion)
    except UsageError:
        return ""
    return f": did you mean {suggestion!r}?"


def _split(text: str, what: str, parse: Callable[[str], Any]) -> tuple[str, str, int, str, bool]:
    if any(ch in text for ch in "\r\n\t\x00 "):
        raise UsageError(f"{what} {text!r} holds whitespace or control characters")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise UsageError(f"{what} {text!r} is not a URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        hint = _did_you_mean(text, parse)
        raise UsageError(f"{what} {text!r} needs an http:// or https:// scheme{hint}" if hint else
                         f"{what} {text!r}: only http and https are supported")  # fmt: skip
    host = (parts.hostname or "").lower()
    if not host:
        raise UsageError(f"{what} {text!r} has no host{_did_you_mean(text, parse)}")
    path = parts.path or "/"
    target = path + (f"?{parts.query}" if parts.query else "")
    userinfo = parts.username is not None or parts.password is not None
    return scheme, host, port if port is not None else _DEFAULT_PORTS[scheme], target, userinfo


def parse_url(text: str) -> Url:
    """The request URL (``UsageError`` if it is not absolute http or https)."""
    return Url(*_split(text, "URL", parse_url))


def parse_origin(text: str) -> Origin:
    """``scheme://host[:port]`` or ``null``; a path, query or userinfo is refused."""
    if text == "null":
        return NULL_ORIGIN
    scheme, host, port, target, userinfo = _split(text, "origin", parse_origin)
    origin = Origin(scheme, host, port)
    if userinfo or target != "/" or text.endswith("/") or "#" in text:
        raise UsageError(
            f"origin {text!r} must be scheme://host[:port], without path or slash: did you mean {origin.serialise()!r}?"
        )
    return origin


def normalise_method(method: str) -> str:
    """fetch()'s method normalisation: the six standard names upper-cased, the rest as given."""
    if not is_token(method):
        raise UsageError(f"method {method!r} is not an HTTP token")
    upper = method.upper()
    if upper in _FORBIDDEN_METHODS:
        raise UsageError(f"fetch() refuses the method {method}: it is a forbidden method, nothing would be sent")
    return upper if upper in _NORMALISED_METHODS else method


def _forbidden(name: str, value: str) -> str | None:
    """Why the browser drops this author header, or None if it keeps it."""
    lname = name.lower()
    if lname in _FORBIDDEN_HEADERS or lname.startswith(("proxy-", "sec-")):
        hint = " (use --credentials include and --cookie)" if lname == "cookie" else ""
        return f"{name} is a forbidden request header: the browser does not send it{hint}"
    if lname in _METHOD_OVERRIDES:
        for item in value.split(","):
            if item.strip(" \t").upper() in _FORBIDDEN_METHODS:
                return f"{name}: {item.strip()} names a forbidden method: the browser does not send it"
    return None


def split_author_headers(raw: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """``-H 'Name: value'`` arguments -> (headers the browser sends, warnings for those it drops)."""
    kept: list[tuple[str, str]] = []
    warnings: list[str] = []
    for item in raw:
        name, sep, value = item.partition(":")
        name, value = name.strip(), value.strip(" \t")
        if not sep or not is_token(name):
            raise UsageError(f"header {item!r} is not 'Name: value'")
        if any(ch in value for ch in "\r\n\x00"):
            raise UsageError(f"header {name}: the value holds CR, LF or NUL; fetch() throws a TypeError")
        why = _forbidden(name, value)
        if why is not None:
            warnings.append(why)
            continue
        # Headers.append combines repeated names with ", ".
        for i, (old, old_value) in enumerate(kept):
            if old.lower() == name.lower():
                kept[i] = (old, f"{old_value}, {value}")
                break
        else:
            kept.append((name, value))
    return kept, warnings


def _value_unsafe(lname: str, value: str) -> bool:
    if len(value.encode("utf-8")) > 128:
        return True
    if lname == "accept":
        return _UNSAFE_BYTE.search(value) is not None
    if lname in ("accept-language", "content-language"):
        return _LANGUAGE_VALUE.fullmatch(value) is None
    if lname == "content-type":
        if _UNSAFE_BYTE.search(value) is not None:
            return True
        mime = _MIME.fullmatch(value)
        return mime is None or f"{mime[1]}/{mime[2]}".lower() not in _SAFE_MIME_ESSENCES
    if lname == "range":
        match = _SIMPLE_RANGE.fullmatch(value)
        return match is None or (match[2] != "" and int(match[1]) > int(match[2]))
    return True


def unsafe_header_names(headers: list[tuple[str, str]]) -> dict[str, str]:
    """Fetch's CORS-unsafe request-header names (lower case, sorted) -> why each is unsafe."""
    unsafe: dict[str, str] = {}
    safe_total = 0
    safe: list[str] = []
    for name, value in headers:
        lname = name.lower()
        if lname not in ("accept", "accept-language", "content-language", "content-type", "range"):
            unsafe[lname] = f"header {lname} is not CORS-safelisted"
        elif len(value.encode("utf-8")) > 128:
            unsafe[lname] = f"header {lname}: its value is longer than 128 bytes"
        elif _value_unsafe(lname, value):
            unsafe[lname] = f"header {lname}: the value {value!r} is not CORS-safelisted"
        else:
            safe_total += len(value.encode("utf-8"))
            safe.append(lname)
    if safe_total > 1024:
        for lname in safe:
            unsafe[lname] = f"header {lname}: the safelisted values add up to more than 1024 bytes"
    return dict(sorted(unsafe.items()))


def preflight_reasons(method: str, headers: list[tuple[str, str]]) -> list[str]:
    """Why a cross-origin fetch() of this request needs a preflight (empty: it does not)."""
    reasons = [] if method in SAFELISTED_METHODS else [f"method {method} is not GET, HEAD or POST"]
    return reasons + list(unsafe_header_names(headers).values())


@dataclass
class PageRequest:
    """One fetch() or XHR from a page, after the browser's own normalisation."""

    url: Url
    origin: Origin
    method: str = "GET"
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | None = None
    credentials: str = "same-origin"  # omit | same-origin | include
    cookie: str | None = None
    initiator: str = "fetch"  # fetch | xhr
    warnings: list[str] = field(default_factory=list)

    @property
    def include(self) -> bool:
        """Fetch's "credentials mode is include": the CORS checks ask for ACAC: true."""
        return self.credentials == "include"

    def with_origin(self, origin: Origin) -> PageRequest:
        return PageRequest(
            self.url, origin, self.method, list(self.headers), self.body, self.credentials, self.cookie, self.initiator
        )
