#!/usr/bin/env python3
"""Run flask-cors's own test suite against ``flask_ext.compat``, in a scratch folder.

    python scripts/run_flask_cors_suite.py [--version 6.0.5] [--scratch DIR]

Downloads flask-cors's sdist from PyPI (``pip download --no-binary :all:``),
copies its ``tests/`` into the scratch folder, writes an alias package
``flask_cors`` that only re-exports ``flask_ext.compat`` (plus the header-name
constants its tests import from ``flask_cors.core``), and runs the tests with
pytest in a fresh venv that has Flask but not flask-cors. Nothing is copied into
this repository. Every test must pass unless ``EXPECTED`` classifies it: a
deliberate difference (its code in the README's "Switching from flask-cors"
table), a test of flask-cors's private helpers (``private``), or one flask-cors
itself skips. Exit status 0 when the results match the classification exactly.
Needs network access to PyPI.
"""

from __future__ import annotations

import shutil
import sys
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # peer_suite, also when this file is loaded by path
from peer_suite import download_sdist, parse_args, run_pytest, scratch_python, summary

ALIAS_INIT = '''"""Alias: flask-cors's name for flask_ext.compat (re-exports only)."""
from flask_ext.compat import CORS, cross_origin

__all__ = ["CORS", "cross_origin"]
'''
ALIAS_CORE = '''"""Alias: the header-name constants flask-cors's tests import from flask_cors.core."""
from flask_ext.compat import ALL_METHODS

ACL_ORIGIN = "Access-Control-Allow-Origin"
ACL_METHODS = "Access-Control-Allow-Methods"
ACL_ALLOW_HEADERS = "Access-Control-Allow-Headers"
ACL_EXPOSE_HEADERS = "Access-Control-Expose-Headers"
ACL_CREDENTIALS = "Access-Control-Allow-Credentials"
ACL_MAX_AGE = "Access-Control-Max-Age"
ACL_RESPONSE_PRIVATE_NETWORK = "Access-Control-Allow-Private-Network"
ACL_REQUEST_METHOD = "Access-Control-Request-Method"
ACL_REQUEST_HEADERS = "Access-Control-Request-Headers"
ACL_REQUEST_HEADER_PRIVATE_NETWORK = "Access-Control-Request-Private-Network"
'''

_EXC = "decorator.test_exception_interception."
_D12 = "D12: setUp configures '.*.example.com', refused (lets https://evil-example.com in)"
#: Test (module.Class.test) or whole class (module.Class) -> why it does not pass.
EXPECTED: dict[str, str] = {
    "extension.test_app_extension.AppExtensionRegexp": _D12 + ", so every test of the class errors",
    "decorator.test_origins.OriginsTestCase": _D12 + ", so every test of the class errors",
    "decorator.test_credentials.SupportsCredentialsCase": (
        "D2: setUp's cross_origin(supports_credentials=True) with origins '*' is refused at decoration"
    ),
    "decorator.test_private_network_headers.SupportsCredentialsCase.test_credentials_supported": (
        "D7: Access-Control-Allow-Private-Network only on preflights (this is a GET)"
    ),
    "decorator.test_private_network_headers.SupportsCredentialsCase.test_credentials_unsupported": (
        "D7: 'false' is never sent"
    ),
    "decorator.test_vary_header.VaryHeaderTestCase.test_default": "D1: '*' answers '*', so no Vary: Origin",
    "decorator.test_w3.OriginsW3TestCase.test_wildcard_origin_header": "D1: '*' answers '*', not the Origin",
    "decorator.test_w3.OriginsW3TestCase.test_wildcard_default_origins": "D1: '*' answers '*', not the Origin",
    "decorator.test_vary_header.VaryHeaderTestCase.test_consistent_origin": (
        "D5: Vary: Origin also for a single listed origin"
    ),
    "decorator.test_vary_header.VaryHeaderTestCase.test_consistent_origin_concat": (
        "D9: Vary merged into one line ('Accept-Encoding, Origin')"
    ),
    "decorator.test_methods.MethodsCase.test_methods_defined": (
        "D8: a preflight for an unlisted method gets the full Allow-Methods (the browser names the method)"
    ),
    _EXC + "ExceptionInterceptionDefaultTestCase.test_acl_exception_with_error_handler": (
        "D10: requests 'test_acl_...' without a leading '/': PATH_INFO as given matches no resource"
    ),
    "core.test_helpers.InternalsTestCase": "private: flask_cors.core helpers (serialize_options, ...)",
    _EXC + "NoExceptionInterceptionTestCase.test_acl_uncaught_exception_500": (
        "skipped by flask-cors itself on Flask >= 1.1"
    ),
}


def prepare(scratch: Path, version: str) -> tuple[Path, Path]:
    """The venv's python and the copied tests folder's parent."""
    python = scratch_python(scratch, "flask", "pytest", "packaging", "publicsuffixlist")
    archive = download_sdist(python, scratch, f"flask-cors=={version}", f"flask_cors-{version}.tar.gz")
    sdist_dir = archive.parent
    with tarfile.open(archive) as tar:
        tar.extractall(sdist_dir, filter="data")
    run_dir = scratch / "run"
    shutil.rmtree(run_dir, ignore_errors=True)
    tests = sdist_dir / f"flask_cors-{version}" / "tests"
    if not tests.is_dir():
        raise SystemExit(f"flask-cors {version}'s sdist carries no tests/ (6.0.5's does): try --version 6.0.5")
    shutil.copytree(tests, run_dir / "tests")
    alias = scratch / "alias" / "flask_cors"
    alias.mkdir(parents=True, exist_ok=True)
    (alias / "__init__.py").write_text(ALIAS_INIT)
    (alias / "core.py").write_text(ALIAS_CORE)
    return python, run_dir


def classify(report: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Outcome -> test ids, and the problems (unexpected failures, stale classifications)."""
    outcomes: dict[str, list[str]] = {"passed": [], "deliberate": [], "private": [], "skipped": []}
    problems: list[str] = []
    for case in ET.parse(report).iter("testcase"):
        test_id = case.get("classname", "").removeprefix("tests.") + "." + case.get("name", "")
        reason = EXPECTED.get(test_id) or EXPECTED.get(test_id.rsplit(".", 1)[0])
        failed = case.find("failure") is not None or case.find("error") is not None
        skipped = case.find("skipped") is not None
        if skipped:
            outcomes["skipped"].append(test_id)
            if reason is None or "skipped" not in reason:
                problems.append(f"unexpected skip: {test_id}")
        elif not failed:
            outcomes["passed"].append(test_id)
            if reason is not None:
                problems.append(f"passes but is classified ({reason}): {test_id}")
        elif reason is None:
            problems.append(f"FAILS: {test_id}")
        else:
            outcomes["private" if reason.startswith("private") else "deliberate"].append(f"{test_id}  [{reason}]")
    return outcomes, problems


def main() -> int:
    args = parse_args(__doc__, "flask-cors", "6.0.5", "flaskcors-suite-")
    python, run_dir = prepare(args.scratch, args.version)
    report = args.scratch / "report.xml"
    run_pytest(python, run_dir, [args.scratch / "alias"], report, "tests", "-W", "ignore")
    outcomes, problems = classify(report)
    title = f"flask-cors {args.version} suite against flask_ext.compat (scratch: {args.scratch})"
    return summary(title, outcomes, problems, args.verbose)


if __name__ == "__main__":
    sys.exit(main())
