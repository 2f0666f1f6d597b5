"""BibTeX read as BibTeX tools read it (issue 14): comments, bad fields, strings, dates, no year.

Each case is the smallest real example, quoted from the corpus file named beside it."""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pytest
from bs4 import BeautifulSoup

from conftest import need_shared, run_cli
from site_builder.latex import latex_to_rich


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


# --- LaTeX left for the reader -----------------------------------------------------------------

@pytest.mark.parametrize("tex, text", [
    # arguments with no text meaning go; the text argument stays
    (r"z\raisebox{-0.5ex}\textasciitilde1", "z~1"),
    (r"a\vspace{2mm} b\hspace*{1em} c\kern.2em d\phantom{x} e\rule{1pt}{2pt} f\label{sec}", "a b c d e f"),
    (r"\unknowncommand{kept}", "kept"),
    (r"graphs{\rq} nodes and {\lq}quoted{\rq}", "graphs’ nodes and ‘quoted’"),
    (r"Ly{\ensuremath{\alpha}} galaxies", "Lyα galaxies"),
    # jekyll-scholar's cases: case changes and size commands
    (r"\lowercase{ABC} \uppercase{def} \MakeUppercase{x}", "abc DEF X"),
    (r"{\tiny small} {\Large big} \huge{huge}", "small big huge"),
    # large-hepml-livingreview.bib:936 and :6639, INSPIRE's escaped LaTeX
    (r"{Using Graph Neural Networks for hadronic clustering and to reduce beam background in the "
     r"Belle{\textasciitilde}II electromagnetic calorimeter}",
     "Using Graph Neural Networks for hadronic clustering and to reduce beam background in the "
     "Belle\u00a0II electromagnetic calorimeter"),
    (r"{Robust anomaly triggers with {\textbackslash}textsc{DecADe}}", "Robust anomaly triggers with DecADe"),
])
def test_commands_leave_only_their_text(tex, text):
    assert latex_to_rich(tex).text == text


def test_small_caps_stay_a_styled_span_with_escaped_text():
    rich = latex_to_rich(r"\textsc{DecADe} {\sc a<script>}")
    assert rich.html == '<span class="smallcaps">DecADe</span> <span class="smallcaps">a&lt;script&gt;</span>'
    assert rich.text == "DecADe a<script>"


def test_case_commands_change_text_not_markup():
    assert latex_to_rich(r"\uppercase{\emph{a} \& b}").html == "<em>A</em> &amp; B"


def test_string_concatenation_is_joined_on_the_page_and_in_the_export(make_site, tmp_path):
    """jekyll-scholar's test case; ngram-lab-papers.bib:2119 (Keith2018DocPropor) has `month = oct # {-} # nov`."""
    bib = ('@string{ruby = "Ruby"}\n'
           '@book{ruby, title = "The " # ruby # " Programming Language", author = {Flanagan, David and '
           'Matsumoto, Yukihiro}, year = 2008, month = oct # {-} # nov}\n')
    result, output = build(make_site, tmp_path, {"refs.bib": bib})
    assert result.returncode == 0, result.stderr
    assert page(output / "papers/ruby/index.html").select_one("h1").get_text() == "The Ruby Programming Language"
    entry = bibtexparser.parse_file(str(output / "papers/ruby/cite.bib")).entries[0]
    assert entry["title"] == "The Ruby Programming Language" and entry["month"] == "October-November"
