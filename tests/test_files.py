"""The researcher's own files (issue 16, point 6): content/files/ is published at files/ as it is,
and a link written files/x.pdf or /files/x.pdf reaches it from every page, under a sub-path too."""

from __future__ import annotations

import os

from bs4 import BeautifulSoup

from conftest import paper_file
from site_builder.build import build
from site_builder.check import find_broken_links

PDF = b"%PDF-1.4\n% not really a CV\n"
PAGE = "---\ntitle: Notes\n---\nMy [CV](files/cv.pdf), [again](/files/cv.pdf) and ![a figure](files/img/fig.png).\n"


def files_site(make_site, tmp_path, **extra):
    content = make_site({"files/cv.pdf": PDF, "files/img/fig.png": b"\x89PNG\r\n\x1a\n",
                         "files/.secret": "hidden", "files/README.md": "a note",
                         "pages/notes.md": PAGE,
                         "papers/p.md": paper_file(links="{pdf: files/cv.pdf, slides: /files/img/fig.png}"),
                         **extra})
    # a link inside the site is not followed either (one out of the site stops the build:
    # test_hardening.py's symlink tests)
    os.symlink(content / "pages" / "notes.md", content / "files" / "linked.txt")
    output = tmp_path / "output"
    build(content, output)
    return output


def test_files_are_copied_as_they_are_without_links_hidden_names_or_the_note(make_site, tmp_path):
    output = files_site(make_site, tmp_path)
    published = sorted(p.relative_to(output / "files").as_posix() for p in (output / "files").rglob("*") if p.is_file())
    assert published == ["cv.pdf", "img/fig.png"]
    assert (output / "files" / "cv.pdf").read_bytes() == PDF


def test_links_to_files_work_from_every_page_under_a_sub_path(make_site, tmp_path):
    output = files_site(make_site, tmp_path)
    notes = BeautifulSoup((output / "notes" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [a["href"] for a in notes.select(".prose a")] == ["../files/cv.pdf", "../files/cv.pdf"]
    assert notes.select_one(".prose img")["src"] == "../files/img/fig.png"
    listing = BeautifulSoup((output / "publications" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert {a.get_text(): a["href"] for a in listing.select("#p .pub-links a")}["PDF"] == "../files/cv.pdf"
    paper = (output / "papers" / "p" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../files/cv.pdf"' in paper and 'href="../../files/img/fig.png"' in paper
    assert 'content="https://example.org/lab/files/cv.pdf"' in paper  # citation_pdf_url
    report = find_broken_links(output, "https://example.org/lab/")
    assert report.broken == [], report.broken


def test_check_reports_a_missing_file(make_site, tmp_path):
    output = files_site(make_site, tmp_path, **{"pages/more.md": "---\ntitle: More\n---\n[Slides](files/gone.pdf)\n"})
    broken = find_broken_links(output, "https://example.org/lab/").broken
    assert [(b.page, b.link) for b in broken] == [("more/index.html", "../files/gone.pdf")]
    assert "content/files/" in broken[0].reason
