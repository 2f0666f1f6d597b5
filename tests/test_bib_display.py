"""Real bibliographies as their owners expect to see them (issue 14, points 4, 5, 6, 7 and 10):
"A and B", al-folio's display fields, months in order, the owner in any spelling, one page per
paper. Each case is the smallest real entry from ../shared/corpus/, quoted where it is used."""

from __future__ import annotations

import re
import shutil
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from conftest import MINIMAL_CONFIG, SHARED, paper_file, run_cli
from site_builder.build import load_site
from test_bibtex_source import CORPUS_FILES, corpus_site, page, source_entries  # noqa: F401 (a fixture)

SITE = "https://example.org/lab/"

# al-folio-papers.bib, trimmed to the fields each test reads
MEANING = """@article{einstein1950meaning,
  abbr={AJP},
  bibtex_show={true},
  title={The meaning of relativity},
  author={Einstein, Albert and Taub, AH},
  journal={American Journal of Physics},
  year={1950},
}
"""
BROWNIAN = """@book{einstein1956investigations,
  bibtex_show={true},
  title={Investigations on the Theory of the Brownian Movement},
  author={Einstein, Albert},
  year={1956},
  publisher={Courier Corporation},
  preview={brownian-motion.gif}
}
"""
EPR = """@article{PhysRev.47.777,
  abbr={PhysRev},
  title={Can Quantum-Mechanical Description of Physical Reality Be Considered Complete?},
  author={Einstein*†, A. and Podolsky*, B. and Rosen*, N.},
  journal={Phys. Rev.},
  year={1935},
  month={May},
  doi={10.1103/PhysRev.47.777},
  pdf={example_pdf.pdf},
  altmetric={248277},
  dimensions={true},
  google_scholar_id={qyhmnyLat1gC},
  additional_info={. *More Information* can be [found here](https://github.com/alshedivat/al-folio/)},
  annotation={* Example use of superscripts<br>† Albert Einstein},
  selected={true},
  inspirehep_id = {3255}
}
"""
ELECTRODYNAMICS = """@article{einstein1905electrodynamics,
  title={On the electrodynamics of moving bodies},
  author={Einstein, A.},
  year={1905}
}
"""
EINSTEIN = MINIMAL_CONFIG.replace("Ada Lovelace", "Albert Einstein").replace("A. Lovelace", "A. E.")


def build_site(make_site, tmp_path, files: dict, config: str = EINSTEIN):
    content = make_site(files, config=config)
    output = tmp_path / "out"
    result = run_cli("build", "--content", str(content), "--output", str(output))
    assert result.returncode == 0, result.stderr
    return output, result.stderr


def listing(output) -> BeautifulSoup:
    return page(output / "publications/index.html")


def entry(output, slug):
    return listing(output).select_one(f"article#{slug}")


# 4. Two authors read "A and B"

def test_two_authors_read_a_and_b_and_three_keep_the_serial_comma(make_site, tmp_path):
    output, _ = build_site(make_site, tmp_path, {"papers.bib": MEANING + EPR})
    for doc in (entry(output, "einstein1950meaning"), page(output / "papers/einstein1950meaning/index.html")):
        authors = doc.select_one(".pub-authors")
        assert authors.get_text() == "Albert Einstein and AH Taub"
        assert [a.get_text() for a in authors.select(".p-author")] == ["Albert Einstein", "AH Taub"]
        assert [a.get_text() for a in authors.select(".p-author.me")] == ["Albert Einstein"]
    three = entry(output, "physrev-47-777").select_one(".pub-authors")
    assert three.get_text() == "A. Einstein*†, B. Podolsky*, and N. Rosen*"
    assert [a.get_text() for a in three.select(".me")] == ["A. Einstein*†"]  # "Einstein, A." is the owner


def test_one_author_and_others_reads_without_a_comma(make_site, tmp_path):
    output, _ = build_site(make_site, tmp_path, {
        "papers/a.md": paper_file(authors=("Ada Lovelace", "others")),
        "papers/b.md": paper_file("B", authors=("Ada Lovelace", "Charles Babbage", "others"))})
    assert entry(output, "a").select_one(".pub-authors").get_text() == "Ada Lovelace and others"
    assert entry(output, "b").select_one(".pub-authors").get_text() == "Ada Lovelace, Charles Babbage, and others"


