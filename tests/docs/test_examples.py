"""Every Python example in the docs runs (docs/contributing.md, "Examples in the docs")."""

from __future__ import annotations

import sys
import types
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from .examples import LANGUAGES, blocks, label, module_name, pages

PAGES = [p for p in pages() if any(b.language == "python" for b in blocks(p))]


def test_the_docs_have_examples() -> None:
    assert len(PAGES) >= 8, PAGES
    assert sum(1 for p in pages() for b in blocks(p) if b.language == "python") >= 44


@pytest.mark.parametrize("page", pages(), ids=label)
def test_every_block_says_whether_it_runs(page: Path) -> None:
    """A fence without a language, or with ``py``/``sh``, would be neither run nor clearly shown-only."""
    odd = [(b.line, b.language) for b in blocks(page) if b.language not in LANGUAGES]
    assert not odd, f"{page.name}: fences must be one of {sorted(LANGUAGES)}: {odd}"


@pytest.fixture
def module(request: pytest.FixtureRequest) -> Iterator[types.ModuleType]:
    """The page's namespace: a fresh module, registered while its blocks run."""
    page: Path = request.param
    name = module_name(page)
    mod = types.ModuleType(name)
    mod.__file__ = str(page)
    saved = {k: sys.modules.get(k) for k in (name, "docs_examples")}
    sys.modules.setdefault("docs_examples", types.ModuleType("docs_examples"))
    sys.modules[name] = mod
    try:
        yield mod
    finally:
        for key, value in saved.items():
            if value is None:
                sys.modules.pop(key, None)
            else:
                sys.modules[key] = value


@pytest.mark.parametrize("module", PAGES, ids=label, indirect=True)
def test_page_examples_run(module: types.ModuleType) -> None:
    page = Path(str(module.__file__))
    with warnings.catch_warnings():
        # Some examples show a start-up warning (a compat layer announcing a difference).
        warnings.simplefilter("ignore")
        for block in blocks(page):
            if block.language != "python":
                continue
            code = compile(block.source, f"{page}:{block.line}", "exec")
            try:
                exec(code, module.__dict__)
            except Exception as exc:  # re-raised with the block's place
                raise AssertionError(f"{label(page)} line {block.line}: {exc!r}") from exc
