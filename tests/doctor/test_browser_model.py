"""The doctor's browser model, as a table: for each Chromium CORS error, an answer that triggers it
(with the exact DevTools id and console line) and one just on the right side of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from wsgicors.doctor import PageRequest, diagnose, parse_origin, parse_url
from wsgicors.doctor.checks import Response

from .util import Scripted, answer

URL = "https://api.example/data"
ORIGIN = "https://app.example"
PAGE = ("Access-Control-Allow-Origin", ORIGIN)
CRED = ("Access-Control-Allow-Credentials", "true")
BLOCKED = f"Access to fetch at '{URL}' from origin '{ORIGIN}' has been blocked by CORS policy: "
PREFLIGHT = BLOCKED + "Response to preflight request doesn't pass access control check: "
VALID = " Have the server send the header with a valid value."
OK_PUT = answer(204, PAGE, ("Access-Control-Allow-Methods", "PUT"))


@dataclass(frozen=True)
class Row:
    name: str
    expect: str | None  # the DevTools id, None: allowed
    console: str | None  # the whole console line
    actual: Response | None = None
    preflight: Response | None = None
    request: dict[str, Any] = field(default_factory=dict)
    more: dict[str, Response] = field(default_factory=dict)


def row(name: str, expect: str | None, console: str | None, **kw: Any) -> Row:
    return Row(name, expect, console, **kw)


def put(name: str, expect: str | None, console: str | None, preflight: Response, **kw: Any) -> Row:
    request = {"method": "PUT", **kw.pop("request", {})}
    return Row(name, expect, console, kw.pop("actual", answer(200, PAGE, CRED)), preflight, request, **kw)


def acao(value: str, *more: tuple[str, str]) -> Response:
    return answer(200, ("Access-Control-Allow-Origin", value), *more)


INCLUDE = {"credentials": "include"}
CUSTOM = {"headers": [("X-Custom", "1")]}
HOP = "https://api.example/next"

TABLE: tuple[Row, ...] = (
    # --- the access check on an actual response -------------------------------------------
    row("missing-acao", "MissingAllowOriginHeader",
        BLOCKED + "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        actual=answer(200, ("Content-Type", "text/plain"))),
    row("acao-present", None, None, actual=acao(ORIGIN)),
    row("acao-two-lines", "MultipleAllowOriginValues",
        BLOCKED + f"The 'Access-Control-Allow-Origin' header contains multiple values '{ORIGIN}, {ORIGIN}', "
        "but only one is allowed." + VALID,
        actual=answer(200, PAGE, PAGE)),
    row("acao-one-line", None, None, actual=answer(200, PAGE, ("Vary", "Origin"))),
    row("acao-no-scheme", "InvalidAllowOriginValue",
        BLOCKED + "The 'Access-Control-Allow-Origin' header contains the invalid value 'app.example'." + VALID,
        actual=acao("app.example")),
    row("acao-ip-port", "InvalidAllowOriginValue",
        BLOCKED + "The 'Access-Control-Allow-Origin' header contains the invalid value '127.0.0.1:3000'." + VALID,
        actual=acao("127.0.0.1:3000")),
    row("acao-bare-localhost", "InvalidAllowOriginValue",
        BLOCKED + "The 'Access-Control-Allow-Origin' header contains the invalid value 'localhost'." + VALID,
        actual=acao("localhost")),
    row("acao-localhost-port-parses-as-scheme", "AllowOriginMismatch",
        BLOCKED + "The 'Access-Control-Allow-Origin' header has a value 'localhost:3000' that is not equal to the "
        "supplied origin." + VALID,
        actual=acao("localhost:3000")),
    row("acao-trailing-slash", "AllowOriginMismatch",
        BLOCKED + f"The 'Access-Control-Allow-Origin' header has a value '{ORIGIN}/' that is not equal to the "
        "supplied origin." + VALID,
        actual=acao(ORIGIN + "/")),
    row("acao-null", "AllowOriginMismatch",
        BLOCKED + "The 'Access-Control-Allow-Origin' header has a value 'null' that is not equal to the supplied "
        "origin." + VALID,
        actual=acao("null")),
    row("acao-control-character-escaped", "AllowOriginMismatch",
        BLOCKED + "The 'Access-Control-Allow-Origin' header has a value 'https://app.example\\u0007' that is not "
        "equal to the supplied origin." + VALID,
        actual=acao(ORIGIN + "\x07")),
    row("acao-star", None, None, actual=acao("*")),
    row("acao-star-with-credentials", "WildcardOriginNotAllowed",
        BLOCKED + "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard "
        "'*' when the request's credentials mode is 'include'.",
        actual=acao("*", CRED), request=INCLUDE),
    row("acao-star-with-credentials-xhr", "WildcardOriginNotAllowed",
        f"Access to XMLHttpRequest at '{URL}' from origin '{ORIGIN}' has been blocked by CORS policy: The value of "
        "the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's "
        "credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is "
        "controlled by the withCredentials attribute.",
        actual=acao("*", CRED), request={**INCLUDE, "initiator": "xhr"}),
    row("acao-mismatch-xhr-has-no-suffix", "AllowOriginMismatch",
        f"Access to XMLHttpRequest at '{URL}' from origin '{ORIGIN}' has been blocked by CORS policy: The "
        "'Access-Control-Allow-Origin' header has a value 'https://other.example' that is not equal to the "
        "supplied origin.",
        actual=acao("https://other.example"), request={"initiator": "xhr"}),
    row("acac-capitalised", "InvalidAllowCredentials",
        BLOCKED + "The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must "
        "be 'true' when the request's credentials mode is 'include'.",
        actual=acao(ORIGIN, ("Access-Control-Allow-Credentials", "True")), request=INCLUDE),
    row("acac-missing", "InvalidAllowCredentials",
        BLOCKED + "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be "
        "'true' when the request's credentials mode is 'include'.",
        actual=acao(ORIGIN), request=INCLUDE),
    row("acac-true", None, None, actual=acao(ORIGIN, CRED), request=INCLUDE),
    row("acac-ignored-without-credentials", None, None, actual=acao(ORIGIN, ("Access-Control-Allow-Credentials", "1"))),
    row("error-status-with-acao-is-readable", None, None, actual=answer(500, PAGE)),
    # --- the preflight ---------------------------------------------------------------------
    put("preflight-missing-acao", "PreflightMissingAllowOriginHeader",
        PREFLIGHT + "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        answer(200, ("Access-Control-Allow-Methods", "PUT"))),
    put("preflight-404-without-acao-reads-as-missing-acao", "PreflightMissingAllowOriginHeader",
        PREFLIGHT + "No 'Access-Control-Allow-Origin' header is present on the requested resource.", answer(404)),
    put("preflight-ok", None, None, OK_PUT),
    put("preflight-two-acao", "PreflightMultipleAllowOriginValues",
        PREFLIGHT + f"The 'Access-Control-Allow-Origin' header contains multiple values '{ORIGIN}, {ORIGIN}', but "
        "only one is allowed." + VALID,
        answer(204, PAGE, PAGE)),
    put("preflight-invalid-acao", "PreflightInvalidAllowOriginValue",
        PREFLIGHT + "The 'Access-Control-Allow-Origin' header contains the invalid value '*.example'." + VALID,
        answer(204, ("Access-Control-Allow-Origin", "*.example"))),
    put("preflight-acao-mismatch", "PreflightAllowOriginMismatch",
        PREFLIGHT + "The 'Access-Control-Allow-Origin' header has a value 'http://app.example' that is not equal to "
        "the supplied origin." + VALID,
        answer(204, ("Access-Control-Allow-Origin", "http://app.example"))),
    put("preflight-wildcard-with-credentials", "PreflightWildcardOriginNotAllowed",
        PREFLIGHT + "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard "
        "'*' when the request's credentials mode is 'include'.",
        answer(204, ("Access-Control-Allow-Origin", "*"), CRED), request=INCLUDE),
    put("preflight-star-without-credentials", None, None,
        answer(204, ("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "PUT")),
        actual=acao("*")),
    put("preflight-missing-acac", "PreflightInvalidAllowCredentials",
        PREFLIGHT + "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be "
        "'true' when the request's credentials mode is 'include'.",
        OK_PUT, request=INCLUDE),
    put("preflight-acac-true", None, None, answer(204, PAGE, CRED, ("Access-Control-Allow-Methods", "PUT")),
        request=INCLUDE),
    put("preflight-404-with-acao", "PreflightInvalidStatus", PREFLIGHT + "It does not have HTTP ok status.",
        answer(404, PAGE, ("Access-Control-Allow-Methods", "PUT"))),
    put("preflight-299", None, None, answer(299, PAGE, ("Access-Control-Allow-Methods", "PUT"))),
    put("preflight-redirect", "PreflightDisallowedRedirect", PREFLIGHT + "Redirect is not allowed for a preflight "
        "request.", answer(301, PAGE, ("Location", HOP))),
    put("preflight-location-without-redirect-status", None, None,
        answer(200, PAGE, ("Access-Control-Allow-Methods", "PUT"), ("Location", HOP))),
    put("methods-unparsable", "InvalidAllowMethodsPreflightResponse",
        BLOCKED + "Cannot parse Access-Control-Allow-Methods response header field in preflight response.",
        answer(204, PAGE, ("Access-Control-Allow-Methods", "GET; PUT"))),
    put("methods-empty-items-skipped", None, None, answer(204, PAGE, ("Access-Control-Allow-Methods", "GET,, PUT,"))),
    put("methods-lower-case", "MethodDisallowedByPreflightResponse",
        BLOCKED + "Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
        answer(204, PAGE, ("Access-Control-Allow-Methods", "get, put"))),
    put("methods-patch-stays-lower-case", "MethodDisallowedByPreflightResponse",
        BLOCKED + "Method patch is not allowed by Access-Control-Allow-Methods in preflight response.",
        answer(204, PAGE, ("Access-Control-Allow-Methods", "PATCH")), request={"method": "patch"}),
    put("methods-lower-patch-listed", None, None, answer(204, PAGE, ("Access-Control-Allow-Methods", "patch")),
        request={"method": "patch"}),
    put("methods-star", None, None, answer(204, PAGE, ("Access-Control-Allow-Methods", "*"))),
    put("methods-star-with-credentials", "MethodDisallowedByPreflightResponse",
        BLOCKED + "Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
        answer(204, PAGE, CRED, ("Access-Control-Allow-Methods", "*")), request=INCLUDE),
    put("headers-unparsable", "InvalidAllowHeadersPreflightResponse",
        BLOCKED + "Cannot parse Access-Control-Allow-Headers response header field in preflight response.",
        answer(204, PAGE, ("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Allow-Headers", "x-a x-custom")),
        request=CUSTOM),
    put("headers-listed-case-insensitively", None, None,
        answer(204, PAGE, ("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Allow-Headers", "x-a,,X-CUSTOM")),
        request=CUSTOM),
    put("headers-missing", "HeaderDisallowedByPreflightResponse",
        BLOCKED + "Request header field x-custom is not allowed by Access-Control-Allow-Headers in preflight response.",
        answer(204, PAGE, ("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Allow-Headers", "x-other")),
        request=CUSTOM),
    put("headers-star-with-credentials", "HeaderDisallowedByPreflightResponse",
        BLOCKED + "Request header field x-custom is not allowed by Access-Control-Allow-Headers in preflight response.",
        answer(204, PAGE, CRED, ("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Allow-Headers", "*")),
        request={**INCLUDE, **CUSTOM}),
    put("headers-star-covers-authorization-in-chromium-156", None, None,
        answer(204, PAGE, ("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Allow-Headers", "*")),
        request={"headers": [("Authorization", "Bearer t")]}),
    put("headers-json-content-type", "HeaderDisallowedByPreflightResponse",
        BLOCKED + "Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight "
        "response.",
        answer(204, PAGE, ("Access-Control-Allow-Methods", "PUT")),
        request={"headers": [("Content-Type", "application/json")]}),
    # --- redirects ---------------------------------------------------------------------------
    row("redirect-userinfo", "RedirectContainsCredentials",
        BLOCKED + "Redirect location '' contains a username and password, which is disallowed for cross-origin "
        "requests.",
        actual=answer(302, PAGE, ("Location", "https://u:p@api.example/next"))),
    row("redirect-plain", None, None, actual=answer(302, PAGE, ("Location", "/next")), more={HOP: acao(ORIGIN)}),
    row("redirect-to-ftp", "CorsDisabledScheme",
        BLOCKED + "Cross origin requests are only supported for protocol schemes: chrome, chrome-extension, "
        "chrome-untrusted, data, http, https, isolated-app.",
        actual=answer(302, PAGE, ("Location", "ftp://api.example/next"))),
    row("redirect-to-https", None, None, actual=answer(302, PAGE, ("Location", HOP)), more={HOP: acao(ORIGIN)}),
    row("redirect-without-acao", "MissingAllowOriginHeader",
        BLOCKED + "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        actual=answer(302, ("Location", "/next")), more={HOP: acao(ORIGIN)}),
    row("redirect-then-blocked-names-both-urls", "MissingAllowOriginHeader",
        f"Access to fetch at '{HOP}' (redirected from '{URL}') from origin '{ORIGIN}' has been blocked by CORS "
        "policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        actual=answer(307, PAGE, ("Location", HOP)), more={HOP: answer(200)}),
    row("redirect-cross-origin-taints-origin", "AllowOriginMismatch",
        "Access to fetch at 'https://cdn.example/data' (redirected from 'https://api.example/data') from origin "
        f"'{ORIGIN}' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value "
        f"'{ORIGIN}' that is not equal to the supplied origin." + VALID,
        actual=answer(302, PAGE, ("Location", "https://cdn.example/data")),
        more={"https://cdn.example/data": acao(ORIGIN)}),
    row("redirect-cross-origin-null-matches", None, None,
        actual=answer(302, PAGE, CRED, ("Location", "https://cdn.example/data")),
        more={"https://cdn.example/data": acao("null", CRED)}, request=INCLUDE),
    # --- same origin: CORS does not apply --------------------------------------------------------
    row("same-origin-needs-nothing", None, None, actual=answer(200), request={"origin": "https://api.example"}),
)  # fmt: skip


def judge(entry: Row) -> tuple[Any, Scripted]:
    request = dict(entry.request)
    page = PageRequest(
        parse_url(request.pop("url", URL)),
        parse_origin(request.pop("origin", ORIGIN)),
        **request,
    )
    answers: dict[str, Response] = dict(entry.more)
    if entry.actual is not None:
        answers[URL] = entry.actual
    if entry.preflight is not None:
        answers[f"OPTIONS {URL}"] = entry.preflight
    transport = Scripted(answers)
    return diagnose(page, transport), transport


@pytest.mark.parametrize("entry", TABLE, ids=[r.name for r in TABLE])
def test_browser_model(entry: Row) -> None:
    outcome, _ = judge(entry)
    if entry.expect is None:
        assert outcome.verdict == "allowed", outcome.blocked and outcome.blocked.console()
        assert outcome.blocked is None
    else:
        assert outcome.verdict == "blocked"
        assert outcome.blocked is not None
        assert outcome.blocked.id == entry.expect
        assert outcome.blocked.console() == entry.console


def test_every_chromium_error_has_a_trigger_and_a_right_side() -> None:
    from wsgicors.doctor.catalogue import CATALOGUE

    triggered = {r.expect for r in TABLE if r.expect}
    assert triggered == set(CATALOGUE)  # every error the model knows is triggered here
    assert sum(r.expect is None for r in TABLE) >= len(CATALOGUE)


def test_after_a_failed_preflight_nothing_more_is_sent() -> None:
    entry = next(r for r in TABLE if r.name == "preflight-missing-acao")
    outcome, transport = judge(entry)
    assert [s.method for s in transport.sent] == ["OPTIONS"]
    assert [(s.kind, s.result) for s in outcome.steps] == [("preflight", "fail")]


def test_preflight_is_sent_as_chromium_sends_it() -> None:
    entry = put("ok", None, None, answer(204, PAGE, CRED, ("Access-Control-Allow-Methods", "PUT"),
                ("Access-Control-Allow-Headers", "x-b, x-a")))  # fmt: skip
    page = PageRequest(parse_url(URL), parse_origin(ORIGIN), "PUT", [("X-B", "1"), ("X-A", "2")],
                       credentials="include", cookie="sid=1")  # fmt: skip
    transport = Scripted({f"OPTIONS {URL}": entry.preflight, URL: answer(200, PAGE, CRED)})  # type: ignore[dict-item]
    outcome = diagnose(page, transport)
    assert outcome.verdict == "allowed"
    preflight, actual = transport.sent
    sent = dict(preflight.headers)
    assert preflight.method == "OPTIONS"
    assert sent["Access-Control-Request-Method"] == "PUT"
    assert sent["Access-Control-Request-Headers"] == "x-a,x-b"  # lower case, sorted, no spaces
    assert sent["Origin"] == ORIGIN
    assert sent["Sec-Fetch-Mode"] == "cors"
    assert sent["Sec-Fetch-Site"] == "cross-site"  # api.example and app.example: two sites
    assert "Cookie" not in sent and "X-A" not in sent  # a preflight carries no credentials, no author headers
    assert dict(actual.headers)["Cookie"] == "sid=1"
    assert dict(actual.headers)["X-A"] == "2"


def test_redirect_drops_authorization_across_origins_and_taints() -> None:
    transport = Scripted(
        {
            f"OPTIONS {URL}": answer(204, PAGE, ("Access-Control-Allow-Headers", "authorization")),
            URL: answer(302, PAGE, ("Location", "https://cdn.example/data")),
            "https://cdn.example/data": acao("null"),
        }
    )
    page = PageRequest(parse_url(URL), parse_origin(ORIGIN), headers=[("Authorization", "Bearer t")])
    outcome = diagnose(page, transport)
    assert outcome.verdict == "allowed"
    last = dict(transport.sent[-1].headers)
    assert last["Origin"] == "null"
    assert "Authorization" not in last
    assert [s.kind for s in outcome.steps] == ["preflight", "redirect", "actual"]
    assert "redirect-tainted-origin" in {f.id for f in outcome.findings}


def test_too_many_redirects_is_a_transport_error() -> None:
    transport = Scripted({URL: answer(302, PAGE, ("Location", URL))})
    outcome = diagnose(PageRequest(parse_url(URL), parse_origin(ORIGIN)), transport)
    assert outcome.verdict == "error"
    assert outcome.blocked is not None and outcome.blocked.net_error == "ERR_TOO_MANY_REDIRECTS"
    assert len(transport.sent) == 21


def test_readable_headers_safelisted_plus_exposed() -> None:
    response = answer(
        200, PAGE, ("Content-Type", "application/json"), ("X-Total", "3"), ("ETag", '"1"'), ("Set-Cookie", "a=b"),
        ("Access-Control-Expose-Headers", "x-total, set-cookie"),
    )  # fmt: skip
    outcome = diagnose(PageRequest(parse_url(URL), parse_origin(ORIGIN)), Scripted({URL: response}))
    assert outcome.readable == {"content-type": "application/json", "x-total": "3"}
    star = answer(200, PAGE, CRED, ("X-Total", "3"), ("Access-Control-Expose-Headers", "*"))
    plain = diagnose(PageRequest(parse_url(URL), parse_origin(ORIGIN)), Scripted({URL: star}))
    assert set(plain.readable) == {"access-control-allow-origin", "access-control-allow-credentials", "x-total",
                                   "access-control-expose-headers"}  # fmt: skip
    credentialed = diagnose(
        PageRequest(parse_url(URL), parse_origin(ORIGIN), credentials="include"), Scripted({URL: star})
    )
    assert credentialed.readable == {}  # with credentials '*' is a header name


@pytest.mark.parametrize(
    ("url", "finding"),
    [("http://127.0.0.1:8000/x", True), ("http://192.168.1.20/x", True), ("http://localhost:5000/x", True),
     ("http://printer.local/x", True), ("https://api.example/x", False), ("http://100.64.0.1/x", True)],
)  # fmt: skip
def test_local_network_access_is_noticed_from_a_public_page(url: str, finding: bool) -> None:
    target = parse_url(url).serialise()
    outcome = diagnose(PageRequest(parse_url(url), parse_origin(ORIGIN)), Scripted({target: acao(ORIGIN)}))
    assert outcome.verdict == "allowed"
    assert ("local-network-access" in {f.id for f in outcome.findings}) is finding
    from_loopback = diagnose(
        PageRequest(parse_url(url), parse_origin("http://localhost:3000")), Scripted({target: acao(ORIGIN)})
    )
    assert "local-network-access" not in {f.id for f in from_loopback.findings}
