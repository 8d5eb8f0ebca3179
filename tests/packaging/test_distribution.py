"""The release: build the sdist and the wheel, check what they hold, install the wheel in a fresh venv.

Builds with ``python -m build`` (the wheel from the sdist, as a distributor would), runs
``twine check --strict`` on both, installs the wheel into a new virtual environment and
uses it from outside the checkout, and runs the core tests from the unpacked sdist.
"""

from __future__ import annotations

import email.parser
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import wsgicors
from wsgicors._version import DISTRIBUTION

pytestmark = pytest.mark.packaging

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("wsgicors", "flask_ext", "django_ext", "asgi_ext")
#: pyproject's [tool.setuptools.package-data] file names.
PACKAGE_DATA = ("py.typed", "demo_page.html")


@dataclass(frozen=True)
class Built:
    wheel: Path
    sdist: Path
    venv_python: Path
    work: Path


def _run(*args: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args} failed ({done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done


def _source_files(package: str) -> set[str]:
    """Every .py file and package-data file (py.typed, the demo's page) of a package in the checkout, as wheel paths."""
    root = REPO_ROOT / package
    return {
        p.relative_to(REPO_ROOT).as_posix()
        for p in root.rglob("*")
        if p.is_file() and (p.suffix == ".py" or p.name in PACKAGE_DATA) and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    work = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "build", "--outdir", work / "dist", REPO_ROOT, cwd=work)
    wheels = list((work / "dist").glob("*.whl"))
    sdists = list((work / "dist").glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, list((work / "dist").iterdir())
    # A fresh environment: its own site-packages hold only the wheel; Flask, Django and
    # pytest come from the development environment through a path entry placed after
    # it (a .pth line; the development environment's own .pth files, such as an
    # editable install of this checkout, are not run from there).
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    where = _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=work)
    site_dir = Path(where.stdout.strip())
    borrowed = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site_dir / "zz_borrowed_dev_packages.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    # --ignore-installed: where this project is installed (a distributor's build environment),
    # the borrowed path holds it too, and pip would call the wheel "already satisfied".
    pip = (
        python,
        "-m",
        "pip",
        "install",
        "--no-deps",
        "--no-index",
        "--ignore-installed",
        "--disable-pip-version-check",
        "-q",
    )
    _run(*pip, wheels[0], cwd=work)
    yield Built(wheels[0], sdists[0], python, work)


def test_twine_check_passes_on_both(built: Built) -> None:
    done = _run(sys.executable, "-m", "twine", "check", "--strict", built.wheel, built.sdist, cwd=built.work)
    assert done.stdout.count("PASSED") == 2, done.stdout


def test_wheel_holds_exactly_the_three_packages(built: Built) -> None:
    names = set(zipfile.ZipFile(built.wheel).namelist())
    dist_info = f"{DISTRIBUTION}-{wsgicors.__version__}.dist-info"
    packaged = {n for n in names if not n.startswith(dist_info + "/")}
    expected = set().union(*(_source_files(p) for p in PACKAGES))
    assert packaged == expected, f"missing: {sorted(expected - packaged)}; extra: {sorted(packaged - expected)}"
    for package in PACKAGES:
        assert f"{package}/py.typed" in names
    assert f"{dist_info}/licenses/LICENSE" in names
    assert {n.split("/")[0] for n in names} == {*PACKAGES, dist_info}


def test_wheel_metadata_is_release_ready(built: Built) -> None:
    dist_info = f"{DISTRIBUTION}-{wsgicors.__version__}.dist-info"
    raw = zipfile.ZipFile(built.wheel).read(f"{dist_info}/METADATA").decode()
    meta = email.parser.Parser().parsestr(raw)
    assert meta["Name"] == DISTRIBUTION
    assert meta["Version"] == wsgicors.__version__
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    assert meta["Requires-Python"] == ">=3.11"
    assert {"cors", "wsgi", "flask", "django"} <= set(meta["Keywords"].split(","))
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL") or [])
    assert {"Homepage", "Repository", "Issues", "Changelog"} <= set(urls)
    classifiers = set(meta.get_all("Classifier") or [])
    assert {
        "Programming Language :: Python :: 3.11",
        "Framework :: Flask",
        "Framework :: Django :: 4.2",
        "Framework :: Django :: 5",
        "Framework :: Django :: 5.2",
        "Typing :: Typed",
    } <= classifiers
    from trove_classifiers import classifiers as known

    assert classifiers <= known, f"not trove classifiers: {sorted(classifiers - known)}"
    # Flask has no per-version classifiers: the supported range is the extra's.
    requires = meta.get_all("Requires-Dist") or []
    assert 'flask<4,>=2.3; extra == "flask"' in requires
    assert 'django<6,>=4.2; extra == "django"' in requires
    # The core needs the standard library and, for the Public Suffix List, publicsuffixlist alone.
    core = [r for r in requires if "extra" not in r]
    assert [r.split(">")[0].split("=")[0] for r in core] == ["publicsuffixlist"], core


def _sdist_names(built: Built) -> set[str]:
    with tarfile.open(built.sdist) as tar:
        top = f"{DISTRIBUTION}-{wsgicors.__version__}/"
        return {n[len(top) :] for n in tar.getnames() if n.startswith(top)}


def _git_checkout() -> bool:
    """Is REPO_ROOT the top of a git checkout (not an unpacked sdist, nor one inside another repository)?"""
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=REPO_ROOT, capture_output=True, text=True, check=False
        )
    except OSError:  # no git at all
        return False
    return top.returncode == 0 and Path(top.stdout.strip()).resolve() == REPO_ROOT


def test_sdist_holds_every_tracked_test_file(built: Built) -> None:
    if not _git_checkout():
        pytest.skip("needs a git checkout: which files are tracked is git's to say (an unpacked sdist has no .git)")
    tracked = _run("git", "ls-files", "tests", "scripts", cwd=REPO_ROOT)
    missing_tests = {f for f in tracked.stdout.split() if (REPO_ROOT / f).is_file()} - _sdist_names(built)
    assert not missing_tests, f"tracked test files missing from the sdist: {sorted(missing_tests)}"


def test_sdist_holds_what_a_distributor_needs(built: Built) -> None:
    names = _sdist_names(built)
    for need in (
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        "tox.ini",
        "pyproject.toml",
        "setup.cfg",
        "tests/data/hostile_origins.json",
        "tests/data/README.md",
        "PKG-INFO",
    ):
        assert need in names, need
    assert set().union(*(_source_files(p) for p in PACKAGES)) <= names
    assert not [n for n in names if n.startswith(("benchmarks/", ".ci/", ".git/")) or "__pycache__" in n]


def test_wheel_installs_and_runs_outside_the_checkout(built: Built) -> None:
    script = """
import importlib.metadata, json, sys, wsgiref.validate
import wsgicors, flask_ext, django_ext, asgi_ext
from wsgicors.demo import make_app
files = {m.__name__: m.__file__ for m in (wsgicors, flask_ext, django_ext, asgi_ext)}
seen = {}
def start_response(status, headers, exc_info=None):
    seen["status"], seen["headers"] = status, headers
    return lambda data: None
app = wsgiref.validate.validator(make_app())
environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/api/hello", "SERVER_NAME": "127.0.0.1",
           "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_ORIGIN": "https://app.example.com",
           "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": sys.stdin.buffer,
           "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": False,
           "wsgi.run_once": False, "SCRIPT_NAME": "", "QUERY_STRING": ""}
result = app(environ, start_response)
body = b"".join(result)
result.close()
print(json.dumps({"files": files, "version": wsgicors.__version__,
                  "metadata": importlib.metadata.version("corsgate"),
                  "status": seen["status"], "headers": seen["headers"], "body": body.decode()}))
"""
    import json

    done = _run(built.venv_python, "-c", script, cwd=built.work)
    report = json.loads(done.stdout)
    site = str(built.venv_python.parent.parent)
    for name, path in report["files"].items():
        assert path.startswith(site), f"{name} imported from {path}, not from the fresh venv"
    assert report["version"] == report["metadata"] == wsgicors.__version__
    assert report["status"] == "200 OK"
    headers = dict(report["headers"])
    assert headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert headers["Access-Control-Allow-Credentials"] == "true"
    assert json.loads(report["body"]) == {"hello": "world", "method": "GET"}


def test_installed_demo_names_this_distribution(built: Built) -> None:
    done = subprocess.run(
        [str(built.venv_python), "-m", "wsgicors.demo", "not-a-port"],
        cwd=built.work,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout.splitlines()[0] == (
        f"wsgicors.demo: {DISTRIBUTION} {wsgicors.__version__} "
        "(import name wsgicors; not the PyPI distribution 'wsgicors')"
    )
    assert "usage: python -m wsgicors.demo [port]" in done.stderr


def test_installed_cors_doctor_names_this_distribution_and_runs(built: Built) -> None:
    entry_points = (
        zipfile.ZipFile(built.wheel).read(f"{DISTRIBUTION}-{wsgicors.__version__}.dist-info/entry_points.txt").decode()
    )
    assert "[console_scripts]\ncors-doctor = wsgicors.doctor.cli:main" in entry_points
    script = built.venv_python.parent / "cors-doctor"
    args = ["http://127.0.0.1/api/hello", "--origin", "https://app.example.com", "--app", "wsgicors.demo:make_app()"]
    done = subprocess.run([str(script), *args, "--json"], cwd=built.work, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert done.stderr.splitlines()[0] == (
        f"cors-doctor: {DISTRIBUTION} {wsgicors.__version__} "
        "(import name wsgicors; not the PyPI distribution 'wsgicors')"
    )
    import json

    report = json.loads(done.stdout)
    assert report["verdict"] == "allowed"
    assert report["readable_headers"]["x-request-id"] == "demo-1"


def test_unpacked_sdist_passes_its_core_tests(built: Built) -> None:
    with tarfile.open(built.sdist) as tar:
        tar.extractall(built.work / "sdist", filter="data")
    root = built.work / "sdist" / f"{DISTRIBUTION}-{wsgicors.__version__}"
    done = _run(
        built.venv_python,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-m",
        "not browser and not server",
        "tests/core",
        cwd=root,
        timeout=900,
    )
    summary = done.stdout.splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary, done.stdout[-2000:]
