"""The import-name clash with PyPI's unrelated ``wsgicors`` 0.7 (issue 16, item 9).

An installed copy of it is built in a temporary directory as pip lays it out
(``wsgicors.py`` plus ``wsgicors-0.7.0.dist-info`` whose RECORD lists it) and
put on the path after this checkout, as a second site directory would be.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from wsgicors import clash

ROOT = Path(__file__).resolve().parents[2]


def _install_other(where: Path, *, record: bool = True) -> Path:
    """Lay out wsgicors 0.7 in ``where`` as pip installs it (a module and its dist-info)."""
    (where / "wsgicors.py").write_text("class CORS:\n    pass\n")
    info = where / "wsgicors-0.7.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: wsgicors\nVersion: 0.7.0\n")
    if record:
        (info / "RECORD").write_text(
            "wsgicors.py,,\nwsgicors-0.7.0.dist-info/METADATA,,\nwsgicors-0.7.0.dist-info/RECORD,,\n"
        )
    return where


def test_the_other_distribution_is_found_by_its_top_level_module(tmp_path: Path) -> None:
    dist = clash.other_wsgicors([str(_install_other(tmp_path))])
    assert dist is not None and dist.version == "0.7.0"
    text = clash.describe_clash(dist)
    assert text.startswith(f"the unrelated PyPI distribution 'wsgicors' 0.7.0 ({tmp_path / 'wsgicors.py'})")
    assert f"'import wsgicors' gives {ROOT / 'wsgicors' / '__init__.py'} here" in text
    assert text.endswith("pip uninstall wsgicors")


def test_a_wsgicors_distribution_without_its_module_is_not_the_clash(tmp_path: Path) -> None:
    info = tmp_path / "wsgicors-9.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: wsgicors\nVersion: 9.0\n")
    (info / "RECORD").write_text("wsgicors_other/__init__.py,,\n")
    assert clash.other_wsgicors([str(tmp_path)]) is None
    assert clash.other_wsgicors([str(tmp_path / "empty")]) is None


def test_an_install_without_a_file_list_counts(tmp_path: Path) -> None:
    assert clash.other_wsgicors([str(_install_other(tmp_path, record=False))]) is not None


def test_it_warns_once_per_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(_install_other(tmp_path)))  # metadata only: wsgicors is imported already
    monkeypatch.setattr(clash, "_once", clash._Once())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = clash.warn_if_clashing()
        second = clash.warn_if_clashing()
    assert first is not None and second is None
    assert [(w.category, str(w.message)) for w in caught] == [(clash.ImportNameClashWarning, first)]


_DOORS = {
    "wsgi": "from wsgicors import CORSMiddleware\nCORSMiddleware(lambda e, s: [])\nCORSMiddleware(lambda e, s: [])",
    "flask": "import flask\nfrom flask_ext import CORS\nCORS(flask.Flask('x'))\nCORS(flask.Flask('y'))",
    "django": (
        "import django\nfrom django.conf import settings\n"
        "settings.configure(CORS={'origins': ['https://a.example']}, ROOT_URLCONF=[])\ndjango.setup()\n"
        "from django_ext.middleware import CORSMiddleware\nfrom django.http import HttpResponse\n"
        "CORSMiddleware(lambda r: HttpResponse())\nCORSMiddleware(lambda r: HttpResponse())"
    ),
    "doctor": "from wsgicors.doctor.cli import main\nmain(['--help'])",
    "asgi": "from asgi_ext import CORSMiddleware\nCORSMiddleware(None)\nCORSMiddleware(None)",
    "asgi-compat": "from asgi_ext.compat import CORSMiddleware\nCORSMiddleware(None)",
}


@pytest.mark.parametrize("door", sorted(_DOORS))
def test_each_door_warns_at_start_once(door: str, tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    other = _install_other(tmp_path / "site")  # not the working directory: python -c imports from there first
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(other)])}
    done = subprocess.run(
        [sys.executable, "-c", _DOORS[door]], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("ImportNameClashWarning: the unrelated PyPI distribution 'wsgicors' 0.7.0") == 1, (
        done.stderr
    )
    env["PYTHONPATH"] = str(ROOT)  # without it: nothing said
    quiet = subprocess.run(
        [sys.executable, "-c", _DOORS[door]], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert "ImportNameClashWarning" not in quiet.stderr, quiet.stderr
