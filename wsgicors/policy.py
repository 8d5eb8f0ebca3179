"""The policy: validated, immutable options, with their routes and compiled answers.

``Policy(**options)`` checks every option (:mod:`wsgicors.options`), builds
the origin matcher (:mod:`wsgicors.origins`), binds the routes
(:mod:`wsgicors.routes`) and compiles the answers (:mod:`wsgicors.answers`),
which the decision function (:mod:`wsgicors.engine`) then only looks up.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Unpack

from .answers import Answers, HeaderLines
from .credentialed import check_credentialed_origins
from .decision import Decision
from .engine import Decide, compile_decide
from .errors import CORSConfigError
from .header_patterns import split_header_entries
from .options import (
    DEFAULT_METHODS,
    DEFAULTS,
    OPTION_NAMES,
    CORSConfigWarning,
    Options,
    check_max_age,
    check_preflight_status,
    documented,
    validate_bool,
    validate_names,
    warn_forbidden_headers,
)
from .origins import OriginMatcher
from .routes import Route, build_routes
from .spelling import check_option_names

__all__ = [
    "DEFAULTS",
    "DEFAULT_METHODS",
    "OPTION_NAMES",
    "CORSConfigWarning",
    "Policy",
    "Route",
]


@documented
class Policy:
    """An immutable, validated CORS policy; build it once and share it: ``Policy(origins=[...], ...)``.

    Every invalid value, and every unknown name, raises :class:`CORSConfigError`
    naming the option, the value and a fix.
    """

    __slots__ = (
        "allow_origin_absent",
        "allowed_headers",
        "answers",
        "credentials",
        "decide",
        "exposed_headers",
        "header_patterns",
        "headers_value",
        "matcher",
        "max_age",
        "methods",
        "methods_value",
        "options",
        "preflight_continue",
        "preflight_status",
        "private_network",
        "routes",
    )

    #: The options as given, over the defaults.
    options: Mapping[str, Any]
    matcher: OriginMatcher
    #: None without ``routes``; else the bound routes (an empty tuple covers nothing).
    routes: tuple[Route, ...] | None
    #: Upper-case method names; None for '*' (echo the requested method).
    methods: frozenset[str] | None
    methods_value: str
    #: Lower-case header names; None for '*' or the default (echo the requested headers).
    allowed_headers: frozenset[str] | None
    #: Header-name patterns of ``headers`` (None: none): the preflight then echoes the
    #: requested names that ``allowed_headers`` lists or a pattern matches, and nothing else.
    header_patterns: tuple[re.Pattern[str], ...] | None
    headers_value: str | None
    #: Names for Access-Control-Expose-Headers; None for '*'.
    exposed_headers: tuple[str, ...] | None
    credentials: bool
    max_age: int | None
    private_network: bool
    preflight_continue: bool
    allow_origin_absent: bool
    preflight_status: int
    answers: Answers
    #: This policy's decision function: ``policy.decide(environ) -> Decision`` (see :func:`wsgicors.decide`).
    decide: Decide

    def __init__(self, **options: Unpack[Options]) -> None:
        check_option_names(options, "keyword")
        merged = {**DEFAULTS, **options}
        set_ = object.__setattr__
        set_(self, "options", MappingProxyType(merged))

        matcher = OriginMatcher(merged["origins"])
        # The fix suggested for a non-bool must be accepted: not True while origins is '*'.
        credentials = validate_bool("credentials", merged["credentials"], example=False if matcher.any else None)
        check_credentialed_origins(matcher, merged["origins"], credentials)
        methods = validate_names("methods", merged["methods"], upper=True)
        header_names, header_patterns = split_header_entries(merged["headers"])
        headers = validate_names("headers", header_names, upper=False) if header_names is not None else None
        if header_patterns is not None and headers is None:
            raise CORSConfigError("headers", merged["headers"], "'*' already allows any header", "headers='*' alone")
        exposed = (
            validate_names("exposed_headers", merged["exposed_headers"], upper=False)
            if merged["exposed_headers"] is not None
            else ()
        )
        max_age = check_max_age(merged["max_age"])
        status = check_preflight_status(merged["preflight_status"])
        warn_forbidden_headers(headers)

        set_(self, "matcher", matcher)
        set_(self, "credentials", credentials)
        set_(self, "methods", frozenset(methods) if methods is not None else None)
        set_(self, "methods_value", ", ".join(methods) if methods is not None else "")
        set_(self, "allowed_headers", frozenset(h.lower() for h in headers) if headers is not None else None)
        set_(self, "header_patterns", header_patterns)
        set_(self, "headers_value", ", ".join(headers) if headers and header_patterns is None else None)
        set_(self, "exposed_headers", exposed)
        set_(self, "max_age", max_age)
        set_(self, "private_network", validate_bool("private_network", merged["private_network"]))
        set_(self, "preflight_continue", validate_bool("preflight_continue", merged["preflight_continue"]))
        set_(self, "allow_origin_absent", validate_bool("allow_origin_absent", merged["allow_origin_absent"]))
        set_(self, "preflight_status", status)
        set_(self, "answers", Answers(self))
        set_(self, "routes", build_routes(merged))
        set_(self, "decide", compile_decide(self))

    # The answers most often inspected, by their former names.
    @property
    def actual_tail(self) -> HeaderLines:
        """The actual answer's lines after Access-Control-Allow-Origin."""
        return self.answers.actual_tail

    @property
    def preflight_by_origin(self) -> Mapping[str, Decision]:
        """Origin ('*' for a '*' policy) -> the precomputed preflight answer."""
        return self.answers.preflight_by_origin

    def replace(self, **overrides: Unpack[Options]) -> Policy:
        """A new policy with some options changed (routes are kept unless given)."""
        return Policy(**{**self.options, **overrides})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Policy is immutable (tried to set {name!r})")

    def __repr__(self) -> str:
        given = {k: v for k, v in self.options.items() if DEFAULTS[k] is not v}
        return "Policy(" + ", ".join(f"{k}={v!r}" for k, v in given.items()) + ")"
