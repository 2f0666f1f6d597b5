"""The example site reproduces the seed publications page entry for entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import need_shared
from seed import load_seed, normalise


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def rendered_line(article) -> str:
    """Title + authors + venue/award/year, as the seed's text extraction saw them."""
    title = article.select_one(".p-name").get_text()
    authors = article.select_one(".pub-authors").get_text()
    venue = article.select_one(".pub-venue").get_text()
    return normalise(title + authors + venue)


@pytest.fixture(scope="module")
def publications(example_output):
    return soup(example_output / "publications" / "index.html")


def test_publications_page_matches_the_seed_entry_for_entry(publications):
    seed = load_seed(need_shared("seeds", "000_a1c6060f4cc7113f.txt"))
    articles = publications.select("section.year article.h-cite.publication")
    assert len(seed) == 62
    assert len(articles) == len(seed)
    for expected, article in zip(seed, articles):
        section = article.find_parent("section", class_="year")
        assert section["id"] == f"y{expected.year}"
        assert rendered_line(article) == normalise(expected.line)
        abstract = article.select_one("details.abstract")
        assert normalise(abstract.select_one(".p-summary").get_text()) == normalise(expected.abstract)
        assert article.select_one(".dt-published").name == "time"


def test_year_headings_newest_first(publications):
    sections = publications.select("section.year")
    assert [s.h2.get_text(strip=True) for s in sections] == ["2024", "2023", "2022", "2021", "2020", "2019"]
    assert [s["id"] for s in sections] == ["y2024", "y2023", "y2022", "y2021", "y2020", "y2019"]


def test_owner_is_marked_in_every_author_list(publications):
    for article in publications.select("article.publication"):
        owners = article.select(".p-author.me")
        assert len(owners) == 1, article["id"]
        assert owners[0].get_text(strip=True) in ("Micah Goldblum", "Goldblum. Micah")


def test_award_others_and_preprint_details(publications):
    award = publications.select_one("#bayesian-model-selection-marginal-likelihood .award")
    assert award.get_text(strip=True) == "Outstanding Paper Award"
    assert len(publications.select(".award")) == 1
    trees = publications.select_one("#when-do-neural-nets-outperform-boosted-trees .pub-authors")
    assert trees.get_text().rstrip().endswith("and others")
    assert "others" not in [a.get_text(strip=True) for a in trees.select(".p-author")]
    cookbook = publications.select_one("#cookbook-self-supervised-learning .p-publication")
    assert cookbook.get_text() == "Preprint"


def test_repeated_abstract_stays_repeated(publications):
    texts = [d.get_text() for d in publications.select("details.abstract .p-summary")]
    assert len(texts) - len(set(texts)) == 1


def test_every_paper_page_exists_and_links_back(example_output, publications):
    for article in publications.select("article.publication"):
        slug = article["id"]
        href = article.select_one(".p-name a.u-url")["href"]
        assert href == f"../papers/{slug}/"
        page_path = example_output / "papers" / slug / "index.html"
        page = soup(page_path)
        assert page.select_one("h1.p-name").get_text() == article.select_one(".p-name").get_text()
        back = page.select_one(".breadcrumb a")["href"]
        assert (page_path.parent / back.split("#")[0] / "index.html").resolve() == \
            (example_output / "publications" / "index.html").resolve()
        assert back.endswith(f"#{slug}")
        assert page.select_one("#bibtex-code").get_text().startswith("@")
        assert page.select(".p-author")


def test_home_page_lists_selected_papers_and_links_to_publications(example_output):
    home = soup(example_output / "index.html")
    assert home.select_one("a[href='publications/']")
    selected = home.select(".selected-papers article.h-cite")
    assert {a["id"] for a in selected} >= {"spotting-llms-with-binoculars", "no-free-lunch-kolmogorov-complexity"}
    assert "machine learning researcher" in home.select_one(".intro").get_text()


def test_every_internal_link_and_asset_resolves(example_output):
    """Relative links only: the site works from any sub-path (GitHub project pages)."""
    for page in example_output.rglob("*.html"):
        for tag in soup(page).select("[href], [src]"):
            if tag.name == "base":  # 404.html's: the site's own path (test_metadata checks it)
                continue
            url = tag.get("href") or tag.get("src")
            if url.startswith(("http://", "https://", "mailto:")):
                continue
            assert not url.startswith("/"), f"{page}: absolute path {url} breaks under a sub-path"
            target = (page.parent / url.split("#")[0])
            if url.split("#")[0].endswith("/") or url.split("#")[0] in ("", "./"):
                target = target / "index.html"
            assert target.exists(), f"{page.relative_to(example_output)} links to missing {url}"
