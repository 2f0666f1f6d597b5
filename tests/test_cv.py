"""The CV (issue 16, point 4): content/cv.yaml or a JSON Resume content/resume.json rendered at /cv/,
the publications section filled from the site's papers, and a print stylesheet that makes the
browser's "Save as PDF" a clean CV (printed here by Chromium and read back with pypdf)."""

from __future__ import annotations

import io
import json
import re
import unicodedata

import pytest
import yaml
from bs4 import BeautifulSoup

from browser import browser, serve_folder  # noqa: F401  (the fixture is used by name)
from conftest import EXAMPLE_CONTENT, paper_file, run_cli
from site_builder.build import build

CV_YAML = """\
education:
  - degree: PhD in Mathematics
    institution: University of Maryland
    year: 2020
    description: On $\\ell_p$ robustness.
positions:
  - title: Postdoc
    organization: NYU
    start: 2022
  - title: Visiting researcher
    organization: Example Lab
    start: 2019
    end: 2020
    url: https://example.org/lab/
sections:
  - title: Invited talks
    entries:
      - Simons Institute, 2023
pdf: files/my-cv.pdf
"""


def flat(text: str) -> str:
    """Text as the PDF and the page both give it: ligatures spelled out, one space, no break after a hyphen."""
    return re.sub(r"-\s+", "-", " ".join(unicodedata.normalize("NFKC", text).split()))


def soup_of(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def built_cv(make_site, tmp_path, files):
    output = tmp_path / "output"
    build(make_site(files), output)
    return soup_of(output / "cv" / "index.html")


def test_sections_in_order_with_publications_by_year_and_the_owner_in_bold(make_site, tmp_path):
    cv = built_cv(make_site, tmp_path, {"cv.yaml": CV_YAML, "files/my-cv.pdf": b"%PDF-1.4\n",
                                        "papers/a.md": paper_file("Old", 2020),
                                        "papers/b.md": paper_file("New", 2024)})
    assert [h.get_text() for h in cv.select(".cv-section > h2")] == [
        "Education", "Positions", "Invited talks", "Publications"]
    assert [e.get_text() for e in cv.select(".cv-when")] == ["2020", "2022 – present", "2019 – 2020"]
    assert cv.select_one("#education math")  # Markdown with math in descriptions
    assert cv.select_one("#positions a")["href"] == "https://example.org/lab/"
    assert [h.get_text() for h in cv.select(".cv-year")] == ["2024", "2020"]
    assert [p.select_one(".p-name").get_text() for p in cv.select(".cv-paper")] == ["New", "Old"]
    assert all(p.select_one(".me").get_text() == "Ada Lovelace" for p in cv.select(".cv-paper"))
    assert cv.select_one("a.cv-pdf")["href"] == "../files/my-cv.pdf"
    assert cv.select_one('.site-nav a[href="../cv/"]')


def test_files_cv_pdf_is_linked_without_saying_so(make_site, tmp_path):
    cv = built_cv(make_site, tmp_path, {"cv.yaml": "education:\n  - degree: PhD\n", "files/cv.pdf": b"%PDF"})
    assert cv.select_one("a.cv-pdf")["href"] == "../files/cv.pdf"


def test_json_resume_renders_the_same_sections(make_site, tmp_path):
    resume = {"basics": {"name": "Ada Lovelace"},
              "work": [{"name": "Analytical Engines Ltd", "position": "Programmer", "startDate": "1842-01-01",
                        "highlights": ["First published algorithm"]}],
              "education": [{"institution": "Home", "studyType": "Private tuition", "area": "Mathematics",
                             "endDate": "1835"}],
              "skills": [{"name": "Mathematics", "keywords": ["Analysis", "Bernoulli numbers"]}],
              "publications": [{"name": "ignored: the site's papers are used"}]}
    cv = built_cv(make_site, tmp_path, {"resume.json": json.dumps(resume), "papers/a.md": paper_file()})
    assert [h.get_text() for h in cv.select(".cv-section > h2")] == ["Positions", "Education", "Skills",
                                                                     "Publications"]
    assert "First published algorithm" in cv.select_one("#positions li li").get_text()
    assert "Private tuition, Mathematics" in cv.select_one("#education").get_text()
    assert "Bernoulli numbers" in cv.select_one("#skills").get_text()
    assert len(cv.select(".cv-paper")) == 1


@pytest.mark.parametrize("files, message", [
    ({"cv.yaml": "education:\n  - degree: PhD\n    instituton: UMD\n"},
     "cv.yaml:3: unknown key 'instituton' in an entry of 'education'; did you mean 'institution'?"),
    ({"cv.yaml": "sections:\n  - title: Talks\n    entry: []\n"},
     "cv.yaml:3: unknown key 'entry' in a section; did you mean 'entries'?"),
    ({"cv.yaml": "awards: a prize\n"}, "cv.yaml:1: section 'awards' must be a list of entries"),
    ({"resume.json": '{"wrok": []}'}, "resume.json: unknown JSON Resume section 'wrok'; did you mean 'work'?"),
    ({"cv.yaml": "education: []\n", "pages/cv.md": "---\ntitle: CV\n---\nOld CV.\n"},
     "pages/cv.md: cv.yaml makes the page /cv/; delete this page or rename it"),
])
def test_mistakes_are_one_line_with_the_place_and_a_hint(make_site, tmp_path, files, message):
    result = run_cli("build", "--content", str(make_site(files)), "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr, result.stderr


def test_the_example_cv_keeps_every_seed_paper(example_output):
    cv = soup_of(example_output / "cv" / "index.html")
    assert len(cv.select(".cv-paper")) == len(list((EXAMPLE_CONTENT / "papers").glob("*.md"))) == 62
    written = [k for k in yaml.safe_load((EXAMPLE_CONTENT / "cv.yaml").read_text()) if k != "pdf"]
    assert [s["id"] for s in cv.select(".cv-section")] == written


def test_printed_cv_holds_every_section_and_no_navigation_or_buttons(browser, example_output):
    """Chromium's "Save as PDF" of /cv/: every section's title and entry is in the PDF's text; the
    menu, the buttons and the footer are not; no entry is cut across two pages."""
    from pypdf import PdfReader

    cv = soup_of(example_output / "cv" / "index.html")
    with serve_folder(example_output) as base:
        page = browser.new_page()
        page.goto(base + "cv/")
        pdf = page.pdf(format="A4")
        page.close()
    pages = [flat(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]
    text = " ".join(pages)
    assert len(pages) > 1
    for heading in cv.select(".cv-section > h2, .cv-year"):
        assert heading.get_text() in text
    for unwanted in ("Skip to content", "Dark theme", "All publications as BibTeX", "PDF version"):
        assert unwanted not in text
    assert "Teaching News" not in text  # the menu
    entries = cv.select(".cv-entry .cv-line, .cv-paper .p-name")
    assert len(entries) > 62
    for entry in entries:
        words = flat(entry.get_text())
        start, end = words[:25], words[-15:]
        assert any(start in p and end in p for p in pages), f"'{words}' is cut across pages or missing"
