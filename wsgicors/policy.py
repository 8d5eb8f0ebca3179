"""The policy: validated, immutable options with everything precomputed."""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from .decision import Decision, Kind, make_decision
from .errors import CORSConfigError
from .origins import OriginMatcher
from .tokens import is_token

__all__ = [
    "DEFAULT_METHODS",
    "OPTION_NAMES",
    "CORSConfigWarning",
    "Policy",
    "Route",
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

# Header names a script can never set (Fetch, "forbidden request-header"):
# listing them in ``headers`` does nothing, which misleads (pitfalls #54).
_FORBIDDEN_REQUEST_HEADERS = frozenset(
    "accept-charset accept-encoding access-control-request-headers "
    "access-control-request-method connection content-length cookie cookie2 date dnt "
    "expect host keep-alive origin referer te trailer transfer-encoding upgrade via".split()
)

ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"
ACAM = "Access-Control-Allow-Methods"
ACAH = "Access-Control-Allow-Headers"
ACEH = "Access-Control-Expose-Headers"
ACMA = "Access-Control-Max-Age"
ACAPN = "Access-Control-Allow-Private-Network"


class CORSConfigWarning(UserWarning):
    """A configuration that works but is probably not what was meant."""


def closest(name: str, choices: Iterable[str]) -> str:
    """A hint naming the closest valid name, or listing them all."""
    choices = list(choices)
    match = difflib.get_close_matches(name, choices, n=1)
    if match:
        return f"did you mean {match[0]!r}?"
    return "valid names: " + ", ".join(choices)


def _bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise CORSConfigError(name, value, "must be True or False", f"{name}=True")
    return value


def _names(name: str, value: object, *, upper: bool) -> tuple[str, ...] | None:
    """A list of tokens (a comma-separated string is accepted); None for '*'."""
    if isinstance(value, str):
        value = [item.strip() for item in value.split(",") if item.strip()]
    if not isinstance(value, (list, tuple, set, frozenset)):
        raise CORSConfigError(name, value, "must be a list of names or '*'", f"{name}=['X-Token']")
    items: list[str] = []
    for item in value:
        if not isinstance(item, str) or not (item == "*" or is_token(item)):
            raise CORSConfigError(
                name, item, "not a valid HTTP token", "use names such as 'X-Token' (no spaces or commas)"
            )
        item = item.upper() if upper else item
        if item not in items:
            items.append(item)
    if "*" in items:
        if len(items) > 1:
            raise CORSConfigError(name, value, "'*' already means any", f"{name}='*' alone")
        return None
    return tuple(items)


class Policy:
    """An immutable, validated CORS policy; build it once and share it.

    Options are Kong's (see the README): ``origins, methods, headers,
    exposed_headers, credentials, max_age, private_network, preflight_continue,
    allow_origin_absent, preflight_status, routes``. Every invalid value raises
    :class:`CORSConfigError` naming the option, the value and a fix.
    """

    __slots__ = (
        "actual_by_origin",
        "actual_tail",
        "actual_vary",
        "allow_origin_absent",
        "allowed_headers",
        "any_actual",
        "credentials",
        "denied",
        "denied_preflight",
        "expose_response_headers",
        "headers_value",
        "matcher",
        "max_age",
        "methods",
        "methods_value",
        "no_origin",
        "options",
        "preflight_answer_status",
        "preflight_base_headers",
        "preflight_by_origin",
        "preflight_continue",
        "preflight_end",
        "preflight_headers",
        "preflight_methods",
        "preflight_status",
        "preflight_tail",
        "preflight_vary",
        "preflight_vary_line",
        "private_network",
        "routes",
        "vary_origin",
    )

    options: Mapping[str, Any]
    matcher: OriginMatcher
    #: None without ``routes``; else the bound routes (an empty tuple covers nothing).
    routes: tuple[Route, ...] | None
    methods: frozenset[str] | None
    methods_value: str
    allowed_headers: frozenset[str] | None
    headers_value: str | None
    credentials: bool
    max_age: int | None
    private_network: bool
    preflight_continue: bool
    allow_origin_absent: bool
    preflight_status: int
    preflight_base_headers: tuple[tuple[str, str], ...]
    vary_origin: bool
    no_origin: Decision
    denied: Decision
    denied_preflight: Decision
    any_actual: Decision | None
    #: Origin (None or '' for none) -> precomputed answer of an actual request.
    actual_by_origin: Mapping[str | None, Decision]
    actual_tail: tuple[tuple[str, str], ...]
    #: Origin ('*' for a '*' policy) -> the full preflight answer, when it is static.
    preflight_by_origin: Mapping[str, Decision]
    actual_vary: tuple[str, ...]
    expose_response_headers: bool
    preflight_tail: tuple[tuple[str, str], ...]
    preflight_methods: tuple[tuple[str, str], ...]
    preflight_headers: tuple[tuple[str, str], ...]
    preflight_end: tuple[tuple[str, str], ...]
    preflight_vary: tuple[str, ...]
    preflight_vary_line: tuple[str, str] | None
    preflight_answer_status: int | None

    def __init__(self, **options: Any) -> None:
        unknown = [name for name in options if name not in DEFAULTS]
        if unknown:
            raise CORSConfigError(unknown[0], options[unknown[0]], "unknown option", closest(unknown[0], OPTION_NAMES))
        merged = {**DEFAULTS, **options}
        set_ = object.__setattr__
        set_(self, "options", MappingProxyType(merged))

        matcher = OriginMatcher(merged["origins"])
        credentials = _bool("credentials", merged["credentials"])
        if matcher.any and credentials:
            raise CORSConfigError(
                "origins",
                merged["origins"],
                "'*' with credentials=True would hand every site the user's "
                "cookies (Kong reflects any origin here; we refuse)",
                "list the trusted origins explicitly, or set credentials=False",
            )
        methods = _names("methods", merged["methods"], upper=True)
        headers = _names("headers", merged["headers"], upper=False) if merged["headers"] is not None else None
        exposed = (
            _names("exposed_headers", merged["exposed_headers"], upper=False)
            if merged["exposed_headers"] is not None
            else ()
        )
        max_age = merged["max_age"]
        if max_age is not None and (isinstance(max_age, bool) or not isinstance(max_age, int) or max_age < 0):
            raise CORSConfigError("max_age", max_age, "must be a whole number of seconds >= 0, or None", "max_age=3600")
        status = merged["preflight_status"]
        if isinstance(status, bool) or not isinstance(status, int) or not 200 <= status <= 299:
            raise CORSConfigError(
                "preflight_status",
                status,
                "a preflight answer must have an ok status (200-299)",
                "200 or 204",
            )
        if headers:
            forbidden = sorted(h for h in headers if h.lower() in _FORBIDDEN_REQUEST_HEADERS)
            if forbidden:
                warnings.warn(
                    f"CORS option 'headers' lists {forbidden!r}: browsers never let scripts "
                    "set these, so allowing them does nothing",
                    CORSConfigWarning,
                    stacklevel=2,
                )

        set_(self, "matcher", matcher)
        set_(self, "credentials", credentials)
        set_(self, "methods", frozenset(methods) if methods is not None else None)
        set_(self, "methods_value", ", ".join(methods) if methods is not None else "")
        set_(self, "allowed_headers", frozenset(h.lower() for h in headers) if headers is not None else None)
        set_(self, "headers_value", ", ".join(headers) if headers else None)
        set_(self, "max_age", max_age)
        set_(self, "private_network", _bool("private_network", merged["private_network"]))
        set_(self, "preflight_continue", _bool("preflight_continue", merged["preflight_continue"]))
        set_(self, "allow_origin_absent", _bool("allow_origin_absent", merged["allow_origin_absent"]))
        set_(self, "preflight_status", status)
        set_(
            self,
            "preflight_base_headers",
            (("Content-Type", "text/plain"), ("Content-Length", "0")) if status != 204 else (),
        )
        self._precompute(exposed)
        set_(self, "routes", _build_routes(merged))

    def _precompute(self, exposed: tuple[str, ...] | None) -> None:
        """Every answer that does not depend on the request, built once."""
        set_ = object.__setattr__
        any_origin = self.matcher.any
        # '*' without credentials, sent also without Origin: nothing is
        # reflected, so no response varies on Origin (DESIGN, "Vary").
        vary_origin = not (any_origin and self.allow_origin_absent)
        set_(self, "vary_origin", vary_origin)
        origin_vary: tuple[str, ...] = ("Origin",) if vary_origin else ()

        tail: list[tuple[str, str]] = []
        if self.credentials:
            tail.append((ACAC, "true"))
        expose_all = exposed is None and self.credentials
        if exposed is None and not self.credentials:
            tail.append((ACEH, "*"))
        elif exposed:
            tail.append((ACEH, ", ".join(exposed)))
        actual_tail = tuple(tail)
        set_(self, "actual_tail", actual_tail)
        set_(self, "actual_vary", origin_vary)
        set_(self, "expose_response_headers", expose_all)

        pre: list[tuple[str, str]] = [(ACAC, "true")] if self.credentials else []
        if self.max_age is not None:
            pre.append((ACMA, str(self.max_age)))
        set_(self, "preflight_tail", tuple(pre))
        set_(self, "preflight_methods", ((ACAM, self.methods_value),) if self.methods is not None else ())
        set_(self, "preflight_headers", ((ACAH, self.headers_value),) if self.headers_value is not None else ())
        set_(self, "preflight_end", () if self.preflight_continue else self.preflight_base_headers)

        if any_origin:
            star = ((ACAO, "*"), *actual_tail)
            set_(self, "any_actual", make_decision(Kind.ACTUAL, star, origin_vary))
            no_origin = (
                make_decision(Kind.NOT_CORS, star)
                if self.allow_origin_absent
                else make_decision(Kind.NOT_CORS, (), origin_vary)
            )
        else:
            set_(self, "any_actual", None)
            no_origin = make_decision(Kind.NOT_CORS, (), origin_vary)
        set_(self, "no_origin", no_origin)
        set_(self, "denied", make_decision(Kind.DENIED, (), origin_vary, reason="origin not allowed"))
        preflight_vary = self._preflight_vary(origin_vary)
        set_(self, "preflight_vary", preflight_vary)
        set_(self, "preflight_vary_line", ("Vary", ", ".join(preflight_vary)) if preflight_vary else None)
        # None: the app answers the preflight (preflight_continue).
        set_(self, "preflight_answer_status", None if self.preflight_continue else self.preflight_status)
        set_(
            self,
            "denied_preflight",
            make_decision(
                Kind.DENIED,
                self.preflight_end,
                preflight_vary,
                status=self.preflight_answer_status,
                reason="origin not allowed",
            ),
        )
        # One lookup serves the hot path: no Origin (None or "") and every exact
        # origin's precomputed answer; anything else falls through to matching.
        by_origin: dict[str | None, Decision] = {origin: self.actual_answer(origin) for origin in self.matcher.exact}
        by_origin[None] = by_origin[""] = no_origin
        set_(self, "actual_by_origin", by_origin)

        # With methods and headers listed (nothing echoed) and no private-network
        # answer, a preflight's full answer depends on the origin alone: build it
        # now for each exact origin (and for '*'), used when nothing is refused.
        static: dict[str, Decision] = {}
        if self.methods is not None and self.allowed_headers is not None and not self.private_network:
            for origin in ("*",) if any_origin else self.matcher.exact:
                static[origin] = self.preflight_answer(origin, self.preflight_methods, self.preflight_headers)
        set_(self, "preflight_by_origin", static)

    def actual_answer(self, origin: str) -> Decision:
        """The answer to an actual request from an allowed ``origin``."""
        return make_decision(
            Kind.ACTUAL,
            ((ACAO, origin), *self.actual_tail),
            self.actual_vary,
            expose_response_headers=self.expose_response_headers,
        )

    def preflight_answer(
        self,
        allow_origin: str,
        methods: tuple[tuple[str, str], ...],
        headers: tuple[tuple[str, str], ...],
        private_network: tuple[tuple[str, str], ...] = (),
        reason: str | None = None,
    ) -> Decision:
        """The full answer to a preflight from an allowed origin, with the
        Allow-Methods / Allow-Headers / Allow-Private-Network lines given."""
        return make_decision(
            Kind.PREFLIGHT,
            ((ACAO, allow_origin), *self.preflight_tail, *methods, *headers, *private_network, *self.preflight_end),
            self.preflight_vary,
            status=self.preflight_answer_status,
            reason=reason,
            vary_line=self.preflight_vary_line,
        )

    def _preflight_vary(self, origin_vary: tuple[str, ...]) -> tuple[str, ...]:
        """Vary of a preflight answer: Origin, and each request header it echoes."""
        vary = list(origin_vary)
        if self.methods is None:
            vary.append("Access-Control-Request-Method")
        if self.allowed_headers is None:
            vary.append("Access-Control-Request-Headers")
        if self.private_network:
            vary.append("Access-Control-Request-Private-Network")
        return tuple(vary)

    def replace(self, **overrides: Any) -> Policy:
        """A new policy with some options changed (routes are kept unless given)."""
        return Policy(**{**self.options, **overrides})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Policy is immutable (tried to set {name!r})")

    def __repr__(self) -> str:
        given = {k: v for k, v in self.options.items() if DEFAULTS[k] is not v}
        return "Policy(" + ", ".join(f"{k}={v!r}" for k, v in given.items()) + ")"


class Route:
    """A scoped policy: match keys ``paths``, ``match_methods``, ``hosts``, plus
    any option, which overrides the top-level one for requests this route matches.

    ``paths`` are prefixes on segment boundaries (``/api`` covers ``/api`` and
    ``/api/x``, not ``/apix``) or ``~regex`` / ``re.Pattern`` full-matched,
    case-sensitively, against PATH_INFO as the server gave it. ``hosts`` are
    host names (a port only when given) or ``*.example.com``.
    """

    __slots__ = ("hosts", "match_methods", "overrides", "paths", "policy")

    paths: tuple[str | re.Pattern[str], ...] | None
    match_methods: frozenset[str] | None
    hosts: tuple[str, ...] | None
    overrides: Mapping[str, Any]
    policy: Policy | None

    def __init__(
        self,
        *,
        paths: Iterable[str | re.Pattern[str]] | str | None = None,
        match_methods: Iterable[str] | str | None = None,
        hosts: Iterable[str] | str | None = None,
        **overrides: Any,
    ) -> None:
        set_ = object.__setattr__
        for name in overrides:
            if name not in DEFAULTS or name == "routes":
                choices = [n for n in (*ROUTE_MATCH_KEYS, *OPTION_NAMES) if n != "routes"]
                raise CORSConfigError(f"routes[].{name}", overrides[name], "unknown route key", closest(name, choices))
        set_(self, "paths", _route_paths(paths))
        methods = _names("routes[].match_methods", match_methods, upper=True) if match_methods is not None else None
        set_(self, "match_methods", frozenset(methods) if methods is not None else None)
        set_(self, "hosts", _route_hosts(hosts))
        set_(self, "overrides", MappingProxyType(dict(overrides)))
        set_(self, "policy", None)
        if self.hosts is not None and self.paths is None and self.match_methods is None:
            warnings.warn(
                f"CORS route {self!r} matches on the Host header alone: every path of "
                "that host gets this policy; add 'paths' to scope it",
                CORSConfigWarning,
                stacklevel=2,
            )

    def bind(self, defaults: Mapping[str, Any]) -> Route:
        """This route with its policy built over the top-level options."""
        route = object.__new__(Route)
        for name in ("paths", "match_methods", "hosts", "overrides"):
            object.__setattr__(route, name, getattr(self, name))
        options = {**defaults, **self.overrides, "routes": None}
        object.__setattr__(route, "policy", Policy(**options))
        return route

    def matches(self, path: str, method: str, host: str) -> bool:
        """Does this route cover a request (``method``: ACRM for a preflight)?"""
        if self.match_methods is not None and method not in self.match_methods:
            return False
        if self.hosts is not None and not _host_matches(self.hosts, host):
            return False
        if self.paths is None:
            return True
        if _has_dot_segment(path):
            return False
        for entry in self.paths:
            if isinstance(entry, str):
                if path == entry or path.startswith(entry if entry.endswith("/") else entry + "/"):
                    return True
            elif entry.fullmatch(path) is not None:
                return True
        return False

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Route is immutable (tried to set {name!r})")

    def __repr__(self) -> str:
        keys = {"paths": self.paths, "match_methods": self.match_methods, "hosts": self.hosts}
        parts = [f"{k}={v!r}" for k, v in keys.items() if v is not None]
        parts += [f"{k}={v!r}" for k, v in self.overrides.items()]
        return "Route(" + ", ".join(parts) + ")"


def _has_dot_segment(path: str) -> bool:
    # '/api/../admin' must not count as under '/api' (CVE-2020-25032).
    return "/." in path and any(seg in (".", "..") for seg in path.split("/"))


def _host_matches(hosts: tuple[str, ...], host: str) -> bool:
    host = host.lower()
    bare = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    for entry in hosts:
        candidate = host if ":" in entry.lstrip("[").split("]")[-1] else bare
        if entry.startswith("*."):
            if candidate.endswith(entry[1:]) and len(candidate) > len(entry) - 1:
                return True
        elif candidate == entry:
            return True
    return False


def _as_list(name: str, value: object) -> list[Any]:
    if isinstance(value, (str, re.Pattern)):
        return [value]
    if isinstance(value, (list, tuple, set, frozenset)) and value:
        return list(value)
    raise CORSConfigError(name, value, "must be a non-empty list", f"{name}=['/api']")


def _route_paths(paths: object) -> tuple[str | re.Pattern[str], ...] | None:
    if paths is None:
        return None
    result: list[str | re.Pattern[str]] = []
    for entry in _as_list("routes[].paths", paths):
        if isinstance(entry, re.Pattern):
            result.append(entry)
        elif isinstance(entry, str) and entry.startswith("~"):
            try:
                result.append(re.compile(entry[1:]))
            except re.error as exc:
                raise CORSConfigError(
                    "routes[].paths", entry, f"invalid regular expression ({exc})", "fix the pattern"
                ) from None
        elif isinstance(entry, str) and entry.startswith("/"):
            result.append(entry)
        else:
            raise CORSConfigError(
                "routes[].paths",
                entry,
                "a path is a prefix starting with '/' or a '~regex'",
                "paths=['/api']",
            )
    return tuple(result)


def _route_hosts(hosts: object) -> tuple[str, ...] | None:
    if hosts is None:
        return None
    result = []
    for entry in _as_list("routes[].hosts", hosts):
        if not isinstance(entry, str) or not re.fullmatch(
            r"(\*\.)?[A-Za-z0-9_.-]+(:[0-9]+)?|\[[0-9A-Fa-f:.]+\](:[0-9]+)?", entry
        ):
            raise CORSConfigError(
                "routes[].hosts", entry, "not a host name", "hosts=['api.example.com', '*.example.com']"
            )
        result.append(entry.lower())
    return tuple(result)


def _build_routes(options: Mapping[str, Any]) -> tuple[Route, ...] | None:
    routes = options["routes"]
    if routes is None:
        return None
    if not isinstance(routes, (list, tuple)):
        raise CORSConfigError(
            "routes", routes, "must be a list of dicts or Route objects", "routes=[{'paths': ['/api']}]"
        )
    defaults = {k: v for k, v in options.items() if k != "routes"}
    built = []
    for entry in routes:
        if isinstance(entry, Mapping):
            entry = Route(**entry)
        elif not isinstance(entry, Route):
            raise CORSConfigError("routes", entry, "each route must be a dict or a Route", "{'paths': ['/api']}")
        built.append(entry.bind(defaults))
    return tuple(built)
