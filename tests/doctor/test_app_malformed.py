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
