"""``--app`` against apps that break PEP 3333: a transport error with a one-line reason, never a traceback
(issue 17.8: a status ``2²0 OK`` or bytes header names ended in a traceback and exit status 1)."""

from __future__ import annotations

import pytest

from wsgicors._version import banner

from .malformed_apps import APPS
from .util import run_cli, run_cli_json


@pytest.mark.parametrize("name", list(APPS))
def test_a_malformed_wsgi_answer_is_a_transport_error(name: str) -> None:
    code, doc = run_cli_json(["https://api.example/x", "--origin", "https://app.example", "--app",
                              f"tests.doctor.malformed_apps:{name}"])  # fmt: skip
    assert code == 3
    assert doc["verdict"] == "error"
    assert doc["error"]["console"] == "GET https://api.example/x net::ERR_INVALID_HTTP_RESPONSE"
    assert APPS[name][1] in doc["error"]["why"]


def test_the_human_report_and_stderr() -> None:
    code, out, err = run_cli(["https://api.example/x", "--origin", "https://app.example", "--app",
                              "tests.doctor.malformed_apps:superscript_status"])  # fmt: skip
    assert (code, err) == (3, banner("cors-doctor") + "\n")
    assert "ERROR: transport failure, net::ERR_INVALID_HTTP_RESPONSE (not a CORS verdict)" in out
    assert "\\u00b2" in out  # escaped, as every value from the app


def test_a_wsgi_app_that_never_answers_runs_into_the_timeout_then_the_deadline() -> None:
    app = ["--app", "tests.doctor.malformed_apps:never_answers"]
    code, doc = run_cli_json(["https://api.example/x", "--origin", "https://app.example", "--timeout", "0.2", *app])
    assert code == 3
    assert "the app did not answer within 0.2 s" in doc["error"]["why"]
    code, doc = run_cli_json(["https://api.example/x", "--origin", "https://app.example", "--timeout", "5",
                              "--deadline", "0.2", "--audit", *app])  # fmt: skip
    assert code == 3
    assert "--deadline of 0.2 s for the whole run" in doc["error"]["why"]
    assert "ran out during the actual request GET https://api.example/x" in doc["error"]["why"]
    assert "audit" not in doc  # no time was left for it, and the findings say so
    finding = next(f for f in doc["findings"] if f["id"] == "deadline-ran-out")
    assert finding["detail"].startswith("--audit was not run: the --deadline of 0.2 s ran out")
