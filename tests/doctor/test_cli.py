"""The command: options, exit statuses, the JSON schema, the human report, --app and --audit."""

from __future__ import annotations

import io
from typing import Any

import pytest

from wsgicors.doctor import cli

from .hostile_server import refused_port
from .util import run_cli, run_cli_json

URL = "https://api.example/data"
ORIGIN = "https://app.example"
STRICT = ["--app", "tests.doctor.sample_app:strict"]
REFLECTING = ["--app", "tests.doctor.sample_app:reflecting"]


def test_allowed_preflighted_request_json_schema() -> None:
    code, doc = run_cli_json([URL, "--origin", ORIGIN, "-X", "PUT", "-H", "Content-Type: application/json",
                              "--credentials", "include", "--cookie", "sid=1", "--data", "{}", *STRICT])  # fmt: skip
    assert code == 0
    assert set(doc) == {"version", "verdict", "error", "preflight", "steps", "readable_headers", "findings"}
    assert doc["version"] == 1
    assert doc["verdict"] == "allowed"
    assert doc["error"] is None
    assert doc["preflight"] == {
        "needed": True,
        "reasons": ["method PUT is not GET, HEAD or POST", "header content-type: the value 'application/json' is "
                    "not CORS-safelisted"],
    }  # fmt: skip
    preflight, actual = doc["steps"]
    assert set(preflight) == {"kind", "method", "url", "request_headers", "status", "response_headers", "result",
                              "engine"}  # fmt: skip
    assert (preflight["kind"], preflight["method"], preflight["url"], preflight["status"]) == ("preflight", "OPTIONS",
                                                                                                URL, 200)  # fmt: skip
    assert ["Access-Control-Request-Headers", "content-type"] in preflight["request_headers"]
    assert ["Access-Control-Allow-Credentials", "true"] in preflight["response_headers"]
    assert (actual["kind"], actual["method"], actual["status"], actual["result"]) == ("actual", "PUT", 200, "pass")
    assert ["Cookie", "<masked>"] in actual["request_headers"]
    assert doc["readable_headers"] == {"content-type": "application/json", "content-length": "17", "x-request-id": "42"}
    assert all(set(f) == {"id", "severity", "detail"} for f in doc["findings"])


def test_blocked_json_error_and_exit_status() -> None:
    code, doc = run_cli_json([URL, "--origin", "https://evil.example", "-X", "DELETE", *STRICT])
    assert code == 1
    assert doc["verdict"] == "blocked"
    assert set(doc["error"]) == {"id", "console", "why", "fix"}
    assert doc["error"]["id"] == "PreflightMissingAllowOriginHeader"
    assert doc["error"]["console"] == (
        f"Access to fetch at '{URL}' from origin 'https://evil.example' has been blocked by CORS policy: Response to "
        "preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on "
        "the requested resource."
    )
    assert "With wsgicors: CORSMiddleware(app, origins=['https://evil.example'])" in doc["error"]["fix"]
    assert [s["kind"] for s in doc["steps"]] == ["preflight"]  # nothing more after a failed preflight
    # The engine's own reason, beside the browser's verdict (its DEBUG record for this request).
    assert doc["steps"][0]["engine"] == ["CORS denied: origin not allowed (origin 'https://evil.example', OPTIONS "
                                         "'/data')"]  # fmt: skip


def test_human_report_shows_engine_reason_console_why_fix() -> None:
    code, out, _ = run_cli([URL, "--origin", ORIGIN, "-X", "PUT", "-H", "X-Custom: 1",
                            "-H", "Authorization: Bearer abc.def", *STRICT])  # fmt: skip
    assert code == 1
    flat = " ".join(out.split())
    assert "BLOCKED: HeaderDisallowedByPreflightResponse" in out
    assert "Request header field authorization is not allowed by Access-Control-Allow-Headers" in out
    assert "wsgicors engine says: CORS preflight: headers ['authorization', 'x-custom'] are not in headers" in flat
    assert "abc.def" not in out
    assert "Why: The page sets a header that is not CORS-safelisted" in out
    assert "With wsgicors: headers=[..., 'authorization']" in flat
    assert "\x1b[" not in out  # not a terminal: no colour


