"""BibTeX read as BibTeX tools read it (issue 14): comments, bad fields, strings, dates, no year.

Each case is the smallest real example, quoted from the corpus file named beside it."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import SHARED, need_shared, run_cli


def build(make_site, tmp_path, files: dict, config: str | None = None):
    content = make_site(files) if config is None else make_site(files, config)
    output = tmp_path / "out"
    return run_cli("build", "--content", str(content), "--output", str(output)), output


def page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def built_papers(output: Path) -> list[str]:
    return sorted(p.name for p in (output / "papers").iterdir() if (p / "index.html").exists())


# al-folio-papers.bib, the last entry of the file
LETTERS = """@book{przibram1967letters,
  bibtex_show={true},
  title={Letters on wave mechanics},
  author={Einstein, Albert and Schrödinger, Erwin and Planck, Max and Lorentz, Hendrik Antoon and Przibram, Karl},
  year={1967},
  publisher={Vision},
  preview={wave-mechanics.gif}
}
"""


def test_entries_inside_a_comment_block_publish_nothing(make_site, tmp_path):
    """A real site kept al-folio's example entries (al-folio-papers.bib) inside one @comment{...}."""
    examples = need_shared("corpus", "al-folio-papers.bib").read_text(encoding="utf-8")
    bib = "@comment{\n" + examples + "}\n\n" + LETTERS + "@Comment{jabref-meta: databaseType:bibtex;}\n"
    result, output = build(make_site, tmp_path, {"papers.bib": bib})
    assert result.returncode == 0, result.stderr
    assert built_papers(output) == ["przibram1967letters"]
    assert "papers.bib" not in result.stderr  # no "cannot be read" for the comment's first line
