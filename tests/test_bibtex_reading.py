"""BibTeX read as BibTeX tools read it (issue 14): comments, bad fields, strings, dates, no year.

Each case is the smallest real example, quoted from the corpus file named beside it."""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pytest
from bs4 import BeautifulSoup

from conftest import MINIMAL_CONFIG, need_shared, run_cli
from site_builder.latex import latex_to_rich, markdown_with_latex
from site_builder.markup import MarkdownRenderer


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
    # no "cannot be read" for the comment's first line, nothing about the commented-out entries
    assert [line for line in result.stderr.splitlines() if "papers.bib" in line and "preview" not in line] == []


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


def import_and_build(tmp_path: Path, bib: str, config: str = MINIMAL_CONFIG):
    """The second route: `site-builder import` into content/papers/, then build."""
    content = tmp_path / "content"
    content.mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(config, encoding="utf-8")
    source = tmp_path / "refs.bib"
    source.write_text(bib, encoding="utf-8")
    imported = run_cli("import", str(source), "--into", str(content / "papers"))
    assert imported.returncode == 0, imported.stderr
    output = tmp_path / "out"
    return imported, run_cli("build", "--content", str(content), "--output", str(output)), output


# yang-song-papers.bib:142, the abstract's first sentences; the booktitle's ties are those of
# large-hepml-livingreview.bib:937 (written there inside braces)
DASHES = """@inproceedings{kristy2022density,
	title={Density Ratio Estimation via Infinitesimal Classification},
	author={Kristy Choi and Chenlin Meng and Yang Song and Stefano Ermon},
	booktitle={Advanced Computing and Analysis~Techniques in Physics Research -- with~AI},
	year={2022},
	abstract={
	Density ratio estimation (DRE) is a fundamental machine learning technique for comparing two probability distributions. However, existing methods struggle in high-dimensional settings, as it is difficult to accurately compare probability distributions based on finite samples. In this work we propose DRE-\\infty, a divide-and-conquer approach to reduce DRE to a series of easier subproblems. Inspired by Monte Carlo methods, we smoothly interpolate between the two distributions via an infinite continuum of intermediate bridge distributions. We then estimate the instantaneous rate of change of the bridge distributions indexed by time (the "time score") -- a quantity defined analogously to data (Stein) scores -- with a novel time score matching objective.
	},
}
"""


def test_imported_markdown_reads_dashes_and_ties_as_bibtex_does(make_site, tmp_path):
    result, direct = build(make_site, tmp_path / "direct", {"refs.bib": DASHES})
    assert result.returncode == 0, result.stderr
    imported, result, output = import_and_build(tmp_path / "import", DASHES)
    assert result.returncode == 0, result.stderr
    markdown = (tmp_path / "import/content/papers/kristy2022density.md").read_text(encoding="utf-8")
    assert "-- a quantity" in markdown and "Analysis~Techniques" in markdown  # the file keeps BibTeX's text
    for out in (direct, output):
        doc = page(out / "papers/kristy2022density/index.html")
        assert doc.select_one(".p-publication").get_text() == \
            "Advanced Computing and Analysis\u00a0Techniques in Physics Research – with\u00a0AI"
        assert ") – a quantity defined analogously to data (Stein) scores – with" in \
            doc.select_one(".p-summary").get_text()


def test_a_dash_rule_and_a_tilde_in_a_url_stay_markdown_in_an_imported_file(tmp_path):
    markdown = MarkdownRenderer()
    text = "Home: https://example.org/~ada -- see\n\n---\n\nAfter the rule."
    rich = markdown_with_latex(text, markdown.to_html, from_bibtex=True)
    assert "https://example.org/~ada – see" in rich.text and "<hr" in rich.html


# kyleaoman-papers.bib:416, trimmed; the last keyword is the issue's, from an ADS record
KEYWORDS = r"""@ARTICLE{2025AJ....169..114P,
       author = {{Perron-Cormier}, Mathieu and {Deg}, Nathan and {Oman}, Kyle A.},
        title = "{WALLABY Pilot Survey and ASymba: Comparing H I Detection Asymmetries to the SIMBA Simulation}",
      journal = {\aj},
     keywords = {Galaxy structure, H I line emission, Hydrodynamical simulations, 622, 690, 767, Astrophysics - Astrophysics of Galaxies, Ly{\ensuremath{\alpha}} galaxies},
         year = 2025,
}
"""


