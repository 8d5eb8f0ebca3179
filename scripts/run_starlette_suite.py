#!/usr/bin/env python3
"""Run Starlette's own CORS tests against ``asgi_ext.compat``, in a scratch folder.

    python scripts/run_starlette_suite.py [--version 1.10.0] [--scratch DIR] [-v]

Downloads Starlette's sdist from PyPI (``pip download --no-binary :all:``) into
the scratch folder, extracts ``tests/middleware/test_cors.py`` with the files it
imports (``tests/__init__.py``, ``tests/conftest.py``, ``tests/types.py``), and
runs it with pytest in a fresh venv holding that Starlette, its test client's
``httpx2`` and this repository on PYTHONPATH. A pytest plugin written into the
scratch folder (loaded with ``-p`` before any test module is imported) replaces
``starlette.middleware.cors.CORSMiddleware`` with ``asgi_ext.compat.CORSMiddleware``,
so the test module's own import gets the compat layer. Nothing is copied into
this repository. Every test must pass unless ``EXPECTED`` classifies it as a
deliberate difference (documented in docs/migrating/starlette.md); exit status 0
when the results match the classification exactly. Needs network access to PyPI.
"""

from __future__ import annotations

import shutil
import sys
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # peer_suite, also when this file is loaded by path
from peer_suite import download_sdist, parse_args, run_pytest, scratch_python, summary

SUITE = "tests/middleware/test_cors.py"
NEEDED = ("tests/__init__.py", "tests/conftest.py", "tests/types.py", "tests/middleware/__init__.py", SUITE)

PLUGIN = '''"""Loaded with -p before the test modules: Starlette's CORSMiddleware becomes asgi_ext.compat's."""
import starlette.middleware.cors

import asgi_ext.compat

starlette.middleware.cors.CORSMiddleware = asgi_ext.compat.CORSMiddleware  # type: ignore[misc]
'''

_STAR_CREDENTIALS = (
    "S1: allow_origins=['*'] with allow_credentials=True is refused at start-up "
    "(Starlette reflects any origin with the user's cookies)"
)
#: Test name -> why it does not pass.
EXPECTED: dict[str, str] = {
    "test_cors_allow_all": _STAR_CREDENTIALS,
    "test_preflight_allows_request_origin_if_origins_wildcard_and_credentials_allowed": _STAR_CREDENTIALS,
    "test_cors_vary_header_is_properly_set_for_credentialed_request": _STAR_CREDENTIALS,
    "test_cors_allow_origin_regex": (
        "S2: allow_origin_regex='https://.*' with allow_credentials=True is refused at start-up: it lets "
        "every https origin read responses made with the user's cookies ('*' with credentials in other words)"
    ),
    "test_cors_allow_origin_regex_fullmatch": (
        r"S2: allow_origin_regex=r'https://.*\.example.org' is refused at start-up: its bare '.' in "
        r"'example.org' matches any character (the fix: 'https://.*\.example\.org')"
    ),
}


def prepare(scratch: Path, version: str) -> tuple[Path, Path]:
    """The venv's python and the folder to run pytest in."""
    python = scratch_python(scratch, f"starlette=={version}", "httpx2", "pytest", "anyio", "publicsuffixlist")
    archive = download_sdist(python, scratch, f"starlette=={version}", f"starlette-{version}.tar.gz")
    run_dir = scratch / "run"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir()
    prefix = f"starlette-{version}/"
    with tarfile.open(archive) as tar:
        members = [tar.getmember(prefix + name) for name in NEEDED]
        for member in members:
            member.name = member.name.removeprefix(prefix)
        tar.extractall(run_dir, members=members, filter="data")
    (run_dir / "corsgate_swap.py").write_text(PLUGIN)
    return python, run_dir


def classify(report: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Outcome -> test names, and the problems (unexpected failures, stale classifications)."""
    outcomes: dict[str, list[str]] = {"passed": [], "deliberate": [], "skipped": []}
    problems: list[str] = []
    for case in ET.parse(report).iter("testcase"):
        name = case.get("name", "")
        base = name.split("[", 1)[0]
        reason = EXPECTED.get(base)
        failed = case.find("failure") is not None or case.find("error") is not None
        if case.find("skipped") is not None:
            outcomes["skipped"].append(name)
            problems.append(f"unexpected skip: {name}")
        elif not failed:
            outcomes["passed"].append(name)
            if reason is not None:
                problems.append(f"passes but is classified ({reason}): {name}")
        elif reason is None:
            problems.append(f"FAILS: {name}")
        else:
            outcomes["deliberate"].append(f"{name}  [{reason}]")
    if not any(outcomes.values()):
        problems.append("no test ran")
    return outcomes, problems


def main() -> int:
    args = parse_args(__doc__, "Starlette", "1.10.0", "starlette-suite-")
    python, run_dir = prepare(args.scratch, args.version)
    report = args.scratch / "report.xml"
    run_pytest(
        python,
        run_dir,
        [run_dir],
        report,
        SUITE,
        "-p",
        "corsgate_swap",
        "-W",
        "error",
        "-W",
        "ignore::DeprecationWarning",
        "--rootdir",
        str(run_dir),
    )
    outcomes, problems = classify(report)
    title = f"Starlette {args.version} {SUITE} against asgi_ext.compat (scratch: {args.scratch})"
    return summary(title, outcomes, problems, args.verbose)


if __name__ == "__main__":
    sys.exit(main())
