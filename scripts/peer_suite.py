"""What the peer-suite scripts share: the scratch folder, its venv, the peer's sdist, the pytest run, the summary.

Used by ``run_flask_cors_suite.py`` and ``run_starlette_suite.py``; each keeps what is its own (which files
of the sdist it runs, how the compat layer takes the peer's place, how a test is classified).
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(*args: str | Path, cwd: Path | None = None) -> None:
    """Run a command; fail loudly if it fails."""
    subprocess.run([str(a) for a in args], check=True, cwd=cwd)


def parse_args(doc: str | None, peer: str, version: str, prefix: str) -> argparse.Namespace:
    """``--version`` (of ``peer``), ``--scratch`` (made, and resolved; a new temp folder by default) and ``-v``."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", default=version, help=f"{peer} version (default: {version})")
    parser.add_argument("--scratch", type=Path, help="scratch folder (default: a new one under the temp dir)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every test by outcome")
    args = parser.parse_args()
    args.scratch = (args.scratch or Path(tempfile.mkdtemp(prefix=prefix))).resolve()
    args.scratch.mkdir(parents=True, exist_ok=True)
    return args


def scratch_python(scratch: Path, *requirements: str) -> Path:
    """The python of the scratch folder's venv (made once), with ``requirements`` installed."""
    env_dir = scratch / "venv"
    if not (env_dir / "bin" / "python").exists():
        venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", "--disable-pip-version-check", *requirements)
    return python


def download_sdist(python: Path, scratch: Path, spec: str, archive_name: str) -> Path:
    """The peer's sdist (``spec``), downloaded from PyPI into ``scratch/sdist``: the path of ``archive_name``."""
    sdist_dir = scratch / "sdist"
    sdist_dir.mkdir(exist_ok=True)
    run(
        python,
        "-m",
        "pip",
        "download",
        "-q",
        "--disable-pip-version-check",
        "--no-binary",
        ":all:",
        "--no-deps",
        spec,
        "-d",
        sdist_dir,
    )
    return next(sdist_dir.glob(archive_name))


def run_pytest(python: Path, run_dir: Path, pythonpath: list[Path], report: Path, *args: str) -> None:
    """pytest with ``args`` in ``run_dir`` (this repository and ``pythonpath`` importable), results in ``report``."""
    env = {"PYTHONPATH": ":".join(str(p) for p in [REPO, *pythonpath]), "PATH": "/usr/bin:/bin"}
    command = [str(python), "-m", "pytest", *args, "-q", "-p", "no:cacheprovider", f"--junitxml={report}"]
    subprocess.run(command, cwd=run_dir, env=env, check=False)


def summary(title: str, outcomes: dict[str, list[str]], problems: list[str], verbose: bool) -> int:
    """Print the counts by outcome (the deliberate ones named, every one with ``verbose``); the exit status."""
    print(f"\n{title}")
    for outcome, names in outcomes.items():
        print(f"  {outcome}: {len(names)}")
        if verbose or outcome == "deliberate":
            for name in names:
                print(f"    {name}")
    for problem in problems:
        print("  " + problem)
    return 1 if problems else 0
