"""Servers whose CORS is broken on purpose, as data: what each answers, and what Chromium reports.

Each case is one fetch from the page (``<page>``, http://127.0.0.1:P) to
``<api>/b/<name>`` and the raw answers of a small WSGI app (no CORS library):
``"OPTIONS"`` for the preflight, ``"*"`` for any other method, and ``"* /x"``
for the sub-path ``/b/<name>/x`` (redirect targets). Values may hold ``<page>``,
``<P>``, ``<api>``, ``<api-alias>`` (the same server as http://localhost:Q) and
``<api-host>`` (127.0.0.1:Q), ``<self>`` (the case's own path, /b/<name>). ``expect`` is the ``Network.CorsError`` name
Chromium 156 reports (None: the page reads the response); the agreement test
checks Chromium against it and the doctor against Chromium.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from wsgiref.validate import validator

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["BROKEN_CASES", "BrokenCase", "broken_app"]

Answer = tuple[int, tuple[tuple[str, str], ...]]

ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"
ACAM = "Access-Control-Allow-Methods"
ACAH = "Access-Control-Allow-Headers"
PAGE = ((ACAO, "<page>"),)
CRED = ((ACAO, "<page>"), (ACAC, "true"))
OK: Answer = (200, PAGE)
_REASONS = {200: "OK", 204: "No Content", 300: "Multiple Choices", 301: "Moved Permanently", 302: "Found",
            307: "Temporary Redirect", 401: "Unauthorized", 404: "Not Found", 500: "Internal Server Error"}  # fmt: skip


@dataclass(frozen=True)
class BrokenCase:
    name: str
    answers: Mapping[str, Answer]
    expect: str | None
    method: str = "GET"
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str | None = None
    credentials: str = "same-origin"
    initiator: str = "fetch"


def case(name: str, expect: str | None, answers: Mapping[str, Answer], **request: object) -> BrokenCase:
    return BrokenCase(name, answers, expect, **request)  # type: ignore[arg-type]


def preflighted(name: str, expect: str | None, preflight: Answer, actual: Answer = OK, **request: object) -> BrokenCase:
    request.setdefault("method", "PUT")
    return case(name, expect, {"OPTIONS": preflight, "*": actual}, **request)


INCLUDE = {"credentials": "include"}
CUSTOM = {"X-Custom": "1"}
TO_X, TO_ALIAS_X = "<api><self>/x", "<api-alias><self>/x"  # redirect targets: the case's own /x
PUT_CRED = (204, (*CRED, (ACAM, "PUT")))

BROKEN_CASES: tuple[BrokenCase, ...] = (
    # --- Access-Control-Allow-Origin on the actual response -------------------------------
    case("acao-two-lines", "MultipleAllowOriginValues", {"*": (200, (*PAGE, *PAGE))}),
    case("acao-list", "MultipleAllowOriginValues", {"*": (200, ((ACAO, "<page> http://other.example"),))}),
    case("acao-trailing-slash", "AllowOriginMismatch", {"*": (200, ((ACAO, "<page>/"),))}),
    case("acao-null", "AllowOriginMismatch", {"*": (200, ((ACAO, "null"),))}),
    case("acao-ip-port-no-scheme", "InvalidAllowOriginValue", {"*": (200, ((ACAO, "127.0.0.1:<P>"),))}),
    case("acao-localhost-port", "AllowOriginMismatch", {"*": (200, ((ACAO, "localhost:3000"),))}),
    case("acao-bare-localhost", "InvalidAllowOriginValue", {"*": (200, ((ACAO, "localhost"),))}),
    case("acao-upper-case-scheme", "AllowOriginMismatch", {"*": (200, ((ACAO, "HTTP://127.0.0.1:<P>"),))}),
    case("acao-wildcard-pattern", "AllowOriginMismatch", {"*": (200, ((ACAO, "http://*.localhost:<P>"),))}),
    case("acao-wildcard-pattern-without-scheme", "InvalidAllowOriginValue", {"*": (200, ((ACAO, "*.localhost"),))}),
    case("acao-padded-with-spaces", None, {"*": (200, ((ACAO, "  <page>  "),))}),
    case("acao-star", None, {"*": (200, ((ACAO, "*"),))}),
    case("acao-star-with-acac", None, {"*": (200, ((ACAO, "*"), (ACAC, "true")))}),
    case("error-500-without-acao", "MissingAllowOriginHeader", {"*": (500, ())}),
    case("error-500-with-acao", None, {"*": (500, PAGE)}),
    # --- credentials ------------------------------------------------------------------------
    case(
        "wildcard-with-credentials", "WildcardOriginNotAllowed", {"*": (200, ((ACAO, "*"), (ACAC, "true")))}, **INCLUDE
    ),
    case("acac-capitalised", "InvalidAllowCredentials", {"*": (200, (*PAGE, (ACAC, "True")))}, **INCLUDE),
    case("acac-missing", "InvalidAllowCredentials", {"*": OK}, **INCLUDE),
    case("acac-true", None, {"*": (200, CRED)}, **INCLUDE),
    # --- XMLHttpRequest: the same checks, Chromium's other wording ------------------------------
    case(
        "xhr-wildcard-with-credentials",
        "WildcardOriginNotAllowed",
        {"*": (200, ((ACAO, "*"),))},
        initiator="xhr",
        **INCLUDE,
    ),
    case(
        "xhr-acac-capitalised",
        "InvalidAllowCredentials",
        {"*": (200, (*PAGE, (ACAC, "True")))},
        initiator="xhr",
        **INCLUDE,
    ),
    case("xhr-acao-trailing-slash", "AllowOriginMismatch", {"*": (200, ((ACAO, "<page>/"),))}, initiator="xhr"),
    case("xhr-acao-two-lines", "MultipleAllowOriginValues", {"*": (200, (*PAGE, *PAGE))}, initiator="xhr"),
    case("xhr-ok", None, {"*": (200, (*PAGE, ("X-Hidden", "1")))}, initiator="xhr"),
    preflighted(
        "xhr-preflight-missing-acac",
        "PreflightInvalidAllowCredentials",
        (204, (*PAGE, (ACAM, "PUT"))),
        initiator="xhr",
        **INCLUDE,
    ),
    preflighted(
        "xhr-method-lower-case", "MethodDisallowedByPreflightResponse", (204, (*PAGE, (ACAM, "put"))), initiator="xhr"
    ),
    # --- the preflight's status and redirects -----------------------------------------------
    preflighted("preflight-404-without-acao", "PreflightMissingAllowOriginHeader", (404, ())),
    preflighted("preflight-404-with-acao", "PreflightInvalidStatus", (404, PAGE)),
    preflighted(
        "preflight-401-auth-layer",
        "PreflightMissingAllowOriginHeader",
        (401, (("WWW-Authenticate", 'Bearer realm="api"'),)),
        headers={"Authorization": "Bearer abc"},
    ),
    preflighted(
        "preflight-401-with-acao", "PreflightInvalidStatus", (401, PAGE), headers={"Authorization": "Bearer a"}
    ),
    preflighted("preflight-redirect", "PreflightDisallowedRedirect", (301, (("Location", "<api>/b/elsewhere"),))),
    preflighted(
        "preflight-redirect-with-acao", "PreflightDisallowedRedirect", (307, (*PAGE, ("Location", "<self>/x")))
    ),
    preflighted("preflight-300-without-location", "PreflightInvalidStatus", (300, PAGE)),
    preflighted("preflight-204", None, (204, (*PAGE, (ACAM, "PUT")))),
    # --- the preflight's access check ---------------------------------------------------------
    preflighted("preflight-acao-mismatch", "PreflightAllowOriginMismatch", (204, ((ACAO, "http://other.example"),))),
    preflighted("preflight-two-acao", "PreflightMultipleAllowOriginValues", (204, (*PAGE, *PAGE, (ACAM, "PUT")))),
    preflighted("preflight-invalid-acao", "PreflightInvalidAllowOriginValue", (204, ((ACAO, "example.com"),))),
    preflighted("preflight-missing-acac", "PreflightInvalidAllowCredentials", (204, (*PAGE, (ACAM, "PUT"))), **INCLUDE),
    preflighted(
        "preflight-wildcard-credentials",
        "PreflightWildcardOriginNotAllowed",
        (204, ((ACAO, "*"), (ACAC, "true"), (ACAM, "PUT"))),
        **INCLUDE,
    ),
    preflighted("preflight-credentials-ok", None, PUT_CRED, (200, CRED), **INCLUDE),
    # --- methods -------------------------------------------------------------------------------
    preflighted("methods-lower-case", "MethodDisallowedByPreflightResponse", (204, (*PAGE, (ACAM, "get, put")))),
    preflighted("methods-lower-case-patch", None, (204, (*PAGE, (ACAM, "patch"))), method="patch"),
    preflighted(
        "methods-upper-patch-for-lower",
        "MethodDisallowedByPreflightResponse",
        (204, (*PAGE, (ACAM, "PATCH"))),
        method="patch",
    ),
    preflighted("methods-star", None, (204, (*PAGE, (ACAM, "*"))), method="DELETE"),
    preflighted(
        "methods-star-with-credentials",
        "MethodDisallowedByPreflightResponse",
        (204, (*CRED, (ACAM, "*"))),
        (200, CRED),
        method="DELETE",
        **INCLUDE,
    ),
    preflighted("methods-unparsable", "InvalidAllowMethodsPreflightResponse", (204, (*PAGE, (ACAM, "GET; PUT")))),
    preflighted("methods-empty-items", None, (204, (*PAGE, (ACAM, "GET,, PUT,")))),
    # --- headers -------------------------------------------------------------------------------
    preflighted("headers-missing", "HeaderDisallowedByPreflightResponse", (204, PAGE), method="GET", headers=CUSTOM),
    preflighted("headers-case-insensitive", None, (204, (*PAGE, (ACAH, "X-CUSTOM"))), method="GET", headers=CUSTOM),
    preflighted("headers-star", None, (204, (*PAGE, (ACAH, "*"))), method="GET", headers=CUSTOM),
    preflighted(
        "headers-star-with-credentials",
        "HeaderDisallowedByPreflightResponse",
        (204, (*CRED, (ACAH, "*"))),
        (200, CRED),
        method="POST",
        headers={"X-Custom": "1"},
        body="x",
        **INCLUDE,
    ),
    preflighted(
        "headers-star-authorization",  # Chromium 156: '*' covers Authorization without credentials
        None,
        (204, (*PAGE, (ACAH, "*"))),
        method="GET",
        headers={"Authorization": "Bearer abc"},
    ),
    preflighted(
        "headers-star-authorization-with-credentials",
        "HeaderDisallowedByPreflightResponse",
        (204, (*CRED, (ACAH, "*"))),
        (200, CRED),
        method="GET",
        headers={"Authorization": "Bearer abc"},
        **INCLUDE,
    ),
    preflighted(
        "headers-json-content-type",
        "HeaderDisallowedByPreflightResponse",
        (204, (*PAGE, (ACAH, "x-custom"))),
        method="POST",
        headers={"Content-Type": "application/json"},
        body="{}",
    ),
    preflighted(
        "headers-unparsable",
        "InvalidAllowHeadersPreflightResponse",
        (204, (*PAGE, (ACAH, "x-a x-custom"))),
        headers={"X-Custom": "1"},
    ),
    # --- redirects of the actual request ------------------------------------------------------
    case("redirect-without-acao", "MissingAllowOriginHeader", {"*": (302, (("Location", TO_X),)), "* /x": OK}),
    case("redirect-same-origin", None, {"*": (302, (*PAGE, ("Location", TO_X))), "* /x": OK}),
    case(
        "redirect-cross-origin-page-acao",  # the redirect taints: the origin is now 'null'
        "AllowOriginMismatch",
        {"*": (302, (*PAGE, ("Location", TO_ALIAS_X))), "* /x": OK},
    ),
    case(
        "redirect-cross-origin-null",  # Chromium 156: ACAO null matches the tainted origin
        None,
        {"*": (302, (*PAGE, ("Location", TO_ALIAS_X))), "* /x": (200, ((ACAO, "null"),))},
    ),
    case(
        "redirect-cross-origin-null-credentials",
        None,
        {"*": (302, (*CRED, ("Location", TO_ALIAS_X))), "* /x": (200, ((ACAO, "null"), (ACAC, "true")))},
        **INCLUDE,
    ),
    case(
        "redirect-userinfo",
        "RedirectContainsCredentials",
        {"*": (302, (*PAGE, ("Location", "http://user:pw@<api-host><self>/x"))), "* /x": OK},
    ),
    case(
        "redirect-to-500-without-acao",
        "MissingAllowOriginHeader",
        {"*": (307, (*PAGE, ("Location", TO_X))), "* /x": (500, ())},
    ),
)

_names = [c.name for c in BROKEN_CASES]
assert len(set(_names)) == len(_names), "case names must be unique"
_TOKEN = re.compile(r"<([A-Za-z-]+)>")


def fill(value: str, tokens: Mapping[str, str]) -> str:
    return _TOKEN.sub(lambda m: tokens.get(m.group(1), m.group(0)), value)


def broken_app(tokens: Mapping[str, str]) -> WSGIApplication:
    """Answers ``/b/<name>[/x]`` from the cases' data (``tokens`` read per request), under wsgiref.validate."""
    cases = {c.name: c for c in BROKEN_CASES}

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        parts = environ.get("PATH_INFO", "").split("/")  # ['', 'b', name, rest...]
        found = cases.get(parts[2]) if len(parts) > 2 and parts[1] == "b" else None
        key = "OPTIONS" if environ["REQUEST_METHOD"] == "OPTIONS" else "*"
        if len(parts) > 3:
            key += " /" + "/".join(parts[3:])
        answer = found.answers.get(key) if found is not None else None
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length:
            environ["wsgi.input"].read(length)
        if answer is None:
            start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
            return [b"Not Found"]
        status, headers = answer
        body = b"" if status == 204 else b"broken on purpose"
        here = {**tokens, "self": f"/b/{parts[2]}"}
        out = [(name, fill(value, here)) for name, value in headers]
        if status != 204:
            out += [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))]
        start_response(f"{status} {_REASONS[status]}", out)
        return [body] if body else []

    return validator(app)
