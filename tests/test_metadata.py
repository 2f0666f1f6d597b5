"""Scholar tags, JSON-LD, Open Graph, feed, sitemap and robots.txt, read back with real parsers
and checked against the content files they came from."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import EXAMPLE_CONTENT, MINIMAL_CONFIG, paper_file, run_cli

EXAMPLE_URL = "https://example.github.io/site/"
NO_URL_CONFIG = "title: Test Site\nowner:\n  name: Ada Lovelace\n"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def front_matter(path: Path) -> tuple[dict, str]:
    """The content file as the user wrote it: YAML front matter and the Markdown body."""
    _, meta, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(meta), body


def metas(page: BeautifulSoup, name: str) -> list[str]:
    return [tag["content"] for tag in page.select(f'head meta[name="{name}"]')]


def prop(page: BeautifulSoup, name: str) -> str | None:
    tag = page.select_one(f'head meta[property="{name}"]')
    return tag["content"] if tag else None


def json_ld(page: BeautifulSoup) -> list[dict]:
    return [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]


def build(content: Path, output: Path) -> str:
    result = run_cli("build", "--content", str(content), "--output", str(output))
    assert result.returncode == 0, result.stderr
    return result.stderr


def expected_venue_tag(venue: str) -> str | None:
    """The example's venues: one journal, one preprint, conferences otherwise."""
    if "Transactions" in venue:
        return "citation_journal_title"
    if venue == "Preprint":
        return None
    return "citation_conference_title"


def written_links(meta: dict) -> dict[str, str]:
    """The links a content file gives, top-level doi/arxiv included, as written."""
    links = {k: str(v) for k, v in (meta.get("links") or {}).items() if v}
    links.update({k: str(meta[k]) for k in ("doi", "arxiv") if meta.get(k)})
    return links


def written_ids(meta: dict) -> tuple[str, str]:
    """(DOI, arXiv id) as a reader of the content file would extract them by hand."""
    links = written_links(meta)
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", links.get("doi", ""))
    arxiv = re.sub(r"^(https?://arxiv\.org/(abs|pdf)/|arXiv:)", "", links.get("arxiv", "")).removesuffix(".pdf")
    return doi, arxiv


def written_date(meta: dict) -> str:
    """The paper's date as ISO text at the precision given: 2023-05-17 or 2023."""
    return str(meta["date"]) if meta.get("date") else str(meta["year"])


def written_day(meta: dict) -> str:
    """The day feed and sitemap give a paper: its date, else 1 January of its year."""
    return str(meta["date"]) if meta.get("date") else f"{meta['year']}-01-01"


# ---- the example site: every paper page against its content file ----------------------------

EXAMPLE_PAPERS = sorted((EXAMPLE_CONTENT / "papers").glob("*.md"))


def test_every_example_paper_page_carries_its_scholar_tags(example_output):
    assert len(EXAMPLE_PAPERS) == 62
    for source in EXAMPLE_PAPERS:
        meta, _ = front_matter(source)
        page = soup(example_output / "papers" / source.stem / "index.html")
        assert metas(page, "citation_title") == [meta["title"]], source
        assert metas(page, "citation_author") == [
            a if isinstance(a, str) else a["name"] for a in meta["authors"] if a != "others"], source
        assert metas(page, "citation_publication_date") == [written_date(meta).replace("-", "/")], source
        venue_tag = expected_venue_tag(meta["venue"])
        for tag in ("citation_journal_title", "citation_conference_title"):
            want = [meta["venue"].removeprefix("In ")] if tag == venue_tag else []
            assert metas(page, tag) == want, (source, tag)
        assert metas(page, "citation_abstract_html_url") == [f"{EXAMPLE_URL}papers/{source.stem}/"]
        doi, arxiv = written_ids(meta)
        assert metas(page, "citation_doi") == ([doi] if doi else []), source
        assert metas(page, "citation_arxiv_id") == ([arxiv] if arxiv else []), source
        pdf = written_links(meta).get("pdf", "")
        assert metas(page, "citation_pdf_url") == ([pdf] if pdf.startswith("https://") else []), source
        assert metas(page, "citation_volume") == ([str(meta["volume"])] if meta.get("volume") else [])


