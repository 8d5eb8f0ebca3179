"""The browser scenarios through ``asgi_ext.compat``: each scenario's policy written as Starlette's arguments.

``starlette_options`` rewrites a scenario's policy (placeholders filled in) the
way a Starlette or FastAPI user writes it: exact origins in ``allow_origins``,
a ``~regex`` or the ``https://*.host`` wildcard (Starlette has none) in the one
``allow_origin_regex``, the core's defaults stated where Starlette's differ
(methods; ``headers=None`` is ``allow_headers=["*"]``). Options Starlette has
no counterpart for (routes, ``preflight_continue``, ``preflight_status``,
``allow_origin_absent``) make the scenario inexpressible: :class:`NoCounterpart`.

``representation`` maps a summary to what must agree with the native door:
Starlette's representation differs where issue 18 keeps it (a refused
preflight's 400, the fixed Vary line of preflights, the safelisted names in
Access-Control-Allow-Headers, ``max_age=600`` by default); the page's outcome
and every other CORS header must not.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from wsgicors import DEFAULT_METHODS

from .apps import DoorUnavailable, Seen
from .asgi_apps import ASGIApp, asgi_views, error_layer
from .peer_origins import origin_regex
from .scenarios import Scenario

__all__ = ["NoCounterpart", "build_asgi_compat", "expected_under_compat", "representation", "starlette_options"]

SAFELISTED = frozenset({"accept", "accept-language", "content-language", "content-type"})
_LISTS = ("access-control-allow-methods", "access-control-allow-headers", "access-control-expose-headers")
_NO_COUNTERPART = ("routes", "preflight_continue", "preflight_status", "allow_origin_absent")


class NoCounterpart(Exception):
    """The scenario uses an option Starlette cannot express."""


def starlette_options(policy: Mapping[str, Any], scenario: Scenario | None = None) -> dict[str, Any]:
    """The scenario's policy as ``CORSMiddleware(app, **options)`` keywords of Starlette."""
    listed = policy.get("headers")
    if scenario is not None and isinstance(listed, list):
        lower = {name.lower() for name in listed}
        for fetch in scenario.fetches:
            for name in fetch.headers:
                if name.lower() in SAFELISTED - lower:
                    raise NoCounterpart(f"Starlette always allows the {name} request header (headers={listed!r})")
    for name in _NO_COUNTERPART:
        if name in policy and not (name == "preflight_status" and policy[name] == 200):
            raise NoCounterpart(f"{name}={policy[name]!r} has no Starlette argument")
    origins = list(policy.get("origins", ["*"]))
    exact = [o for o in origins if o == "*" or ("://*." not in o and not o.startswith("~"))]
    patterns = [origin_regex(o) for o in origins if o not in exact]
    options: dict[str, Any] = {"allow_origins": exact, "allow_methods": list(DEFAULT_METHODS)}
    if patterns:
        options["allow_origin_regex"] = "|".join(f"(?:{p})" for p in patterns) if len(patterns) > 1 else patterns[0]
    names = {"methods": "allow_methods", "headers": "allow_headers", "exposed_headers": "expose_headers"}
    for name, argument in names.items():
        value = policy.get(name)
        if value is not None:
            options[argument] = ["*"] if value == "*" else list(value)
    if policy.get("headers") is None:
        options["allow_headers"] = ["*"]  # the core's default: echo the requested headers
    for name, argument in (("credentials", "allow_credentials"), ("private_network", "allow_private_network")):
        if name in policy:
            options[argument] = policy[name]
    if policy.get("max_age") is not None:
        options["max_age"] = policy["max_age"]
    return options


@contextmanager
def build_asgi_compat(options: Mapping[str, Any], seen: Seen) -> Iterator[ASGIApp]:
    """The browser suite's ASGI app with ``asgi_ext.compat.CORSMiddleware(app, **starlette_options)``."""
    try:
        from asgi_ext.compat import CORSMiddleware
    except ImportError as exc:
        raise DoorUnavailable(f"asgi_ext.compat cannot be imported: {exc}") from exc
    yield CORSMiddleware(error_layer(asgi_views(seen)), **options)


def _names(value: str, drop: frozenset[str] = frozenset()) -> str:
    items = {item.strip() for item in value.split(",")}
    return ", ".join(sorted(item for item in items if item.lower() not in drop))


def representation(observed: dict[str, Any], policy: Mapping[str, Any]) -> dict[str, Any]:
    """``observed`` (a runner summary) less Starlette's harmless representation: a preflight's status
    (400 for a refused one; the page's outcome is compared as it is), Vary and, without ``max_age`` in
    the scenario, Access-Control-Max-Age (Starlette's default 600); the Vary: Origin Starlette adds to
    a ``*`` answer; lists as sets, without the safelisted names Starlette always lists in
    Access-Control-Allow-Headers."""
    star = list(policy.get("origins", ["*"])) == ["*"]
    exchanges = []
    for method, path, origin, status, headers in observed["exchanges"]:
        kept = []
        for name, value in headers:
            preflight = method == "OPTIONS"
            if name == "vary" and (preflight or star):
                continue
            if preflight and name == "access-control-max-age" and "max_age" not in policy:
                continue
            if name in _LISTS and value != "*":
                value = _names(value, SAFELISTED if name == "access-control-allow-headers" else frozenset())
            kept.append((name, value))
        exchanges.append((method, path, origin, 200 if method == "OPTIONS" and status == 400 else status, tuple(kept)))
    return {**observed, "exchanges": exchanges}


def expected_under_compat(scenario: Scenario, statuses: list[tuple[str, int]]) -> Scenario:
    """The scenario's expectations with Starlette's representation of preflights: a refused one
    answered 400 (``statuses``: what the compat door answered, in order), Access-Control-Allow-Headers,
    Vary and a default Max-Age not checked here (``representation`` compares them with the native door)."""
    received = []
    for index, item in enumerate(scenario.received):
        if item.method != "OPTIONS":
            received.append(item)
            continue
        status = item.status
        if index < len(statuses) and statuses[index] == ("OPTIONS", 400) and status == 200:
            status = 400
        skip = {"access-control-allow-headers", "vary"}
        if "max_age" not in scenario.policy:
            skip.add("access-control-max-age")
        response = {k: v for k, v in item.response.items() if k not in skip}
        received.append(replace(item, status=status, response=response))
    return replace(scenario, received=tuple(received))
