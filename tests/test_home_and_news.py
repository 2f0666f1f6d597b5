"""Home page, profile links, news and pages as built HTML (the browser tests cover behaviour)."""

from __future__ import annotations

import base64
import hashlib

from bs4 import BeautifulSoup

from conftest import MINIMAL_CONFIG, REPO, paper_file, run_cli


def build(content, output):
    return run_cli("build", "--content", str(content), "--output", str(output))


def html(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


PROFILE_CONFIG = MINIMAL_CONFIG + """\
affiliation: Analytical Engine Lab
photo: assets/me.svg
news_count: 2
profiles:
  github: ada-l
  orcid: 0000-0002-1825-0097
  email: ada@example.org
  mastodon: "@ada@mathstodon.xyz"
  google_scholar: https://scholar.google.com/citations?user=abc
"""


def test_home_shows_photo_affiliation_profiles_and_latest_news(make_site, tmp_path):
    content = make_site({
        "papers/a.md": paper_file("A", selected="true"),
        "pages/about.md": "---\ntitle: About\n---\nI study engines.\n",
        "pages/cv.md": "---\ntitle: CV\nnav_order: 1\n---\nBorn 1815.\n",
        "news/one.md": "---\ndate: 2024-01-05\n---\nFirst **news**.\n",
        "news/two.md": "---\ndate: 2024-03-01\n---\nSecond, see [the CV](/cv/).\n",
        "news/three.md": "---\ndate: 2023-12-24\n---\nOldest.\n",
        "theme/static/assets/me.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    }, config=PROFILE_CONFIG)
    output = tmp_path / "out"
    result = build(content, output)
    assert result.returncode == 0, result.stderr
    home = html(output / "index.html")
    assert home.select_one(".intro img.photo")["src"] == "assets/me.svg"
    assert (output / "assets" / "me.svg").exists()
    assert home.select_one(".affiliation").get_text() == "Analytical Engine Lab"
    links = [(a.get_text(strip=True), a["href"]) for a in home.select(".profiles a")]
    assert links == [  # the theme's fixed order, short forms expanded
        ("E-mail", "mailto:ada@example.org"),
        ("Google Scholar", "https://scholar.google.com/citations?user=abc"),
        ("ORCID", "https://orcid.org/0000-0002-1825-0097"),
        ("GitHub", "https://github.com/ada-l"),
        ("Mastodon", "https://mathstodon.xyz/@ada"),
    ]
    for icon in home.select(".profiles svg"):
        assert icon["aria-hidden"] == "true"
        assert home.select_one(icon.use["href"])  # the symbol ships inline with the page
    news = home.select(".news-list li")
    assert [li.time["datetime"] for li in news] == ["2024-03-01", "2024-01-05"]  # newest two
    assert news[0].select_one("a")["href"] == "./cv/"
    assert home.select_one(".news a[href='news/']").get_text() == "All news"
    assert len(html(output / "news" / "index.html").select(".news-list li")) == 3
    assert home.select_one(".selected-papers #a")
    cv = html(output / "cv" / "index.html")
    assert cv.select_one("h1").get_text() == "CV"


def test_bad_profile_and_news_count_are_reported_together(make_site, tmp_path):
    config = MINIMAL_CONFIG + "news_count: many\nprofiles:\n  orcid: 12345\n  myspace: ada\n  x: 'not a handle!'\n"
    content = make_site({"papers/a.md": paper_file("A")}, config=config)
    result = build(content, tmp_path / "out")
    assert result.returncode == 1
    for fragment in ("'news_count' must be a whole number", "'profiles.orcid' must be an ORCID iD",
                     "unknown profile 'profiles.myspace'", "'profiles.x' must be a user name"):
        assert fragment in result.stderr
    assert "Traceback" not in result.stderr


def test_news_item_without_a_date_is_a_clear_error(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A"), "news/x.md": "---\nwhen: soon\n---\nHello.\n"})
    result = build(content, tmp_path / "out")
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "news/x.md:2:" in result.stderr
    assert result.stderr.count("\n") == 1


def test_long_author_list_keeps_every_name_in_the_html_and_the_owner_outside_the_fold(make_site, tmp_path):
    authors = [f"Author {n}" for n in range(1, 8)] + ["Ada Lovelace", "Author 9", "Author 10"]
    content = make_site({"papers/long.md": paper_file("Long", authors=authors)},
                        config=MINIMAL_CONFIG + "author_limit: 3\n")
    output = tmp_path / "out"
    assert build(content, output).returncode == 0
    page = html(output / "publications" / "index.html")
    names = page.select_one("#long .pub-authors")
    assert names.get_text() == ", ".join(authors[:-1]) + ", and Author 10"  # readable without JS
    folded = [[a.get_text() for a in run.select(".p-author")] for run in names.select(".more-authors")]
    assert folded == [[f"Author {n}" for n in range(4, 8)], ["Author 9", "Author 10"]]
    assert names.select_one(".more-count")["data-count"] == "6"


def test_the_inline_theme_script_is_the_same_everywhere_and_its_csp_hash_is_in_the_readme(example_output):
    scripts = {script.string for page in example_output.rglob("*.html")
               for script in html(page).select("head script:not([src]):not([type])")}
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts.pop().encode()).digest()).decode()
    assert f"'sha256-{digest}'" in (REPO / "docs" / "themes.md").read_text()


def test_without_nav_the_menu_lists_the_pages_by_nav_order_and_marks_the_current_one(make_site, tmp_path):
    content = make_site({
        "papers/a.md": paper_file("A"),
        "pages/teaching.md": "---\ntitle: Teaching\nnav_order: 2\n---\nCourses.\n",
        "pages/cv.md": "---\ntitle: CV\nnav_order: 1\n---\nPositions.\n",
        "news/x.md": "---\ndate: 2024-01-01\n---\nHello.\n",
    })
    output = tmp_path / "out"
    assert build(content, output).returncode == 0
    page = html(output / "teaching" / "index.html")
    menu = [(a.get_text(), a["href"]) for a in page.select(".site-nav a")]
    assert menu == [("Home", "../"), ("Publications", "../publications/"), ("CV", "../cv/"),
                    ("Teaching", "../teaching/"), ("News", "../news/")]
    assert page.select_one(".site-nav a[aria-current=page]").get_text() == "Teaching"


def test_a_paper_image_is_a_thumbnail_in_the_listing(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A", image="assets/a.png"), "papers/b.md": paper_file("B")})
    output = tmp_path / "out"
    assert build(content, output).returncode == 0
    page = html(output / "publications" / "index.html")
    thumb = page.select_one("#a img.thumb")
    assert thumb["src"] == "../assets/a.png" and thumb["alt"] == ""  # the title beside it says it all
    assert thumb["width"] and thumb["height"]  # no layout shift while it loads
    assert not page.select("#b img")