def test_every_two_author_corpus_entry_reads_a_and_b(corpus_site):
    output, _ = corpus_site
    pairs = 0
    for article in listing(output).select("article.h-cite"):
        names = [a.get_text() for a in article.select(".p-author")]
        text = article.select_one(".pub-authors").get_text()
        if len(names) == 2 and not text.endswith("others"):
            assert text == f"{names[0]} and {names[1]}", article["id"]
            pairs += 1
    assert pairs > 100


# 5. al-folio's display fields

def test_preview_is_the_thumbnail_and_a_missing_file_is_named(make_site, tmp_path):
    output, stderr = build_site(make_site, tmp_path, {"papers.bib": BROWNIAN})
    thumb = entry(output, "einstein1956investigations").select_one("img.thumb")
    assert thumb["src"] == "../files/img/publication_preview/brownian-motion.gif"
    assert re.search(r"papers\.bib:1: entry 'einstein1956investigations': 'preview' file 'brownian-motion\.gif' "
                     r"is not in the site; put it at \S+/content/files/img/publication_preview/brownian-motion\.gif",
                     stderr)
    card = page(output / "papers/einstein1956investigations/index.html").select_one('meta[property="og:image"]')
    assert card["content"] == SITE + "files/img/publication_preview/brownian-motion.gif"


def test_preview_found_in_files_or_in_al_folios_place(make_site, tmp_path):
    gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
    output, stderr = build_site(make_site, tmp_path, {
        "papers.bib": BROWNIAN, "files/img/publication_preview/brownian-motion.gif": gif})
    assert "brownian-motion.gif" not in stderr
    assert entry(output, "einstein1956investigations").select_one("img.thumb")["src"] == \
        "../files/img/publication_preview/brownian-motion.gif"
    # A site that keeps al-folio's assets/ folder as theme static files: the thumbnail is served from there.
    shutil.rmtree(tmp_path / "site/content/files")
    output, stderr = build_site(make_site, tmp_path / "b", {
        "papers.bib": BROWNIAN, "theme/static/assets/img/publication_preview/brownian-motion.gif": gif})
    src = entry(output, "einstein1956investigations").select_one("img.thumb")["src"]
    assert "brownian-motion.gif" not in stderr and src == "../assets/img/publication_preview/brownian-motion.gif"
    assert (output / "publications" / src).resolve().read_bytes() == gif


def test_bare_pdf_and_poster_names_are_site_paths_from_every_page(make_site, tmp_path):
    # yang-song-papers.bib keeps its posters in al-folio's assets/pdf/<conference>/
    consistency = """@inproceedings{song2023consistency,
	title={Consistency Models},
	author={Yang Song and Prafulla Dhariwal and Mark Chen and Ilya Sutskever},
	booktitle={International Conference on Machine Learning},
	year={2023},
	pdf={https://arxiv.org/abs/2303.01469},
	poster={ICML2023/consistency.pdf},
}
"""
    output, stderr = build_site(make_site, tmp_path, {"papers.bib": EPR + consistency,
                                                      "theme/static/assets/pdf/ICML2023/consistency.pdf": b"%PDF-1.4"})
    for path, address in (("publications/index.html", "publications/"),
                          ("papers/physrev-47-777/index.html", "papers/physrev-47-777/"),
                          ("papers/song2023consistency/index.html", "papers/song2023consistency/")):
        links = [urljoin(SITE + address, a["href"]) for a in page(output / path).select(".pub-links a")]
        if "physrev" in path or path.startswith("publications"):
            assert SITE + "files/pdf/example_pdf.pdf" in links
        if "physrev" not in path:
            assert SITE + "assets/pdf/ICML2023/consistency.pdf" in links
            assert "https://arxiv.org/abs/2303.01469" in links  # a URL stays as written
    assert (output / "assets/pdf/ICML2023/consistency.pdf").read_bytes() == b"%PDF-1.4"
    assert "'pdf' file 'example_pdf.pdf' is not in the site" in stderr and "consistency.pdf" not in stderr
    doc = page(output / "papers/physrev-47-777/index.html")
    assert doc.select_one('meta[name="citation_pdf_url"]')["content"] == SITE + "files/pdf/example_pdf.pdf"