def test_keywords_are_spelled_out_and_numeric_codes_left_out_on_both_routes(make_site, tmp_path):
    result, direct = build(make_site, tmp_path / "direct", {"refs.bib": KEYWORDS})
    assert result.returncode == 0, result.stderr
    _, result, imported = import_and_build(tmp_path / "import", KEYWORDS)
    assert result.returncode == 0, result.stderr
    for output in (direct, imported):
        doc = page(output / "papers/2025aj-169-114p/index.html")
        assert [tag.get_text() for tag in doc.select(".p-category")] == [
            "Galaxy structure", "H I line emission", "Hydrodynamical simulations",
            "Astrophysics - Astrophysics of Galaxies", "Lyα galaxies"]
        topics = page(output / "publications/index.html").select("#f-tag option")
        assert "622" not in [option.get_text() for option in topics]


# --- one bad field drops only that field -------------------------------------------------------

# al-folio-papers.bib:5, with the unsafe link in place of its `html={relativity.html}`
UNSAFE = """@book{einstein1920relativity,
  title={Relativity: the Special and General Theory},
  author={Einstein, Albert},
  year={1920},
  publisher={Methuen & Co Ltd},
  website={javascript:alert(2)},
  pdf={relativity.pdf}
}
"""


def test_an_unsafe_link_drops_the_link_not_the_paper_on_both_routes(make_site, tmp_path):
    result, direct = build(make_site, tmp_path / "direct", {"refs.bib": UNSAFE})
    assert result.returncode == 0, result.stderr
    assert re.search(r"refs\.bib:1: entry 'einstein1920relativity': link 'website' has an unsafe URL "
                     r"'javascript:alert\(2\)'.*; field 'website' dropped, the paper is kept", result.stderr)
    imported, result, output = import_and_build(tmp_path / "import", UNSAFE)
    assert result.returncode == 0, result.stderr
    assert "field 'website' dropped, the paper is kept" in imported.stderr
    assert "javascript" not in (tmp_path / "import/content/papers/einstein1920relativity.md").read_text()
    for out in (direct, output):
        doc = page(out / "papers/einstein1920relativity/index.html")
        assert doc.select_one("h1").get_text() == "Relativity: the Special and General Theory"
        assert [a["href"] for a in doc.select(".pub-links a")] == ["../../files/pdf/relativity.pdf"]  # al-folio's place
        assert "javascript" not in (out / "papers/einstein1920relativity/index.html").read_text()


def test_a_markdown_override_with_a_bad_link_is_still_an_error(make_site, tmp_path):
    override = "---\nlinks:\n  code: javascript:alert(1)\n---\n"
    result, _ = build(make_site, tmp_path, {"refs.bib": UNSAFE, "papers/einstein1920relativity.md": override})
    assert result.returncode == 1
    assert re.search(r"einstein1920relativity\.md:2: link 'code' has an unsafe URL", result.stderr)


# --- no year: forthcoming ----------------------------------------------------------------------

# large-hepml-livingreview.bib:30619 (a thesis without a year) and 32851, and a dated entry
NO_YEAR = """@misc{sleuth,
	Author = {B. Knuteson},
	title = "{A Quasi-Model-Independent Search for New High $p_T$ Physics at D0}",
	url={https://www-d0.fnal.gov/results/publications_talks/thesis/knuteson/thesis.ps},
	Note = {Ph.D. thesis, University of California at Berkeley (2000)}}

@misc{hepmllivingreview,
	Author = "{HEP ML Community}",
	title = "{A Living Review of Machine Learning for Particle Physics}",
	url={https://iml-wg.github.io/HEPML-LivingReview/}
}

@article{dated, title = {Dated}, author = {B. Knuteson}, year = 2001}
"""