def test_every_example_paper_page_has_a_scholarly_article(example_output):
    for source in EXAMPLE_PAPERS:
        meta, body = front_matter(source)
        page = soup(example_output / "papers" / source.stem / "index.html")
        (article,) = json_ld(page)
        assert article["@context"] == "https://schema.org"
        assert article["@type"] == "ScholarlyArticle"
        assert article["name"] == article["headline"] == meta["title"]
        names = [a if isinstance(a, str) else a["name"] for a in meta["authors"] if a != "others"]
        assert [a["name"] for a in article["author"]] == names
        assert all(a["@type"] == "Person" for a in article["author"])
        assert article["datePublished"] == written_date(meta)  # the paper's date, not a build date
        if meta["venue"] != "Preprint":
            assert article["isPartOf"]["name"] == meta["venue"].removeprefix("In ")
        assert " ".join(article["abstract"].split()) == " ".join(body.split())
        assert article["url"] == f"{EXAMPLE_URL}papers/{source.stem}/"
        assert article.get("award", "") == meta.get("award", "")
        assert article.get("keywords", "") == ", ".join(meta.get("tags") or [])
        assert article.get("image", "") == (EXAMPLE_URL + meta["image"] if meta.get("image") else "")
        doi, arxiv = written_ids(meta)
        same_as = ([f"https://doi.org/{doi}"] if doi else []) + ([f"https://arxiv.org/abs/{arxiv}"] if arxiv else [])
        assert article.get("sameAs", []) == same_as, source


def test_every_example_page_has_canonical_open_graph_and_twitter_tags(example_output):
    pages = [p for p in example_output.rglob("index.html")]
    assert len(pages) >= 64
    for path in pages:
        page = soup(path)
        url_path = path.parent.relative_to(example_output).as_posix()
        expected = EXAMPLE_URL + ("" if url_path == "." else url_path + "/")
        assert page.select_one('link[rel="canonical"]')["href"] == expected
        assert prop(page, "og:url") == expected
        assert prop(page, "og:title") == metas(page, "twitter:title")[0]
        assert prop(page, "og:description") == metas(page, "description")[0] == \
            metas(page, "twitter:description")[0]
        meta = front_matter(EXAMPLE_CONTENT / "papers" / f"{path.parent.name}.md")[0] \
            if path.parent.parent.name == "papers" else {}
        image = meta.get("image", "")
        card = EXAMPLE_URL + image if image and not image.endswith(".svg") else None  # no SVG cards
        assert prop(page, "og:image") == card
        assert metas(page, "twitter:card") == ["summary_large_image" if card else "summary"]
        assert page.select_one('link[rel="alternate"][type="application/atom+xml"]')


def test_paper_description_is_the_abstracts_first_sentence(example_output):
    _, body = front_matter(EXAMPLE_CONTENT / "papers" / "cold-diffusion.md")
    page = soup(example_output / "papers" / "cold-diffusion" / "index.html")
    first = body.split(". ")[0] + "."
    assert prop(page, "og:description") == first
    assert prop(page, "og:type") == "article"
    assert prop(page, "og:title") == front_matter(EXAMPLE_CONTENT / "papers" / "cold-diffusion.md")[0]["title"]


def test_home_page_has_person_and_website(example_output):
    site = yaml.safe_load((EXAMPLE_CONTENT / "site.yaml").read_text())
    home = soup(example_output / "index.html")
    (data,) = json_ld(home)
    person, website = data["@graph"]
    assert person["@type"] == "Person" and person["name"] == site["owner"]["name"]
    assert person["url"] == site["url"]
    # sameAs: the profile links the home page shows (e-mail apart), in the same order.
    shown = [a["href"] for a in home.select("a.profile") if not a["href"].startswith("mailto:")]
    assert len(shown) == len([k for k in site.get("profiles") or {} if k != "email"])
    assert person.get("sameAs", []) == shown
    if site.get("profiles", {}).get("email"):
        assert person["email"] == site["profiles"]["email"]
    if site.get("affiliation"):
        assert person["affiliation"] == {"@type": "Organization", "name": site["affiliation"]}
    assert website["@type"] == "WebSite" and website["name"] == site["title"]
    assert website["url"] == site["url"] and website["description"] == site["description"]
    assert website["author"] == {"@id": person["@id"]}