def test_additional_info_and_annotation_on_listing_and_paper_page(make_site, tmp_path):
    output, _ = build_site(make_site, tmp_path, {"papers.bib": EPR})
    for doc in (entry(output, "physrev-47-777"), page(output / "papers/physrev-47-777/index.html")):
        venue = doc.select_one(".pub-venue")
        assert venue.get_text() == "Phys. Rev., 1935. More Information can be found here"
        assert venue.select_one(".additional-info em").get_text() == "More Information"
        assert venue.select_one(".additional-info a")["href"] == "https://github.com/alshedivat/al-folio/"
        note = doc.select_one(".annotation")
        assert [str(part) for part in note.contents] == ["* Example use of superscripts", "<br/>", "† Albert Einstein"]


def test_additional_info_and_annotation_are_escaped(make_site, tmp_path):
    hostile = EPR.replace("[found here](https://github.com/alshedivat/al-folio/)",
                          "[found here](javascript:alert(1)) <script>alert(2)</script>") \
                 .replace("† Albert Einstein", "<img src=x onerror=alert(3)>")
    output, _ = build_site(make_site, tmp_path, {"papers.bib": hostile})
    for doc in (entry(output, "physrev-47-777"), page(output / "papers/physrev-47-777/index.html").article):
        assert not doc.select("script, img, .additional-info a[href]")
        assert "<script>alert(2)</script>" in doc.select_one(".additional-info").get_text()
        assert doc.select_one(".annotation").get_text().endswith("<img src=x onerror=alert(3)>")


def test_badge_fields_reach_the_model_and_one_warning_names_them(make_site, tmp_path):
    content = make_site({"papers.bib": EPR + EPR.replace("PhysRev.47.777", "second")}, config=EINSTEIN)
    site, _ = load_site(content)
    epr = next(p for p in site.publications if p.slug == "physrev-47-777")
    assert dict(epr.badges) == {"altmetric": "248277", "dimensions": "true", "google_scholar_id": "qyhmnyLat1gC",
                                "inspirehep_id": "3255"}
    assert epr.badge("altmetric") == "248277" and epr.venue_short == "PhysRev" and epr.selected
    result = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"))
    lines = [line for line in result.stderr.splitlines() if "badge fields" in line]
    assert lines == ["warning: papers have citation badge fields that are not displayed: altmetric "
                     "(2 papers), dimensions (2 papers), google_scholar_id (2 papers), inspirehep_id (2 papers); "
                     "to show the badges, add 'badges: [altmetric, dimensions, google_scholar, inspire]' to "
                     "site.yaml (they load other hosts' scripts: see docs/themes.md)"]
    (content / "site.yaml").write_text(EINSTEIN + "badges: [altmetric, dimensions]\n")
    result = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"))
    lines = [line for line in result.stderr.splitlines() if "badge fields" in line]
    assert lines == ["warning: papers have citation badge fields that are not displayed: "
                     "google_scholar_id (2 papers), inspirehep_id (2 papers); to show the badges, add "
                     "'badges: [google_scholar, inspire]' to site.yaml (they load other hosts' scripts: "
                     "see docs/themes.md)"]


def test_every_corpus_preview_gets_a_thumbnail(corpus_site):
    output, _ = corpus_site
    previews = [e.key for name in CORPUS_FILES for e in source_entries(SHARED / "corpus" / name)
                if "preview" in e.fields_dict]
    assert sorted(previews) == ["einstein1956investigations", "przibram1967letters"]
    for key in previews:
        assert entry(output, key).select_one("img.thumb")["src"].startswith("../files/img/publication_preview/")


# 6. Months inside a year, newest first