def test_credentials_are_masked_in_the_human_report() -> None:
    code, out, _ = run_cli([URL, "--origin", ORIGIN, "-H", "Authorization: Bearer abc.def", "--credentials",
                            "include", "--cookie", "sid=s3cr3t", *REFLECTING])  # fmt: skip
    assert code == 0
    assert "> Authorization: Bearer <masked>" in out
    assert "> Cookie: <masked>" in out
    assert "abc.def" not in out and "s3cr3t" not in out


@pytest.mark.parametrize(
    "argv",
    [
        [URL],  # no --origin
        [URL, "--origin", "https://app.example/"],
        [URL, "--origin", "app.example"],
        ["ftp://api.example/x", "--origin", ORIGIN],
        [URL, "--origin", ORIGIN, "-X", "TRACE"],
        [URL, "--origin", ORIGIN, "--data", "x"],  # a GET with a body: fetch() throws
        [URL, "--origin", ORIGIN, "-H", "Broken"],
        [URL, "--origin", ORIGIN, "--timeout", "0"],
        [URL, "--origin", ORIGIN, "--credentials", "sometimes"],
        [URL, "--origin", ORIGIN, "--app", "no_such_module_here:app"],
        [URL, "--origin", ORIGIN, "--app", "tests.doctor.sample_app:ORIGIN"],  # not callable
        [URL, "--origin", ORIGIN, "--app", "nocolon"],
    ],
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    code, out, err = run_cli(argv)
    assert code == 2
    assert out == ""
    assert err


def test_help_exits_0() -> None:
    code, out, _ = run_cli(["--help"])
    assert code == 0
    assert "exit status: 0 allowed, 1 blocked, 2 usage error, 3 transport error" in out


def test_transport_error_exit_3() -> None:
    with refused_port() as port:
        code, doc = run_cli_json([f"http://127.0.0.1:{port}/", "--origin", ORIGIN, "--timeout", "2"])
    assert code == 3
    assert doc["verdict"] == "error"
    assert doc["error"]["id"] == "transport"
    assert doc["error"]["console"].endswith("net::ERR_CONNECTION_REFUSED")
    assert doc["steps"][0]["status"] is None


def test_app_factory_and_app_exception() -> None:
    code, doc = run_cli_json([URL, "--origin", ORIGIN, "--app", "tests.doctor.sample_app:create_app()"])
    assert (code, doc["verdict"]) == (0, "allowed")
    code, doc = run_cli_json(["https://api.example/raise", "--origin", ORIGIN, *STRICT])
    assert (code, doc["error"]["id"]) == (1, "MissingAllowOriginHeader")
    assert doc["steps"][0]["status"] == 500
    ids = {f["id"] for f in doc["findings"]}
    assert {"app-raised", "error-status-without-cors-headers"} <= ids


def test_forbidden_header_is_dropped_with_a_finding() -> None:
    code, doc = run_cli_json([URL, "--origin", ORIGIN, "-H", "Cookie: sid=1", *STRICT])
    assert code == 0
    assert all(name != "Cookie" for name, _ in doc["steps"][0]["request_headers"])
    assert "forbidden-header-dropped" in {f["id"] for f in doc["findings"]}


def test_audit_finds_a_reflecting_server() -> None:
    code, doc = run_cli_json([URL, "--origin", ORIGIN, "--audit", *REFLECTING])
    assert code == 4
    origins = {a["origin"]: a for a in doc["audit"]}
    assert set(origins) == {"https://evil.example", "null", "https://app.example.evil.example",
                            "https://evilapp.example", "http://app.example", "https://a.b.app.example"}  # fmt: skip
    assert all(a["allowed"] and set(a) == {"origin", "allowed", "credentials", "kind"} for a in doc["audit"])
    assert origins["https://evil.example"]["credentials"] is True
    assert "missing-vary-origin" in {f["id"] for f in doc["findings"]}


def test_audit_of_a_strict_server_exits_0() -> None:
    code, out, _ = run_cli([URL, "--origin", ORIGIN, "--audit", *STRICT])
    assert code == 0
    assert "Audit: 0 of 6 hostile origins allowed" in out


def test_blocked_beats_audit_exit_status() -> None:
    code, _ = run_cli_json([URL, "--origin", ORIGIN, "--credentials", "include", "--audit", "-X", "PATCH", *REFLECTING])
    assert code == 1  # MethodDisallowed: the verdict's own status wins


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    def report(env: dict[str, Any]) -> str:
        for key in ("NO_COLOR",):
            monkeypatch.delenv(key, raising=False)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        terminal = _Terminal()
        monkeypatch.setattr(cli.sys, "stdout", terminal)
        assert cli.main([URL, "--origin", ORIGIN, *STRICT]) == 0
        return terminal.getvalue()

    assert "\x1b[32mALLOWED\x1b[0m" in report({})
    assert "\x1b[" not in report({"NO_COLOR": "1"})


@pytest.mark.parametrize(
    ("argv", "suggested"),
    [(["127.0.0.1:8000/api", "--origin", ORIGIN], "http://127.0.0.1:8000/api"),
     ([URL, "--origin", "localhost:3000"], "http://localhost:3000")],
)  # fmt: skip
def test_a_url_or_origin_without_scheme_suggests_one_that_works_pasted_back(argv: list[str], suggested: str) -> None:
    code, out, err = run_cli([*argv, *STRICT])
    assert (code, out) == (2, "")
    line = err.splitlines()[-1]
    assert line.endswith(f"did you mean {suggested!r}?"), err
    fixed = [suggested if arg in ("127.0.0.1:8000/api", "localhost:3000") else arg for arg in argv]
    code, _, err = run_cli([*fixed, *STRICT])
    assert code in (0, 1), err  # a verdict, not a usage error


@pytest.mark.parametrize(
    "extra",
    [["--deadline", "0"], ["--deadline", "-1"], ["--deadline", "nan"], ["--deadline", "1e300"],
     ["--timeout", "1e300"], ["--timeout", "inf"], ["--deadline", "soon"]],
)  # fmt: skip
def test_bad_deadline_or_timeout_is_a_one_line_usage_error(extra: list[str]) -> None:
    code, out, err = run_cli([URL, "--origin", ORIGIN, *STRICT, *extra])
    assert (code, out) == (2, "")
    assert "Traceback" not in err
    assert "--deadline" in err.splitlines()[-1] or "--timeout" in err.splitlines()[-1]


def test_help_documents_the_deadline() -> None:
    _, out, _ = run_cli(["--help"])
    flat = " ".join(out.split())
    assert (
        "--deadline SECONDS seconds for the whole run: every request, redirect and --audit origin (default 3 x" in flat
    )
    assert "3 transport error (no HTTP answer, or the --deadline ran out)" in flat
    assert "5 internal error" in flat


def test_an_internal_error_is_one_line_and_exit_5(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> None:
        raise ValueError("a bug\nwith \x1b[31m a second line")

    monkeypatch.setattr(cli, "diagnose", broken)
    code, out, err = run_cli([URL, "--origin", ORIGIN, *STRICT])
    assert (code, out) == (cli.EXIT_INTERNAL, "")
    assert err.splitlines()[-1] == (
        "cors-doctor: internal error, please report it: ValueError: a bug with \\x1b[31m a second line"
    )
    assert len(err.splitlines()) == 2  # the banner, then the one line


def test_a_closed_stdout_keeps_the_verdicts_status_without_a_traceback() -> None:
    """`cors-doctor ... | head -1`: the reader went away; the exit status is still the verdict's."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write to stdout fails with EPIPE
    try:
        done = subprocess.run(
            [sys.executable, "-m", "wsgicors.doctor", URL, "--origin", "https://evil.example", *STRICT],
            stdout=write_end, stderr=subprocess.PIPE, cwd=root, env={**os.environ, "PYTHONPATH": str(root)},
            timeout=60, check=False,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert done.returncode == 1
    assert b"Traceback" not in done.stderr and b"internal error" not in done.stderr
