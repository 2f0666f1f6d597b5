"""Every corpus .bib file by both routes, a .bib under content/ and `import` then build (issue 14):
one page per entry with a title, and no LaTeX left in what a reader sees of a paper.

The two sites are built once for the module (about 10 s on an idle machine)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import bibtexparser
import lxml.html
import pytest

from conftest import MINIMAL_CONFIG, SHARED, need_shared, run_cli

CORPUS_FILES = ("al-folio-papers.bib", "yang-song-papers.bib", "kyleaoman-papers.bib", "ngram-lab-papers.bib",
                "large-hepml-livingreview.bib")
# A backslash command, a brace, a dollar sign, a tie between two words, a double hyphen
LATEX_LEFT = re.compile(r"\\[A-Za-z]|[{}$]|[A-Za-z]~[A-Za-z]|--")
SHOWN = ("p-name", "pub-authors", "p-publication", "p-category")  # title, authors, venue, keywords


@pytest.fixture(scope="module", params=["direct", "import"])
def corpus_route(request, tmp_path_factory):
    need_shared("corpus")
    content = tmp_path_factory.mktemp(request.param) / "content"
    content.mkdir()
    (content / "site.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    for name in CORPUS_FILES:
        source = SHARED / "corpus" / name
        if request.param == "direct":
            shutil.copyfile(source, content / name)  # a link out of the site would be refused
        else:
            imported = run_cli("import", str(source), "--into", str(content / "papers" / source.stem))
            assert imported.returncode == 0, imported.stderr
    output = content.parent / "output"
    result = run_cli("build", "--content", str(content), "--output", str(output))
    assert result.returncode == 0, result.stderr
    return output


def entries_with_a_title(path: Path) -> int:
    """Entries bibtexparser reads, duplicate keys included, that have a title."""
    library = bibtexparser.parse_file(str(path))
    duplicates = [block for block in library.failed_blocks
                  if isinstance(block, bibtexparser.model.DuplicateBlockKeyBlock)]
    fields = [{f.key.lower(): str(f.value) for f in e.fields} for e in library.entries]
    fields += [{f.key.lower(): str(f.value) for f in bibtexparser.parse_string(b.raw).entries[0].fields}
               for b in duplicates]
    return sum(bool(f.get("title", "").strip("{} ")) for f in fields)


def test_one_page_per_entry(corpus_route):
    expected = sum(entries_with_a_title(SHARED / "corpus" / name) for name in CORPUS_FILES)
    pages = [p for p in (corpus_route / "papers").iterdir() if (p / "index.html").exists()]
    assert len(pages) == expected > 2780


def test_no_latex_left_in_titles_authors_venues_and_keywords(corpus_route):
    condition = " or ".join(f'contains(concat(" ", @class, " "), " {name} ")' for name in SHOWN)
    checked = 0
    for index in (corpus_route / "papers").glob("*/index.html"):
        text = index.read_text(encoding="utf-8")
        article = lxml.html.fromstring(text[text.index("<article"):text.index("</article>") + 10])
        for part in article.xpath(f".//*[{condition}]"):
            for formula in part.xpath('.//*[local-name()="math"] | .//code'):
                formula.drop_tree()  # MathML, and a formula latex2mathml could not convert
            shown = part.text_content()
            assert not LATEX_LEFT.search(shown), (index.parent.name, shown[:200])
            checked += 1
    assert checked > 2 * 2780  # a title and authors on every page, a venue and keywords on most
    listing = lxml.html.parse(str(corpus_route / "publications/index.html"))
    topics = [option.text_content() for option in listing.xpath('//select[@id="f-tag"]/option')]
    assert len(topics) > 50 and not any(LATEX_LEFT.search(t) or t.isdigit() for t in topics)