def test_months_order_papers_inside_a_year(make_site, tmp_path):
    # kyleaoman-papers.bib, 2013: the thesis (sep) is newer than the article (may), but its key sorts after
    thesis_and_article = """@MASTERSTHESIS{2013MScT.........9O,
       author = {{Oman}, Kyle},
        title = "{Probing the Environmental Dependence of Star Formation in Satellite Galaxies using Orbital Kinematics}",
       school = {University of Waterloo, Department of Physics and Astronomy},
         year = 2013,
        month = sep,
}

@ARTICLE{2013MNRAS.431.2307O,
       author = {{Oman}, Kyle A. and {Hudson}, Michael J. and {Behroozi}, Peter S.},
        title = "{Disentangling satellite galaxy populations using orbit tracking in simulations}",
      journal = {\\mnras},
         year = 2013,
        month = may,
}
"""
    output, _ = build_site(make_site, tmp_path, {
        "papers.bib": thesis_and_article,
        # Markdown papers sort the same way: a month as a name or a number, or a date
        "papers/june.md": paper_file("June", year=2013, month="6"),
        "papers/december.md": paper_file("December", year=2013, date="2013-12-02"),
        "papers/undated.md": paper_file("Undated", year=2013),
        "papers/october.md": paper_file("October", year=2013, month="Oct."),
    })
    year = listing(output).select_one("section#y2013")
    assert [a["id"] for a in year.select("article")] == [
        "december", "october", "2013msct-9o", "june", "2013mnras-431-2307o", "undated"]


def test_a_month_that_is_not_one_is_a_warning(make_site, tmp_path):
    _, stderr = build_site(make_site, tmp_path, {"papers/a.md": paper_file(month="Spring")})
    assert "papers/a.md: 'month' 'Spring' is not a month (write may or 5)" in stderr


MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def exported_month(cite_bib: str) -> int | None:
    match = re.search(r"^\s*month = \{?([^,}]*)", cite_bib, re.MULTILINE)
    if not match:
        return None
    value = match.group(1).strip().lower()
    name = next((n for n, month in enumerate(MONTH_NAMES, 1) if month in value), None)
    return name or (int(value) if value.isdigit() else None)


def test_corpus_months_are_newest_first_inside_each_year(corpus_site):
    output, _ = corpus_site
    years = 0
    for section in listing(output).select("section.year"):
        months = [exported_month((output / "papers" / a["id"] / "cite.bib").read_text(encoding="utf-8"))
                  for a in section.select("article")]
        known = [m for m in months if m is not None]
        assert known == sorted(known, reverse=True), section["id"]
        assert months[:len(known)] == known, section["id"]  # papers without a month come last
        years += len(set(known)) > 1
    assert years >= 10  # the five files share one listing: 2010s and 2020s years


# 7. The owner in the corpus

def test_owner_found_in_every_spelling_of_a_real_file(make_site, tmp_path):
    # yang-song-papers.bib writes the owner "Yang Song" and "Song, Yang", beside a co-author "Jiaming Song"
    pseudo = """@inproceedings{yu2021pseudo,
	title={Pseudo-Spherical Contrastive Divergence},
	author={Lantao Yu and Jiaming Song and Yang Song and Stefano Ermon},
	booktitle={the 35th Conference on Neural Information Processing Systems, 2021.},
	year={2021},
}
@article{song2019sliced,
  title={Sliced Score Matching: A Scalable Approach to Density and Score Estimation},
  author={Song, Yang and Garg, Sahaj and Shi, Jiaxin and Ermon, Stefano},
  year={2019},
}
"""
    config = MINIMAL_CONFIG.replace("Ada Lovelace", "Yang Song").replace("A. Lovelace", "Y. S.")
    output, _ = build_site(make_site, tmp_path, {"papers.bib": pseudo}, config=config)
    assert [a.get_text() for a in entry(output, "yu2021pseudo").select(".p-author.me")] == ["Yang Song"]
    assert [a.get_text() for a in entry(output, "song2019sliced").select(".p-author.me")] == ["Yang Song"]


# 10. One page per paper

