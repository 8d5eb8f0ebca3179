"""Explanations built from the answers: the method's case, the header's capitals, Vary only where the value
follows the Origin, what answered a 404, --audit's fix, and no wsgicors advice for other servers."""

from __future__ import annotations

from typing import Any

import pytest

from wsgicors.doctor import PageRequest, diagnose, parse_origin, parse_url
from wsgicors.doctor.audit import audit
from wsgicors.doctor.catalogue import CATALOGUE
from wsgicors.doctor.checks import Response
from wsgicors.doctor.explain import explain
from wsgicors.doctor.layers import recognise
from wsgicors.doctor.outcome import Outcome
from wsgicors.doctor.report_human import render
from wsgicors.doctor.report_json import to_document

from .util import Scripted, Sent, answer

URL = "https://api.example/data"
ORIGIN = "https://app.example"
PAGE = ("Access-Control-Allow-Origin", ORIGIN)


def judge(answers: dict[str, Any], run_audit: bool = False, **request: Any) -> tuple[Outcome, str]:
    page = PageRequest(parse_url(URL), parse_origin(request.pop("origin", ORIGIN)), **request)
    transport = Scripted(answers)
    outcome = diagnose(page, transport)
    if run_audit:
        outcome.audit = audit(page, transport)
    return outcome, " ".join(render(outcome).split())


def why_fix(outcome: Outcome) -> str:
    explanation = explain(outcome)
    assert explanation is not None
    return f"{explanation.why} {explanation.fix}"


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_lower_case_allow_methods_is_explained_as_the_servers_case(method: str) -> None:
    listed = f"get, {method.lower()}"
    outcome, _ = judge({f"OPTIONS {URL}": answer(204, PAGE, ("Access-Control-Allow-Methods", listed))}, method=method)
    assert outcome.blocked is not None and outcome.blocked.id == "MethodDisallowedByPreflightResponse"
    text = why_fix(outcome)
    assert f"the server sends '{method.lower()}' in lower case" in text
    assert "case-sensitive" in text
    assert f"Send '{method}' in upper case" in text
    assert "patch" not in text.lower()


def test_a_page_sending_patch_in_lower_case_is_told_to_send_it_in_upper_case() -> None:
    outcome, _ = judge({f"OPTIONS {URL}": answer(204, PAGE, ("Access-Control-Allow-Methods", "GET, PATCH"))},
                       method="patch")  # fmt: skip
    text = why_fix(outcome)
    assert "the page sends 'patch'" in text and "Send 'PATCH' from the page" in text


def test_an_unlisted_method_is_named_without_blaming_the_page() -> None:
    outcome, _ = judge({f"OPTIONS {URL}": answer(204, PAGE, ("Access-Control-Allow-Methods", "GET, POST"))},
                       method="PATCH")  # fmt: skip
    text = why_fix(outcome)
    assert "allows 'GET', 'POST'; PATCH is not listed" in text
    assert "from the page" not in text


def test_header_names_keep_their_capitals_in_preflight_texts() -> None:
    assert not [key for key, entry in CATALOGUE.items() if "access-Control" in entry.why + entry.fix]
    assert CATALOGUE["PreflightMultipleAllowOriginValues"].why.startswith(
        "On the preflight (OPTIONS) answer: Access-Control-Allow-Origin holds"
    )
    outcome, text = judge({f"OPTIONS {URL}": answer(204, PAGE, PAGE)}, method="PUT")
    assert outcome.blocked is not None and outcome.blocked.id == "PreflightMultipleAllowOriginValues"
    assert "access-Control" not in text


def _findings(outcome: Outcome) -> dict[str, str]:
    return {f["id"]: f["severity"] for f in to_document(outcome)["findings"]}


def test_vary_warning_only_when_the_value_follows_the_origin() -> None:
    fixed = answer(200, PAGE)  # the same value for every origin (Apache's Header set "https://...")

    def echo(sent: Sent) -> Response:
        origin = dict(sent.headers)["Origin"]
        return answer(200, ("Access-Control-Allow-Origin", origin)) if origin == ORIGIN else answer(200)

    alone, _ = judge({URL: fixed})
    assert _findings(alone)["missing-vary-origin"] == "info"  # one origin seen: the doctor cannot tell
    with_fixed, _ = judge({URL: fixed}, run_audit=True)
    assert "missing-vary-origin" not in _findings(with_fixed)
    with_echo, text = judge({URL: echo}, run_audit=True)
    assert _findings(with_echo)["missing-vary-origin"] == "warning"
    assert "follows the request's Origin" in text


