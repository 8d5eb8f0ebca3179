"""The options: their names and defaults, and the validation of each value.

:class:`~wsgicors.policy.Policy` runs these checks once, at start-up; every
invalid value raises :class:`CORSConfigError` naming the option, the value and a fix.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

if TYPE_CHECKING:
    from .routes import Route

from .errors import CORSConfigError
from .tokens import is_token

__all__ = [
    "DEFAULTS",
    "DEFAULT_METHODS",
    "MAX_AGE_LIMIT",
    "MAX_HEADER_VALUE",
    "OPTION_NAMES",
    "ROUTE_MATCH_KEYS",
    "CORSConfigWarning",
    "Names",
    "Options",
    "OriginCheck",
    "Origins",
    "RouteOptions",
    "ViewOptions",
    "documented",
    "check_max_age",
    "meant_bool",
    "check_preflight_status",
    "validate_bool",
    "validate_names",
    "warn_forbidden_headers",
]

#: Kong's default for ``methods``.
DEFAULT_METHODS = ("GET", "HEAD", "PUT", "PATCH", "POST", "DELETE", "OPTIONS", "TRACE", "CONNECT")

DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {
        "origins": ("*",),
        "methods": DEFAULT_METHODS,
        "headers": None,
        "exposed_headers": None,
        "credentials": False,
        "max_age": None,
        "private_network": False,
        "preflight_continue": False,
        "allow_origin_absent": True,
        "preflight_status": 200,
        "routes": None,
    }
)
#: Every option's name, in documentation order.
OPTION_NAMES = tuple(DEFAULTS)
ROUTE_MATCH_KEYS = ("paths", "match_methods", "hosts")

#: A callable origin check: ``check(origin, environ) -> bool`` (Django: ``request.META``).
OriginCheck = Callable[[str, Mapping[str, Any]], bool]
#: ``origins``: '*', exact origins, ``https://*.host`` wildcards, '~regex' strings or compiled
#: patterns (one, or a list or set of them), or a callable check.
Origins = str | re.Pattern[str] | OriginCheck | Sequence[str | re.Pattern[str]] | AbstractSet[str | re.Pattern[str]]
#: Method or header names: a list or set of names, a comma-separated string, or '*'.
Names = str | Sequence[str] | AbstractSet[str]


class ViewOptions(TypedDict, total=False):
    """The options of one policy, without ``routes`` (a view's, a blueprint's, a route's overrides)."""

    origins: Origins
    methods: Names
    headers: Names | None
    exposed_headers: Names | None
    credentials: bool
    max_age: int | None
    private_network: bool
    preflight_continue: bool
    allow_origin_absent: bool
    preflight_status: int


class RouteOptions(ViewOptions, total=False):
    """One route dict of ``routes``: its match keys, and the options it overrides."""

    paths: str | re.Pattern[str] | Sequence[str | re.Pattern[str]]
    match_methods: Names
    hosts: str | Sequence[str]


class Options(ViewOptions, total=False):
    """Every option, keyword-only, with its default.

    Unknown names and wrong types are refused at start-up too::

        origins=['*']
            '*', exact origins, 'https://*.example.com' (strict subdomains), '~regex' or
            re.Pattern (full-matched), or a callable check(origin, environ) -> bool.
        methods=['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']
            Access-Control-Allow-Methods; '*' echoes the requested method.
        headers=None
            Access-Control-Allow-Headers; None or '*' echoes the requested headers.
        exposed_headers=None
            Access-Control-Expose-Headers; '*' exposes every header of the response.
        credentials=False
            Send Access-Control-Allow-Credentials: true (never with origins '*').
        max_age=None
            Access-Control-Max-Age, in whole seconds.
        private_network=False
            Answer Access-Control-Request-Private-Network with ...-Allow-Private-Network: true.
        preflight_continue=False
            Pass preflights on to the app instead of answering them.
        allow_origin_absent=True
            Requests without Origin still get the headers that do not depend on it.
        preflight_status=200
            Status of a preflight answered here (200-299; 204 is common).
        routes=None
            Scoped policies: [{'paths': ['/api'], 'match_methods': [...], 'hosts': [...], <option>: ...}];
            the first match wins, and requests that match none pass through untouched.
    """

    routes: Sequence[RouteOptions | Route] | None


_Documented = TypeVar("_Documented", bound=Callable[..., Any])


def _options_help(routes: bool) -> str:
    """The options block of :class:`Options`' docstring (without ``routes`` for a view)."""
    text = (Options.__doc__ or "").split("::\n", 1)[-1]  # the literal block: an option a paragraph
    if not routes:
        text = text.split("\n        routes=", 1)[0] + "\n"
    return text


def documented(obj: _Documented) -> _Documented:
    """``obj`` with the options and their defaults (:class:`Options`' docstring) appended to its own, for help().

    A view decorator (a function) gets them without ``routes``.
    """
    if obj.__doc__ and Options.__doc__:  # docstrings are gone under python -OO
        options = _options_help(routes=isinstance(obj, type))
        obj.__doc__ = obj.__doc__.rstrip() + "\n\n    Options (keyword-only; see wsgicors.Options)::\n" + options
    return obj


# Header names a script can never set (Fetch, "forbidden request-header"):
# listing them in ``headers`` does nothing, which misleads (pitfalls #54).
_FORBIDDEN_REQUEST_HEADERS = frozenset(
    "accept-charset accept-encoding access-control-request-headers "
    "access-control-request-method connection content-length cookie cookie2 date dnt "
    "expect host keep-alive origin referer te trailer transfer-encoding upgrade via".split()
)


class CORSConfigWarning(UserWarning):
    """A configuration that works but is probably not what was meant."""


#: Strings that mean "off" where a switch was read from text (an environment variable, an .ini file).
_FALSE_WORDS = frozenset({"", "0", "false", "no", "off", "none", "n", "f"})


def meant_bool(value: object) -> bool:
    """What a non-bool switch probably meant: ``'false'``, ``'0'``, ``0``, ``None`` -> False."""
    if isinstance(value, str):
        return value.strip().lower() not in _FALSE_WORDS
    return bool(value)


def validate_bool(name: str, value: object, example: bool | None = None) -> bool:
    """``value`` if it is True or False; else a :class:`CORSConfigError` whose fix is ``name=example``
    (by default the value meant: ``credentials='false'`` -> ``credentials=False``)."""
    if not isinstance(value, bool):
        meant = meant_bool(value) if example is None else example
        raise CORSConfigError(name, value, "must be True or False", f"{name}={meant}")
    return value


#: The response header each list option is joined into.
_EMITTED = {
    "methods": "Access-Control-Allow-Methods",
    "headers": "Access-Control-Allow-Headers",
    "exposed_headers": "Access-Control-Expose-Headers",
}
#: Largest ``max_age``: 2**31 - 1, the largest delta-seconds caches must accept (RFC 9111, section 1.2.2).
MAX_AGE_LIMIT = 2**31 - 1
#: Longest header value we emit: servers and proxies refuse longer header lines
#: (8 KB is a common limit: nginx, Apache, gunicorn's request side).
MAX_HEADER_VALUE = 8192


def validate_names(name: str, value: object, *, upper: bool) -> tuple[str, ...] | None:
    """A list of tokens (a comma-separated string is accepted); None for '*'.

    ``upper``: method names (upper-cased, compared exactly); otherwise header
    names (compared case-insensitively, the first spelling kept). Built in one
    pass, whatever the length; a list whose joined header value would exceed
    :data:`MAX_HEADER_VALUE` is refused.
    """
    example = "'PATCH'" if upper else "'X-Token'"
    given = value
    if isinstance(value, str):
        value = [item.strip() for item in value.split(",") if item.strip()]
    if not isinstance(value, (list, tuple, set, frozenset)):
        raise CORSConfigError(name, value, "must be a list of names or '*'", f"{name}=[{example}]")
    items: dict[str, str] = {}  # comparison key -> the name as first given
    for item in value:
        if not isinstance(item, str) or not (item == "*" or is_token(item)):
            what = "method" if upper else "header"
            raise CORSConfigError(
                name, item, "not a valid HTTP token", f"use {what} names such as {example} (no spaces or commas)"
            )
        item = item.upper() if upper else item
        items.setdefault(item if upper else item.lower(), item)
    if "*" in items:
        if len(items) > 1:
            raise CORSConfigError(name, value, "'*' already means any", f"{name}='*' alone")
        return None
    names = tuple(items.values())
    if not names and name.rpartition(".")[2] == "methods":
        # An empty Access-Control-Allow-Methods is no header a browser can use: refuse, never send it.
        raise CORSConfigError(
            name,
            given,
            "an empty list allows no method (browsers still send GET, HEAD and POST without one)",
            f"{name}=['GET', 'HEAD', 'POST'] for only those, or leave it out for the default",
        )
    header = _EMITTED.get(name.rpartition(".")[2])
    length = sum(map(len, names)) + 2 * (len(names) - 1)
    if header is not None and length > MAX_HEADER_VALUE:
        raise CORSConfigError(
            name,
            value,
            f"{len(names):,} names join into an {header} value of {length:,} characters, more than "
            f"the {MAX_HEADER_VALUE:,} that servers and proxies accept",
            "list fewer names" + ("" if name.endswith("exposed_headers") else ", or '*' (the request's own, echoed)"),
        )
    return names


def check_max_age(max_age: object) -> int | None:
    """``max_age``: a whole number of seconds from 0 to 2**31 - 1, or None.

    Larger values are not a delta-seconds browsers read (they cap far lower anyway:
    Chromium at 7200 s, two hours; Firefox at 86400 s, 24 hours).
    """
    if max_age is not None and (isinstance(max_age, bool) or not isinstance(max_age, int) or max_age < 0):
        raise CORSConfigError("max_age", max_age, "must be a whole number of seconds >= 0, or None", "max_age=3600")
    if max_age is not None and max_age > MAX_AGE_LIMIT:
        raise CORSConfigError(
            "max_age",
            max_age,
            f"more than {MAX_AGE_LIMIT:,} seconds (2**31 - 1); browsers cache a preflight far less long "
            "anyway: Chromium at most 7200 s (2 hours), Firefox at most 86400 s (24 hours)",
            "max_age=7200",
        )
    return max_age


def check_preflight_status(status: object) -> int:
    """``preflight_status``: an ok status (Fetch, "CORS-preflight fetch", step 7)."""
    if isinstance(status, bool) or not isinstance(status, int) or not 200 <= status <= 299:
        raise CORSConfigError(
            "preflight_status",
            status,
            "a preflight answer must have an ok status (200-299)",
            "preflight_status=200 or preflight_status=204",
        )
    return status


def warn_forbidden_headers(headers: tuple[str, ...] | None) -> None:
    """Warn when ``headers`` lists names browsers never let scripts set."""
    if headers:
        forbidden = sorted(h for h in headers if h.lower() in _FORBIDDEN_REQUEST_HEADERS)
        if forbidden:
            warnings.warn(
                f"CORS option 'headers' lists {forbidden!r}: browsers never let scripts "
                "set these, so allowing them does nothing",
                CORSConfigWarning,
                stacklevel=3,
            )
