"""The publications page as al-folio users expect it (issue 16, point 8): BibTeX shown and copied in
place, grouping by kind of paper, a filter panel that folds away on phones and small lists, badges
that never break mid-word, thumbnails beside the entry, and citation badges only when turned on."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from browser import browser, serve_folder  # noqa: F401  (the fixture is used by name)
from conftest import MINIMAL_CONFIG, paper_file, run_cli
from site_builder.build import build

KINDS = {
    "papers/journal.md": paper_file("A Journal Paper", 2024, venue="Journal of Things", bibtex_type="article",
                                    doi="10.1000/xyz", altmetric="true", dimensions="true"),
    "papers/talk.md": paper_file("A Conference Paper", 2024, venue="Conference on Stuff", venue_short="Interspeech",
                                 inspirehep_id="1234567", google_scholar_id="abcDEF"),
    "papers/preprint.md": paper_file("A Preprint", 2023, venue="arXiv preprint", image="files/fig.png"),
    "papers/thesis.md": paper_file("A Thesis", 2020, venue="University of Somewhere", bibtex_type="phdthesis",
                                   venue_short="NeurIPS Workshop"),
}
SCHOLAR = "profiles:\n  google_scholar: https://scholar.google.com/citations?user=USER1&hl=en\n"


def listing(make_site, tmp_path, config_extra="", files=KINDS):
    output = tmp_path / "output"
    build(make_site({**files, "files/fig.png": b"\x89PNG\r\n\x1a\n"}, MINIMAL_CONFIG + config_extra), output)
    return output, BeautifulSoup((output / "publications" / "index.html").read_text(encoding="utf-8"), "html.parser")


def headings(page, selector):
    return [h.get_text() for h in page.select(selector)]


def test_grouped_by_kind_instead_of_years(make_site, tmp_path):
    _, page = listing(make_site, tmp_path, "publications_group: type\n")
    assert headings(page, "section.year > h2") == ["Journal articles", "Conference papers", "Theses", "Preprints"]
    assert headings(page, ".year-index a") == headings(page, "section.year > h2")
    assert headings(page, "#conference .p-name") == ["A Conference Paper"]


def test_grouped_by_kind_inside_years(make_site, tmp_path):
    _, page = listing(make_site, tmp_path, "publications_group: year-type\n")
    assert headings(page, "section.year > h2") == ["2024", "2023", "2020"]
    assert headings(page, "#y2024 section.kind > h3") == ["Journal articles", "Conference papers"]
    assert headings(page, "#y2024-journal h4.p-name") == ["A Journal Paper"]


@pytest.mark.parametrize("setting, message", [
    ("publications_group: kind\n", "'publications_group' must be one of year, type, year-type (got 'kind')"),
    ("badges: [altmetrics]\n", "unknown badge 'altmetrics' (did you mean 'altmetric'?)"),
])
def test_setting_mistakes_are_named(make_site, tmp_path, setting, message):
    result = run_cli("build", "--content", str(make_site({}, MINIMAL_CONFIG + setting)),
                     "--output", str(tmp_path / "out"))
    assert result.returncode == 1 and message in result.stderr, result.stderr


def test_citation_badges_only_when_the_site_turns_them_on(make_site, tmp_path):
    output, page = listing(make_site, tmp_path)
    assert not page.select(".citation-badges") and "altmetric" not in str(page) and "dimensions.ai" not in str(page)
    output, page = listing(make_site, tmp_path, SCHOLAR + "badges: [altmetric, dimensions, google_scholar, inspire]\n")
    journal = page.select_one("#journal .citation-badges")
    assert journal.select_one(".altmetric-embed")["data-doi"] == "10.1000/xyz"
    assert journal.select_one(".__dimensions_badge_embed__")["data-doi"] == "10.1000/xyz"
    links = {a.get_text(): a["href"] for a in page.select("#talk .citation-badges a")}
    assert links == {"Google Scholar": "https://scholar.google.com/citations?view_op=view_citation&hl=en"
                                       "&citation_for_view=USER1:abcDEF",
                     "INSPIRE": "https://inspirehep.net/literature/1234567"}
    assert not page.select("#preprint .citation-badges")
    scripts = [s["src"] for s in page.select("script[src]")]
    assert "https://d1bxh8uas1mnw7.cloudfront.net/assets/embed.js" in scripts
    assert "https://badge.dimensions.ai/badge.js" in scripts


def test_phone_shows_the_first_paper_on_the_first_screen_with_filters_folded(browser, example_output):
    with serve_folder(example_output) as base:
        context = browser.new_context(viewport={"width": 375, "height": 667})
        page = context.new_page()
        page.goto(base + "publications/")
        title = page.locator("article.publication .p-name").first.bounding_box()
        assert title["y"] + title["height"] <= 667, title
        assert not page.locator("#pub-filters").is_visible()
        page.get_by_role("button", name="Search and filter").click()
        assert page.locator("#f-q").is_visible() and page.evaluate("document.activeElement.id") == "f-q"
        assert page.get_by_role("button", name="Search and filter").get_attribute("aria-expanded") == "true"
        page.goto(base + "publications/?q=poisoning")  # a filtered address shows its filters
        assert page.locator("#f-q").is_visible()
        context.close()


def test_filters_fold_away_on_small_lists_but_not_on_long_ones(browser, example_output, make_site, tmp_path):
    output, _ = listing(make_site, tmp_path)
    for site, folded in ((output, True), (example_output, False)):
        with serve_folder(site) as base:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + "publications/")
            assert page.locator("#pub-filters").is_visible() is not folded
            assert page.locator("#filter-toggle").is_visible() is folded
            page.close()


def test_bibtex_is_shown_and_copied_in_place(browser, example_output):
    with serve_folder(example_output) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.goto(base + "publications/")
        button = page.locator("#neftune .pub-links a", has_text="BibTeX")
        button.click()
        box = page.locator("#neftune + .cite-box, #neftune .cite-box").first
        assert box.locator("pre").inner_text().startswith("@")
        assert page.url == base + "publications/" and button.get_attribute("aria-expanded") == "true"
        box.get_by_role("button", name="Copy").click()
        assert page.evaluate("navigator.clipboard.readText()") == box.locator("pre").inner_text()
        button.click()
        assert not box.is_visible()
        context.close()


def test_long_badges_keep_their_words_and_thumbnails_sit_beside_the_entry(browser, make_site, tmp_path):
    output, _ = listing(make_site, tmp_path)
    with serve_folder(output) as base:
        for width in (1280, 375):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(base + "publications/")
            for slug in ("talk", "thesis"):
                lines = page.evaluate("""slug => { const badge = document.querySelector('#' + slug + ' .badge');
                    const range = document.createRange(); const words = [];
                    const text = badge.firstChild;
                    let start = 0;
                    for (const word of text.data.split(' ')) {
                      range.setStart(text, start); range.setEnd(text, start + word.length);
                      words.push(range.getClientRects().length); start += word.length + 1; }
                    return words; }""", slug)
                assert lines and all(n == 1 for n in lines), (slug, width, lines)  # each word on one line
                badge = page.locator(f"#{slug} .badge").bounding_box()
                title = page.locator(f"#{slug} .p-name").bounding_box()
                assert badge["x"] + badge["width"] <= title["x"] or badge["y"] + badge["height"] <= title["y"]
            if width == 1280:
                thumb = page.locator("#preprint .thumb").bounding_box()
                text = page.evaluate("""() => { const range = document.createRange();
                    range.selectNodeContents(document.querySelector('#preprint .p-name'));
                    const r = range.getBoundingClientRect(); return {right: r.right, top: r.top}; }""")
                assert text["right"] <= thumb["x"] and thumb["y"] <= text["top"] + 5  # level with the title
            page.close()


def test_badge_ids_come_from_a_bib_file_too(make_site, tmp_path):
    bib = ("@article{lovelace2024, title={Notes}, author={Lovelace, Ada}, journal={Journal of Things}, "
           "year={2024}, doi={10.1000/abc}, altmetric={true}, inspirehep_id={42}}\n")
    _, page = listing(make_site, tmp_path, "badges: [altmetric, inspire]\n", {"papers.bib": bib})
    badges = page.select_one("#lovelace2024 .citation-badges")
    assert badges.select_one(".altmetric-embed")["data-doi"] == "10.1000/abc"
    assert badges.select_one("a")["href"] == "https://inspirehep.net/literature/42"
    assert "altmetric" not in (tmp_path / "output" / "publications.bib").read_text()  # display only