def test_a_404_from_the_backend_says_what_answered() -> None:
    nginx = answer(404, ("Server", "nginx/1.22.1"), ("Content-Type", "text/html"), reason="Not Found")
    nginx.body = b"<html>\r\n<hr><center>nginx/1.22.1</center>\r\n</html>\r\n"
    _outcome, text = judge({URL: nginx})
    assert "Nothing answers" not in text and "nothing answers" not in text
    assert "nginx has nothing at /data for GET" in text
    assert "answered by: nginx, its own 404 page (Server: nginx/1.22.1" in text
    assert "< Server: nginx/1.22.1" in text
    _plain, text = judge({URL: answer(404, reason="Not Found")})
    assert "the server has nothing at /data for GET" in text


def test_audit_fix_names_the_origins_it_saw_allowed() -> None:
    def reflect(sent: Sent) -> Response:
        origin = dict(sent.headers)["Origin"]
        allowed = origin == ORIGIN or origin.endswith("app.example")
        return answer(200, ("Access-Control-Allow-Origin", origin), ("Vary", "Origin")) if allowed else answer(200)

    _outcome, text = judge({URL: reflect}, run_audit=True)
    assert "Fix: Stop allowing https://evilapp.example, http://app.example, https://a.b.app.example:" in text
    assert "https://evil.example," not in text.split("Fix:")[1]  # denied: not named
    assert "With wsgicors" not in text


def test_no_wsgicors_advice_for_a_server_that_is_not_this_library() -> None:
    for answers in ({URL: answer(200)}, {URL: answer(200, ("Access-Control-Allow-Origin", "*"),
                                                       ("Access-Control-Allow-Credentials", "true"))}):  # fmt: skip
        outcome, text = judge(answers, credentials="include")
        assert outcome.verdict == "blocked"
        assert "With wsgicors" not in text and "CORSMiddleware" not in text
        assert "With wsgicors" not in to_document(outcome)["error"]["fix"]


@pytest.mark.parametrize(
    ("status", "headers", "body", "method", "name", "own"),
    [
        (404, [], b"<html><hr><center>nginx</center></html>", "GET", "nginx", "404 page"),
        (200, [("X-Powered-By", "Express"), ("Allow", "GET,HEAD")], b"GET,HEAD", "OPTIONS", "express",
         "automatic OPTIONS answer"),
        (404, [("X-Powered-By", "Express")], b"<pre>Cannot OPTIONS /data</pre>", "OPTIONS", "express", "404 page"),
        (400, [("server", "uvicorn")], b"Disallowed CORS headers", "OPTIONS", "starlette", "CORS refusal (400)"),
        (404, [], b'{"message":"Route OPTIONS:/data not found","error":"Not Found","statusCode":404}', "OPTIONS",
         "fastify", "404 answer"),
        (200, [("Server", "Apache/2.4.71 (Debian)")], b"{}", "GET", "apache", ""),
        (200, [("Server", "uvicorn")], b"{}", "GET", "uvicorn", ""),
    ],
)  # fmt: skip
def test_layers_are_recognised_from_what_they_send(
    status: int, headers: list[tuple[str, str]], body: bytes, method: str, name: str, own: str
) -> None:
    layer = recognise(Response(status, "", headers, body), method)
    assert layer is not None and (layer.name, layer.own_page) == (name, own)


def test_nothing_is_guessed_for_an_answer_without_traces() -> None:
    assert recognise(Response(200, "OK", [("Content-Type", "application/json")], b"{}"), "GET") is None
    assert recognise(Response(400, "", [], b"Disallowed CORS origin"), "GET") is not None
    assert recognise(Response(500, "", [], b'{"statusCode":404,"error":"x","message":"y"}'), "GET") is None


@pytest.mark.parametrize(
    ("answers", "request_"),
    [
        ({URL: answer(200, ("Access-Control-Allow-Origin", "https://" + "a" * 60000 + ".example"))}, {}),
        ({f"OPTIONS {URL}": answer(204, PAGE, ("Access-Control-Allow-Methods", ", ".join(["X" * 50] * 2000)))},
         {"method": "PUT"}),
        ({f"OPTIONS {URL}": answer(204, PAGE, ("Access-Control-Allow-Headers", "h" * 70000))},
         {"method": "PUT", "headers": [("X-A", "1")]}),
        ({URL: answer(500, ("X-Powered-By", "Express" + "x" * 50000))}, {}),
        ({f"OPTIONS {URL}": answer(301, PAGE, ("Location", "https://api.example/" + "p" * 80000))}, {"method": "PUT"}),
    ],
)  # fmt: skip
def test_a_hostile_servers_huge_values_are_shortened_in_the_explanation(
    answers: dict[str, Any], request_: dict[str, Any]
) -> None:
    outcome, _ = judge(answers, **request_)
    assert outcome.verdict == "blocked"
    text = why_fix(outcome)
    assert len(text) < 2000, text[:300]
    for finding in outcome.findings:
        assert len(finding.detail) < 2000
