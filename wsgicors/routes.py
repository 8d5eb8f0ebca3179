"""Routes: scoped policies (Kong's Route), and which one governs a request.

A route's match keys are ``paths``, ``match_methods`` and ``hosts``; every
other key overrides a top-level option for the requests it covers. First
match in declared order wins; with routes given, a request no route covers
passes through untouched.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .errors import CORSConfigError
from .options import CORSConfigWarning, validate_names
from .regex_safety import PATH_REGEX, guard_regex
from .spelling import ROUTE_KEYS, unknown_name_hint

if TYPE_CHECKING:
    from .policy import Policy

__all__ = ["Route", "build_routes", "routing_method", "select_policy"]


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
            if name not in ROUTE_KEYS:
                hint = unknown_name_hint(name, ROUTE_KEYS, "keyword")
                raise CORSConfigError(f"routes[].{name}", overrides[name], "unknown route key", hint)
        set_(self, "paths", _route_paths(paths))
        methods = (
            validate_names("routes[].match_methods", match_methods, upper=True) if match_methods is not None else None
        )
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
        from .policy import Policy  # the policy module builds routes: import at start-up, not at load

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


def routing_method(environ: Mapping[str, Any]) -> str:
    """The method a request is routed by: for a preflight, the
    Access-Control-Request-Method it asks about, not OPTIONS; else REQUEST_METHOD.

    Doors that pick a policy by their framework's routing use it too, so a
    preflight gets the policy of the view that will serve the actual request.
    """
    method: str = environ.get("REQUEST_METHOD", "GET")
    if method == "OPTIONS" and environ.get("HTTP_ORIGIN"):
        return environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD") or method
    return method


def select_policy(policy: Policy, environ: Mapping[str, Any]) -> Policy | None:
    """The policy that governs this request: the first matching route's, or None."""
    if policy.routes is None:
        return policy
    method = routing_method(environ)
    path = environ.get("PATH_INFO", "")
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    for route in policy.routes:
        if route.matches(path, method, host):
            return route.policy
    return None


def _has_dot_segment(path: str) -> bool:
    # '/api/../admin' must not count as under '/api' (CVE-2020-25032).
    return "/." in path and any(seg in (".", "..") for seg in path.split("/"))


def _split_host(host: str) -> tuple[str, str]:
    """A Host value's name (lower case, without the FQDN's trailing dot) and its ':port' ('' if none)."""
    host = host.lower()
    if host.startswith("["):
        name, _, port = host.partition("]")
        return name + "]", port
    name, sep, port = host.rpartition(":")
    if not sep:
        name, port = host, ""
    else:
        port = ":" + port
    # 'admin.example.com.' is the same host as 'admin.example.com' (RFC 1034, section 3.1).
    return (name[:-1] if name.endswith(".") else name), port


def _host_matches(hosts: tuple[str, ...], host: str) -> bool:
    name, port = _split_host(host)
    for entry in hosts:
        entry_name, entry_port = _split_host(entry)
        if entry_port and entry_port != port:
            continue
        if entry_name.startswith("*."):
            if name.endswith(entry_name[1:]) and len(name) > len(entry_name) - 1:
                return True
        elif name == entry_name:
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
        if isinstance(entry, re.Pattern) or (isinstance(entry, str) and entry.startswith("~")):
            # Any request, with or without an Origin, is matched against these: guarded for linear time.
            result.append(guard_regex(entry, "routes[].paths", PATH_REGEX))
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


# A host name: labels of 1 to 63 letters, digits, '_' or '-' (not at either end), the whole at most 253.
_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_HOST = re.compile(rf"(?P<star>\*\.)?(?P<name>{_LABEL}(?:\.{_LABEL})*\.?|\[[0-9a-f:.]+\])(?::(?P<port>[0-9]{{1,5}}))?")


def _route_host(entry: object) -> str:
    """One ``hosts`` entry, validated as origin wildcards are, and normalised (lower case, no FQDN dot).

    Unlike an origin wildcard, ``*.github.io`` is accepted here: hosts only pick which policy
    answers a request sent to this server (its own Host header), they let no other site in,
    so the Public Suffix List rule of :mod:`wsgicors.sites` does not apply. Only a wildcard
    straight over a top-level domain is refused, as almost certainly a mistake.
    """
    match = _HOST.fullmatch(entry.lower()) if isinstance(entry, str) else None
    name = match.group("name").rstrip(".") if match else ""
    port = match.group("port") if match else None
    if match is None or len(name) > 253 or (port is not None and not 0 < int(port) < 65536):
        raise CORSConfigError("routes[].hosts", entry, "not a host name", "hosts=['api.example.com', '*.example.com']")
    if match.group("star") and ("." not in name or name.startswith("[")):
        raise CORSConfigError(
            "routes[].hosts",
            entry,
            "a wildcard directly over a top-level domain covers every site under it",
            "name a registrable domain, e.g. '*.example.com'",
        )
    return (match.group("star") or "") + name + (f":{port}" if port is not None else "")


def _route_hosts(hosts: object) -> tuple[str, ...] | None:
    if hosts is None:
        return None
    return tuple(_route_host(entry) for entry in _as_list("routes[].hosts", hosts))


def build_routes(options: Mapping[str, Any]) -> tuple[Route, ...] | None:
    """The ``routes`` option, each bound to its policy over the other options."""
    routes = options["routes"]
    if routes is None:
        return None
    if not isinstance(routes, (list, tuple)):
        raise CORSConfigError(
            "routes", routes, "must be a list of dicts or Route objects", "routes=[{'paths': ['/api']}]"
        )
    defaults = {k: v for k, v in options.items() if k != "routes"}
    built = []
    for index, entry in enumerate(routes):
        if isinstance(entry, Mapping):
            try:
                entry = Route(**entry)
            except CORSConfigError as exc:  # name the route: routes[].paths -> routes[2].paths
                if not exc.option.startswith("routes[]"):
                    raise
                option = f"routes[{index}]" + exc.option[len("routes[]") :]
                raise CORSConfigError(option, exc.value, exc.problem, exc.fix) from None
        elif not isinstance(entry, Route):
            raise CORSConfigError("routes", entry, "each route must be a dict or a Route", "{'paths': ['/api']}")
        try:
            built.append(entry.bind(defaults))
        except CORSConfigError as exc:  # an override's error names its route: max_age -> routes[2].max_age
            raise CORSConfigError(f"routes[{index}].{exc.option}", exc.value, exc.problem, exc.fix) from None
    return tuple(built)
