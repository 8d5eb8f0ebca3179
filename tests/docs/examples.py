"""The docs' code blocks: which run, and how (see docs/contributing.md, "Examples in the docs").

Every ```python block of every docs/**/*.md page, and of README.md, is executed. One page's blocks
run in order in one namespace, a module of its own (registered in sys.modules
under ``docs_examples.<page>``, so a Django example may name ``__name__`` as its
URLconf); never as ``__main__``. A block not meant to run is fenced with
another language: ``text``, ``console`` or ``ini``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DOCS", "LANGUAGES", "README", "Block", "blocks", "label", "module_name", "pages"]

DOCS = Path(__file__).resolve().parents[2] / "docs"
README = DOCS.parent / "README.md"

#: The fences a page may use: ``python`` runs; the others are shown only.
#: MyST directives (```{toctree}, ```{automodule}, ...) are not code.
LANGUAGES = frozenset({"python", "text", "console", "ini", "json"})

_FENCE = re.compile(
    r"^(?P<indent> *)(?P<ticks>`{3,})(?P<info>[^`\n]*)\n(?P<body>.*?)^(?P=indent)(?P=ticks)[ \t]*$", re.M | re.S
)


@dataclass(frozen=True)
class Block:
    """One fenced block: its page, its first line number and its language."""

    page: Path
    line: int
    language: str
    source: str


def pages() -> list[Path]:
    """Every Markdown page of the docs (generated ones under _build excluded), then README.md."""
    return [*sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.relative_to(DOCS).parts), README]


def label(page: Path) -> str:
    """``migrating/flask-cors.md``; ``README.md`` for the front page."""
    return page.relative_to(DOCS).as_posix() if page.is_relative_to(DOCS) else page.name


def blocks(page: Path) -> list[Block]:
    """The page's fenced blocks in order (nested ones inside a directive included)."""
    text = page.read_text(encoding="utf-8")
    found: list[Block] = []

    def scan(chunk: str, offset: int) -> None:
        for match in _FENCE.finditer(chunk):
            info = match["info"].strip()
            body = match["body"]
            line = chunk.count("\n", 0, match.start()) + offset + 1
            if info.startswith("{"):  # a MyST directive: its body may hold code blocks
                scan(body, line)
                continue
            found.append(Block(page, line, info.split()[0] if info else "", _dedent(body, len(match["indent"]))))

    scan(text, 0)
    return found


def _dedent(body: str, indent: int) -> str:
    return "".join(line[indent:] if line[:indent].isspace() else line for line in body.splitlines(keepends=True))


def module_name(page: Path) -> str:
    """``docs_examples.migrating.flask_cors`` for docs/migrating/flask-cors.md."""
    parts = Path(label(page)).with_suffix("").parts
    return "docs_examples." + ".".join(re.sub(r"\W", "_", p) for p in parts)
