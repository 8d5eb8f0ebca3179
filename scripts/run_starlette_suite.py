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

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
import venv
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
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


def _run(*args: str | Path, cwd: Path | None = None) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=cwd)


def prepare(scratch: Path, version: str) -> tuple[Path, Path]:
    """The venv's python and the folder to run pytest in."""
    env_dir = scratch / "venv"
    if not (env_dir / "bin" / "python").exists():
        venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    _run(
        python,
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        f"starlette=={version}",
        "httpx2",
        "pytest",
        "anyio",
        "publicsuffixlist",
    )
    sdist_dir = scratch / "sdist"
    sdist_dir.mkdir(exist_ok=True)
    _run(
        python,
        "-m",
        "pip",
        "download",
        "-q",
        "--disable-pip-version-check",
        "--no-binary",
        ":all:",
        "--no-deps",
        f"starlette=={version}",
        "-d",
        sdist_dir,
    )
    archive = next(sdist_dir.glob(f"starlette-{version}.tar.gz"))
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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", default="1.10.0", help="Starlette version (default: 1.10.0)")
    parser.add_argument("--scratch", type=Path, help="scratch folder (default: a new one under the temp dir)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every test by outcome")
    args = parser.parse_args()
    scratch = (args.scratch or Path(tempfile.mkdtemp(prefix="starlette-suite-"))).resolve()
    scratch.mkdir(parents=True, exist_ok=True)
    python, run_dir = prepare(scratch, args.version)
    report = scratch / "report.xml"
    env = {"PYTHONPATH": f"{REPO}:{run_dir}", "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [
            str(python),
            "-m",
            "pytest",
            SUITE,
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "corsgate_swap",
            "-W",
            "error",
            "-W",
            "ignore::DeprecationWarning",
            f"--junitxml={report}",
            "--rootdir",
            str(run_dir),
        ],
        cwd=run_dir,
        env=env,
        check=False,
    )
    outcomes, problems = classify(report)
    print(f"\nStarlette {args.version} {SUITE} against asgi_ext.compat (scratch: {scratch})")
    for outcome, names in outcomes.items():
        print(f"  {outcome}: {len(names)}")
        if args.verbose or outcome == "deliberate":
            for name in names:
                print(f"    {name}")
    for problem in problems:
        print("  " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