@pytest.mark.parametrize("route", ["direct", "import"])
def test_entries_without_a_year_are_listed_as_forthcoming_above_the_newest_year(make_site, tmp_path, route):
    config = MINIMAL_CONFIG + "forthcoming_title: In press\n"
    if route == "direct":
        result, output = build(make_site, tmp_path, {"refs.bib": NO_YEAR}, config)
        warnings = result.stderr
    else:
        imported, result, output = import_and_build(tmp_path, NO_YEAR, config)
        warnings = imported.stderr
        assert "year: forthcoming" in (tmp_path / "content/papers/sleuth.md").read_text(encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert re.search(r"refs\.bib:1: entry 'sleuth' has no 'year' or 'date'; it is listed as forthcoming",
                     warnings)
    listing = page(output / "publications/index.html")
    sections = listing.select("section.year")
    assert [(s["id"], s.h2["id"], s.h2.get_text()) for s in sections] == [
        ("forthcoming", "h-forthcoming", "In press"), ("y2001", "h-y2001", "2001")]
    assert sorted(a["id"] for a in sections[0].select("article")) == ["hepmllivingreview", "sleuth"]
    assert [a.get_text() for a in listing.select(".year-index a")] == ["In press", "2001"]
    assert [o.get_text() for o in listing.select("#f-year option")][1:] == ["In press", "2001"]
    paper = page(output / "papers/sleuth/index.html")
    assert paper.select_one(".pub-venue").get_text().strip() == "In press"
    assert not paper.select('meta[name="citation_publication_date"]')
    assert "year" not in bibtexparser.parse_file(str(output / "papers/sleuth/cite.bib")).entries[0].fields_dict


def test_a_markdown_paper_still_needs_its_year(make_site, tmp_path):
    result, _ = build(make_site, tmp_path, {"papers/x.md": "---\ntitle: X\n---\n"})
    assert result.returncode == 1
    assert re.fullmatch(r"error: .*x\.md: 'year' is missing; add 'year: 2024' to the front matter "
                        r"\(or 'year: forthcoming' for a paper in press\)\n", result.stderr)


# --- dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize("date, day", [
    ("2019-6-4", "2019-06-04"),  # Jekyll
    ("'2013-07-01T00:00:00Z'", "2013-07-01"),  # hugoblox/hugoblox-template-conference-paper/index.md:16
    ("2019-08-23T10:00:00+02:00", "2019-08-23"),  # Hugo, unquoted: a YAML timestamp
    ("'2019-08-23T10:00:00+02:00'", "2019-08-23"),
])
def test_a_date_as_jekyll_and_hugo_write_it_gives_the_day_and_the_year(make_site, tmp_path, date, day):
    paper = f"---\ntitle: Dated\ndate: {date}\n---\n"
    result, output = build(make_site, tmp_path, {"papers/dated.md": paper})
    assert result.returncode == 0, result.stderr
    time = page(output / "papers/dated/index.html").select_one("time.dt-published")
    assert (time["datetime"], time.get_text()) == (day, day[:4])


def test_a_bibtex_date_gives_the_year_and_orders_the_paper(make_site, tmp_path):
    bib = ("@online{hugo, title = {Dated by biblatex}, date = {2019-08-23T10:00:00+02:00}}\n"
           "@online{month, title = {A month only}, date = {2019-05}}\n")
    result, output = build(make_site, tmp_path, {"refs.bib": bib})
    assert result.returncode == 0, result.stderr
    listing = page(output / "publications/index.html")
    assert [a["id"] for a in listing.select("section#y2019 article")] == ["hugo", "month"]
    assert listing.select_one("#hugo time")["datetime"] == "2019-08-23"


@pytest.mark.parametrize("date", ["2024-15-09", "2024-02-30", "'2024-02-30'"])
def test_an_impossible_date_in_markdown_is_one_line_with_its_place(make_site, tmp_path, date):
    paper = f"---\ntitle: Never\nyear: 2024\ndate: {date}\n---\n"
    result, _ = build(make_site, tmp_path, {"papers/never.md": paper})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert re.search(r"never\.md:4: .*2024-(15-09|02-30)", result.stderr), result.stderr


def test_an_impossible_date_in_bibtex_drops_the_date_with_a_warning(make_site, tmp_path):
    bib = "@article{never, title = {Never}, year = 2024, date = {2024-02-30}}\n"
    result, output = build(make_site, tmp_path, {"refs.bib": bib})
    assert result.returncode == 0, result.stderr
    assert "refs.bib:1: entry 'never': 'date' must be a real day written like 2024-05-31 (got '2024-02-30'); " \
           "field 'date' dropped, the paper is kept" in result.stderr
    assert (output / "papers/never/index.html").exists()