def test_markdown_and_bib_entry_of_the_same_paper_give_one_page(make_site, tmp_path):
    by_doi = paper_file("EPR paradox", year=1935, authors=("Albert Einstein",), doi="10.1103/physrev.47.777")
    by_title = paper_file("On the Electrodynamics of Moving Bodies", year=1905, authors=("Albert Einstein",))
    other_year = paper_file("The meaning of relativity", year=1922, authors=("Albert Einstein",))
    output, stderr = build_site(make_site, tmp_path, {
        "papers.bib": EPR + ELECTRODYNAMICS + MEANING,
        "papers/epr.md": by_doi, "papers/electrodynamics.md": by_title, "papers/meaning-1922.md": other_year})
    ids = [a["id"] for a in listing(output).select("article")]
    assert sorted(ids) == ["einstein1950meaning", "electrodynamics", "epr", "meaning-1922"]
    assert not (output / "papers/physrev-47-777").exists()
    assert not (output / "papers/einstein1905electrodynamics").exists()
    assert re.search(r"papers\.bib:1: entry 'PhysRev\.47\.777' is the same paper as \S+papers/epr\.md \(same DOI "
                     r"'10\.1103/physrev\.47\.777'\); only the Markdown file is published: to set fields over "
                     r"the entry's, name the file papers/physrev-47-777\.md, or remove one of the two", stderr)
    assert "entry 'einstein1905electrodynamics' is the same paper as" in stderr and "(same title and year)" in stderr


def test_same_arxiv_id_is_the_same_paper(make_site, tmp_path):
    # kyleaoman-papers.bib gives arXiv ids as eprint; a Markdown file links the versioned abstract page
    lensing = """@ARTICLE{2024A&A...690A..69M,
       author = {{Mancera Pi{\\~n}a}, P.~E. and {Oman}, K.~A.},
        title = "{The hot gas of dwarf galaxies}",
         year = 2024,
archivePrefix = {arXiv},
       eprint = {2404.07254},
}
"""
    markdown = paper_file("Hot gas in dwarfs (preprint title)", year=2024,
                          links="{arxiv: 'https://arxiv.org/abs/2404.07254v2'}")
    output, stderr = build_site(make_site, tmp_path, {"refs.bib": lensing, "papers/hot-gas.md": markdown})
    assert [a["id"] for a in listing(output).select("article")] == ["hot-gas"]
    assert "(same arXiv id '2404.07254')" in stderr


def test_an_override_by_slug_still_sets_fields_without_a_warning(make_site, tmp_path):
    override = "---\naward: Best Paper\n---\n"
    output, stderr = build_site(make_site, tmp_path, {"papers.bib": MEANING, "papers/einstein1950meaning.md": override})
    assert [a["id"] for a in listing(output).select("article")] == ["einstein1950meaning"]
    assert entry(output, "einstein1950meaning").select_one(".award").get_text() == "Best Paper"
    assert "same paper" not in stderr


def test_import_then_build_shows_the_same_al_folio_fields(make_site, tmp_path):
    content = make_site({}, config=EINSTEIN)
    (tmp_path / "refs.bib").write_text(BROWNIAN + EPR, encoding="utf-8")
    result = run_cli("import", str(tmp_path / "refs.bib"), "--into", str(content / "papers"))
    assert result.returncode == 0, result.stderr
    output = tmp_path / "out"
    result = run_cli("build", "--content", str(content), "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert entry(output, "einstein1956investigations").select_one("img.thumb")["src"] == \
        "../files/img/publication_preview/brownian-motion.gif"
    epr = entry(output, "physrev-47-777")
    assert epr.select_one(".annotation").get_text() == "* Example use of superscripts† Albert Einstein"
    assert epr.select_one(".additional-info a")["href"] == "https://github.com/alshedivat/al-folio/"
    assert "../files/pdf/example_pdf.pdf" in [a["href"] for a in epr.select(".pub-links a")]
    assert "badge fields that are not displayed: altmetric (1 paper)" in result.stderr
    assert "unknown field" not in result.stderr


def test_a_file_name_cannot_climb_out_of_its_folder(make_site, tmp_path):
    climbing = BROWNIAN.replace("brownian-motion.gif", "../../site.yaml")
    output, stderr = build_site(make_site, tmp_path, {"papers.bib": climbing})
    assert not entry(output, "einstein1956investigations").select("img")
    assert "'preview' '../../site.yaml' is not a file name inside assets/img/publication_preview/; it is dropped" \
        in stderr