def test_publications_page_is_a_collection_page_by_the_owner(example_output):
    """The list itself is in the h-cite markup; the JSON-LD names the page and ties it to the home
    page's Person, without repeating every paper's URL (page weight)."""
    page = soup(example_output / "publications" / "index.html")
    (data,) = json_ld(page)
    (person, _) = json_ld(soup(example_output / "index.html"))[0]["@graph"]
    assert data == {"@context": "https://schema.org", "@type": "CollectionPage",
                    "name": f"Publications of {person['name']}",
                    "url": page.select_one('link[rel="canonical"]')["href"],
                    "author": {"@id": person["@id"]}}
    assert data["url"] == f"{EXAMPLE_URL}publications/"


def test_feed_is_newest_first_with_absolute_links(example_output):
    feed = feedparser.parse((example_output / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    listing = soup(example_output / "publications" / "index.html")
    slugs = [a["id"] for a in listing.select("section.year article.h-cite")]
    assert len(slugs) == 62
    slugs = slugs[:50]  # the feed holds the newest 50 (feed_limit's default)
    assert [e.link for e in feed.entries] == [f"{EXAMPLE_URL}papers/{s}/" for s in slugs]
    years = [e.published_parsed.tm_year for e in feed.entries]
    assert years == sorted(years, reverse=True)
    for entry, slug in zip(feed.entries, slugs):
        meta, _ = front_matter(EXAMPLE_CONTENT / "papers" / f"{slug}.md")
        assert entry.title == meta["title"]
        assert [a.name for a in entry.authors] == [a for a in meta["authors"] if a != "others"]
        assert entry.published == entry.updated == f"{written_day(meta)}T00:00:00Z"
    newest = max(written_day(front_matter(p)[0]) for p in EXAMPLE_PAPERS)
    assert feed.feed.updated == f"{newest}T00:00:00Z"  # the newest paper, not the build time


def test_sitemap_and_robots(example_output):
    from lxml import etree

    tree = etree.parse(str(example_output / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = tree.xpath("//s:url/s:loc/text()", namespaces=ns)
    pages = sorted(p.parent.relative_to(example_output).as_posix() for p in example_output.rglob("index.html"))
    assert sorted(locs) == sorted(EXAMPLE_URL + ("" if p == "." else p + "/") for p in pages)
    lastmods = dict(zip(locs, tree.xpath("//s:url/s:lastmod/text()", namespaces=ns)))
    assert len(lastmods) == len(locs)
    for source in EXAMPLE_PAPERS:
        assert lastmods[f"{EXAMPLE_URL}papers/{source.stem}/"] == written_day(front_matter(source)[0])
    newest = max(written_day(front_matter(p)[0]) for p in EXAMPLE_PAPERS)
    assert lastmods[EXAMPLE_URL] == lastmods[f"{EXAMPLE_URL}publications/"] == newest
    robots = (example_output / "robots.txt").read_text()
    assert f"Sitemap: {EXAMPLE_URL}sitemap.xml" in robots.splitlines()


def test_404_page(example_output):
    page = soup(example_output / "404.html")
    # Links work from any missing address, and the page's files come from the site's own host.
    assert page.select_one("base")["href"] == urlsplit(EXAMPLE_URL).path
    assert metas(page, "robots") == ["noindex"]
    assert not page.select_one('link[rel="canonical"]')
    assert page.select_one("h1").get_text() == "Page not found"
    assert page.select_one('a[href="publications/"]')


# ---- small sites for the variants the example lacks ----------------------------------------

FULL = paper_file(
    "Deep Learning: A Journal Paper", year=2023,
    authors=("Ada Lovelace", "{name: Charles Babbage, url: 'https://babbage.example'}", "Mary Somerville"),
    body="First sentence here. Second sentence.",
    venue="Journal of Machine Learning Research", bibtex_type="article", date="2023-05-17",
    volume='"24"', issue='"7"', pages='"101--125"', publisher="JMLR", award="Best Paper",
    doi="10.5555/1234.5678", arxiv="2305.01234", image="assets/full.png", tags="[learning, theory]",
    links="{pdf: files/full.pdf, code: 'https://github.com/x/y'}",
)
BARE = paper_file("A Bare Preprint", year=2022, authors=("Ada Lovelace",), body="Just text.", month="may")
CONFERENCE = paper_file("A Conference Paper", year=2021, venue="International Conference on Things (ICT)",
                        venue_short="ICT", links="{pdf: 'https://example.com/c.pdf'}", pages='"7"',
                        image="https://example.com/c.svg")


@pytest.fixture
def variants(make_site, tmp_path):
    content = make_site({"papers/full.md": FULL, "papers/bare.md": BARE, "papers/conf.md": CONFERENCE},
                        config=MINIMAL_CONFIG + "image: /assets/site.png\n")
    output = tmp_path / "out"
    build(content, output)
    return output


def test_full_paper_tags(variants):
    page = soup(variants / "papers" / "full" / "index.html")
    base = "https://example.org/lab/"
    assert metas(page, "citation_author") == ["Ada Lovelace", "Charles Babbage", "Mary Somerville"]
    assert metas(page, "citation_publication_date") == ["2023/05/17"]
    assert metas(page, "citation_journal_title") == ["Journal of Machine Learning Research"]
    assert metas(page, "citation_conference_title") == []
    assert metas(page, "citation_volume") == ["24"] and metas(page, "citation_issue") == ["7"]
    assert metas(page, "citation_firstpage") == ["101"] and metas(page, "citation_lastpage") == ["125"]
    assert metas(page, "citation_doi") == ["10.5555/1234.5678"]
    assert metas(page, "citation_arxiv_id") == ["2305.01234"]
    assert metas(page, "citation_pdf_url") == [base + "files/full.pdf"]  # files/ is the site's files folder
    assert metas(page, "citation_abstract_html_url") == [base + "papers/full/"]
    assert prop(page, "og:image") == base + "assets/full.png"  # the paper's preview wins
    assert metas(page, "twitter:card") == ["summary_large_image"]
    assert prop(page, "og:description") == "First sentence here."


def test_full_paper_json_ld(variants):
    (article,) = json_ld(soup(variants / "papers" / "full" / "index.html"))
    assert article["datePublished"] == "2023-05-17"
    assert article["author"][1] == {"@type": "Person", "name": "Charles Babbage", "url": "https://babbage.example"}
    assert article["isPartOf"] == {"@type": "PublicationIssue", "issueNumber": "7", "isPartOf": {
        "@type": "PublicationVolume", "volumeNumber": "24", "isPartOf": {
            "@type": "Periodical", "name": "Journal of Machine Learning Research"}}}
    assert article["publisher"] == {"@type": "Organization", "name": "JMLR"}
    assert (article["pageStart"], article["pageEnd"]) == ("101", "125")
    assert article["sameAs"] == ["https://doi.org/10.5555/1234.5678", "https://arxiv.org/abs/2305.01234"]
    assert article["award"] == "Best Paper"
    assert article["keywords"] == "learning, theory"
    assert article["image"] == "https://example.org/lab/assets/full.png"


def test_bare_paper_has_no_invented_tags(variants):
    page = soup(variants / "papers" / "bare" / "index.html")
    assert metas(page, "citation_publication_date") == ["2022"]  # a month alone: Scholar wants the year
    for tag in ("citation_pdf_url", "citation_doi", "citation_arxiv_id", "citation_journal_title",
                "citation_conference_title", "citation_volume", "citation_firstpage"):
        assert metas(page, tag) == [], tag
    (article,) = json_ld(page)
    assert article["datePublished"] == "2022-05"
    assert not {"sameAs", "isPartOf", "award", "pageStart"} & set(article)
    assert prop(page, "og:image") == "https://example.org/lab/assets/site.png"  # the site's default


def test_conference_paper_tags(variants):
    page = soup(variants / "papers" / "conf" / "index.html")
    assert metas(page, "citation_conference_title") == ["International Conference on Things (ICT)"]
    assert metas(page, "citation_pdf_url") == ["https://example.com/c.pdf"]
    assert metas(page, "citation_firstpage") == ["7"] and metas(page, "citation_lastpage") == []
    # Card previews do not show SVG: the site's default image stands in; JSON-LD keeps the SVG.
    assert prop(page, "og:image") == metas(page, "twitter:image")[0] == "https://example.org/lab/assets/site.png"
    assert json_ld(page)[0]["image"] == "https://example.com/c.svg"


def test_variant_feed_and_sitemap_dates(variants):
    feed = feedparser.parse((variants / "feed.xml").read_bytes())
    assert not feed.bozo
    assert [e.link for e in feed.entries] == [f"https://example.org/lab/papers/{s}/" for s in ("full", "bare", "conf")]
    assert [e.updated for e in feed.entries] == ["2023-05-17T00:00:00Z", "2022-05-01T00:00:00Z",
                                                 "2021-01-01T00:00:00Z"]
    assert feed.feed.updated == "2023-05-17T00:00:00Z"
    sitemap = (variants / "sitemap.xml").read_text()
    assert "<loc>https://example.org/lab/papers/bare/</loc>\n    <lastmod>2022-05-01</lastmod>" in sitemap


def test_json_ld_cannot_be_closed_by_a_title(make_site, tmp_path):
    title = "</script><script>alert(1)</script> & <!-- more"
    content = make_site({"papers/x.md": paper_file(title, body="</script> in the abstract.")})
    build(content, tmp_path / "out")
    page = soup(tmp_path / "out" / "papers" / "x" / "index.html")
    assert not [s for s in page.select("script") if "alert" in (s.string or "") and
                s.get("type") != "application/ld+json"], "the title broke out of the JSON-LD"
    (script,) = page.select('script[type="application/ld+json"]')
    (article,) = json_ld(page)
    assert article["name"] == title
    assert "</script>" not in script.string and "\\u003c/script\\u003e" in script.string


def test_site_without_url(make_site, tmp_path):
    """No url: no canonical or og:url, no absolute URL guessed, the feed stays valid with relative
    links and UUID ids, no sitemap (it would need absolute URLs), and one warning says so."""
    content = make_site({"papers/full.md": FULL, "papers/conf.md": CONFERENCE}, config=NO_URL_CONFIG)
    output = tmp_path / "out"
    stderr = build(content, output)
    assert stderr.count("no 'url'") == 1 and "site.yaml" in stderr
    page = soup(output / "papers" / "full" / "index.html")
    assert not page.select_one('link[rel="canonical"]') and prop(page, "og:url") is None
    assert metas(page, "citation_abstract_html_url") == []
    assert metas(page, "citation_pdf_url") == []  # files/full.pdf cannot be made absolute
    assert prop(page, "og:image") is None
    assert metas(soup(output / "papers" / "conf" / "index.html"), "citation_pdf_url") == ["https://example.com/c.pdf"]
    (article,) = json_ld(page)
    assert "url" not in article and article["datePublished"] == "2023-05-17"
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert not feed.bozo
    assert [e.link for e in feed.entries] == ["papers/full/", "papers/conf/"]
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", e.id) for e in feed.entries)
    assert not (output / "sitemap.xml").exists()
    assert "Sitemap:" not in (output / "robots.txt").read_text()
    assert not soup(output / "404.html").select_one("base")
    (listing,) = json_ld(soup(output / "publications" / "index.html"))
    assert "url" not in listing and listing["author"] == {"@type": "Person", "name": "Ada Lovelace"}


def test_unsafe_image_is_refused(make_site, tmp_path):
    content = make_site({"papers/x.md": paper_file("X", image="'javascript:alert(1)'")})
    result = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "papers/x.md" in result.stderr and "'image' must be" in result.stderr


@pytest.mark.parametrize("limit, entries", [(0, 3), (2, 2), (5, 3)])
def test_feed_limit_caps_the_feed_at_the_newest_papers(make_site, tmp_path, limit, entries):
    content = make_site({f"papers/p{year}.md": paper_file(f"Paper {year}", year=year) for year in (2021, 2022, 2023)},
                        config=MINIMAL_CONFIG + f"feed_limit: {limit}\n")
    result = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    feed = feedparser.parse((tmp_path / "out" / "feed.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["Paper 2023", "Paper 2022", "Paper 2021"][:entries]


def test_a_feed_limit_that_is_not_a_count_is_a_config_error(make_site, tmp_path):
    content = make_site({}, config=MINIMAL_CONFIG + "feed_limit: many\n")
    result = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"))
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "feed_limit" in result.stderr
