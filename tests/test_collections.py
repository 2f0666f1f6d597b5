"""Posts, talks, projects and teaching (issue 16): what a reader sees on the built pages, the feed
and sitemap, the menu and home page, drafts in the preview only, and one-line field errors."""

from __future__ import annotations

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import MINIMAL_CONFIG, paper_file, run_cli
from site_builder.incremental import LiveSite

DAY = "1718000000"  # SOURCE_DATE_EPOCH of 2024-06-10, the build's day in these tests


def post(title, date, body="Some words.", **fields):
    extra = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\n{body}\n"


def build(content, output, day=DAY):
    return run_cli("build", "--content", str(content), "--output", str(output),
                   env={"SOURCE_DATE_EPOCH": day})


def html(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html5lib")


def texts(page, selector):
    return [element.get_text(" ", strip=True) for element in page.select(selector)]


BLOG = {
    "papers/a.md": paper_file("Paper A"),
    "posts/first.md": post("First post", "2023-03-01", tags="[Theory]", image="https://example.org/a.png"),
    "posts/second.md": post("Second post", "2024-01-10", " ".join(["word"] * 900), tags="[Theory, LLMs]",
                            summary="The second one."),
    "posts/third.md": post("Third post", "2024-05-02 14:30", tags="[llms]"),
    "posts/secret.md": post("Secret draft", "2024-06-01", draft="true"),
}


@pytest.fixture
def blog_output(make_site, tmp_path):
    content = make_site(BLOG, config=MINIMAL_CONFIG)
    output = tmp_path / "out"
    result = build(content, output)
    assert result.returncode == 0, result.stderr
    return output


def test_blog_lists_posts_newest_first_by_year_and_leaves_drafts_out(blog_output):
    page = html(blog_output / "blog" / "index.html")
    assert texts(page, ".item-year > h2") == ["2024", "2023"]
    assert texts(page, ".entry .p-name") == ["Third post", "Second post", "First post"]
    assert "The second one." in texts(page, ".p-summary")
    assert not (blog_output / "blog" / "secret").exists()
    assert "Secret" not in (blog_output / "blog" / "feed.xml").read_text()
    assert "secret" not in (blog_output / "sitemap.xml").read_text()


def test_a_post_has_its_reading_time_tags_and_older_and_newer_links(blog_output):
    page = html(blog_output / "blog" / "second" / "index.html")
    assert page.select_one("h1").get_text() == "Second post"
    assert "January 10, 2024 · 4 min read" in page.select_one(".item-meta").get_text()  # 900 words
    assert page.select_one("a[rel=prev]")["href"] == "../../blog/first/"
    assert page.select_one("a[rel=next]")["href"] == "../../blog/third/"
    assert [a["href"] for a in page.select(".tags a")] == ["../../blog/tags/theory/", "../../blog/tags/llms/"]
    oldest = html(blog_output / "blog" / "first" / "index.html")
    assert oldest.select_one("img.item-image")["src"] == "https://example.org/a.png"
    assert oldest.select_one("a[rel=prev]") is None and oldest.select_one("a[rel=next]")


def test_each_tag_has_a_page_with_its_posts(blog_output):
    llms = html(blog_output / "blog" / "tags" / "llms" / "index.html")
    assert texts(llms, ".entry .p-name") == ["Third post", "Second post"]  # 'LLMs' and 'llms' are one tag
    assert llms.select_one(".tag-index a[aria-current=page]").get_text(" ", strip=True) == "llms 2"  # as the newest post writes it
    assert texts(html(blog_output / "blog" / "tags" / "theory" / "index.html"), ".entry .p-name") == [
        "Second post", "First post"]


def test_posts_have_their_own_feed_linked_from_the_blog_and_are_in_the_sitemap(blog_output):
    feed = feedparser.parse((blog_output / "blog" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.title for entry in feed.entries] == ["Third post", "Second post", "First post"]
    assert feed.entries[0].link == "https://example.org/lab/blog/third/"
    assert feed.entries[0].published.startswith("2024-05-02")
    for path in ("blog/index.html", "blog/third/index.html"):
        feeds = html(blog_output / path).select('link[rel=alternate][type="application/atom+xml"]')
        assert "Test Site: Blog" in [link["title"] for link in feeds if link["href"].endswith("blog/feed.xml")]
    sitemap = BeautifulSoup((blog_output / "sitemap.xml").read_text(), "xml")
    lastmod = {url.loc.get_text(): url.lastmod.get_text() for url in sitemap.find_all("url")}
    assert lastmod["https://example.org/lab/blog/third/"] == "2024-05-02"  # the post's own date
    assert "https://example.org/lab/blog/tags/llms/" in lastmod


def test_the_preview_server_shows_drafts_and_rebuilds_after_a_post_changes(make_site, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY)
    content = make_site(BLOG)
    live = LiveSite(content, tmp_path / "preview")
    live.rebuild()
    draft = html(tmp_path / "preview" / "blog" / "secret" / "index.html")
    assert draft.select_one(".draft").get_text() == "Draft"
    (content / "posts" / "third.md").write_text(post("Third post, edited", "2024-05-02"))
    result = live.rebuild({str((content / "posts" / "third.md").absolute())})
    assert result.everything  # a post edit rebuilds the whole site
    assert "Third post, edited" in texts(html(tmp_path / "preview" / "blog" / "index.html"), ".p-name")


TALKS = {
    "papers/a.md": paper_file("Paper A"),
    "talks/old.md": "---\ntitle: Old talk\ndate: 2023-02-01\nevent: Some Workshop\nkind: poster\n"
                    "paper: a\n---\n",
    "talks/soon.md": "---\ntitle: Soon talk\ndate: 2024-09-15\nevent: Big Conference\nlocation: Vienna\n"
                     "kind: keynote\nlinks:\n  slides: https://example.org/s.pdf\n---\nWhat the talk is about.\n",
    "talks/today.md": "---\ntitle: Today talk\ndate: 2024-06-10\n---\nToday.\n",
}


def test_talks_by_year_with_upcoming_marked_against_the_build_day(make_site, tmp_path):
    content = make_site(TALKS)
    output = tmp_path / "out"
    assert build(content, output).returncode == 0
    page = html(output / "talks" / "index.html")
    assert texts(page, ".item-year > h2") == ["2024", "2023"]
    assert texts(page, ".entry .p-name") == ["Soon talk", "Today talk", "Old talk"]
    upcoming = [entry["id"] for entry in page.select(".entry") if entry.select_one(".upcoming")]
    assert upcoming == ["soon", "today"]
    assert "Vienna · Keynote" in page.select_one("#soon .item-meta").get_text()
    assert page.select_one("#soon .pub-links a")["href"] == "https://example.org/s.pdf"
    later = tmp_path / "later"  # a year on, nothing is upcoming any more
    assert build(content, later, day="1750000000").returncode == 0
    assert html(later / "talks" / "index.html").select(".upcoming") == []


def test_a_talk_has_a_page_only_with_a_body_and_links_its_paper_both_ways(make_site, tmp_path):
    content = make_site(TALKS)
    output = tmp_path / "out"
    assert build(content, output).returncode == 0
    assert (output / "talks" / "soon" / "index.html").exists()
    assert not (output / "talks" / "old").exists()
    listing = html(output / "talks" / "index.html")
    assert listing.select_one("#old .p-name a") is None
    assert listing.select_one("#old .item-paper a")["href"] == "../papers/a/"
    paper = html(output / "papers" / "a" / "index.html")
    assert [a["href"] for a in paper.select(".paper-talks a")] == ["../../talks/#old"]


def test_an_unknown_paper_slug_is_a_one_line_error_with_file_and_line(make_site, tmp_path):
    content = make_site({**TALKS, "talks/old.md": TALKS["talks/old.md"].replace("paper: a", "paper: aa")})
    output = tmp_path / "out"
    result = build(content, output)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {content / 'talks' / 'old.md'}:6: no paper 'aa' in papers/; did you mean 'a'?"]
    assert not output.exists()


def test_removing_a_paper_that_a_talk_names_stops_the_preview_with_a_clear_error(make_site, tmp_path):
    from site_builder.errors import SiteError

    content = make_site({**TALKS, "papers/b.md": paper_file("Paper B")})
    live = LiveSite(content, tmp_path / "preview")
    live.rebuild()
    (content / "papers" / "a.md").unlink()
    with pytest.raises(SiteError, match=r"talks/old.md:6: no paper 'a' in papers/"):
        live.rebuild({str((content / "papers" / "a.md").absolute())})


PROJECTS = {
    "papers/a.md": paper_file("Paper A", venue_short="EXS"),
    "papers/b.md": paper_file("Paper B", year=2023),
    "projects/engines.md": "---\ntitle: Engines\nsummary: Building engines.\norder: 2\npapers: [b, a]\n"
                           "links:\n  code: https://example.org/code\n---\nThe long story.\n",
    "projects/looms.md": "---\ntitle: Looms\nsummary: Weaving.\norder: 1\nimage: assets/loom.png\n---\n"
                         "Punched cards.\n",
}


def test_projects_show_cards_and_list_their_papers_as_the_publications_page_does(make_site, tmp_path):
    content = make_site(PROJECTS)
    output = tmp_path / "out"
    assert build(content, output).returncode == 0
    cards = html(output / "projects" / "index.html").select(".card")
    assert [(c.h2.get_text(), c.h2.a["href"], c.p.get_text()) for c in cards] == [
        ("Looms", "../projects/looms/", "Weaving."), ("Engines", "../projects/engines/", "Building engines.")]
    assert cards[0].select_one("img.card-image")["src"] == "../assets/loom.png"
    assert cards[1].select_one("img") is None
    page = html(output / "projects" / "engines" / "index.html")
    assert page.select_one(".prose").get_text(strip=True) == "The long story."
    entries = page.select(".project-papers article.h-cite")
    assert [e["id"] for e in entries] == ["b", "a"]
    listed = html(output / "publications" / "index.html").select_one("article#a")
    # The same markup as the publications page, but for the links, which start from a deeper page.
    assert str(entries[1]).replace("../../", "../") == str(listed)


def test_teaching_lists_entries_newest_first_with_a_page_for_those_with_a_body(make_site, tmp_path):
    content = make_site({
        "papers/a.md": paper_file("Paper A"),
        "teaching/old.md": "---\ntitle: Old course\ndate: 2020-09-01\nterm: Fall 2020\n"
                           "institution: Uni\nkind: seminar\n---\n",
        "teaching/new.md": "---\ntitle: New course\ndate: 2024-01-20\nterm: Spring 2024\n---\nSyllabus.\n",
    })
    output = tmp_path / "out"
    assert build(content, output).returncode == 0
    page = html(output / "teaching" / "index.html")
    assert texts(page, ".entry h2") == ["New course", "Old course"]
    assert texts(page, "#old .item-meta") == ["Seminar · Fall 2020 · Uni"]
    assert (output / "teaching" / "new" / "index.html").exists() and not (output / "teaching" / "old").exists()


def test_the_menu_follows_the_default_order_and_the_home_shows_posts_and_upcoming_talks(make_site, tmp_path):
    content = make_site({**BLOG, **TALKS, **PROJECTS, "pages/cv.md": "---\ntitle: CV\n---\nPositions.\n",
                         "news/x.md": "---\ndate: 2024-01-01\n---\nHello.\n"})
    output = tmp_path / "out"
    assert build(content, output).returncode == 0
    home = html(output / "index.html")
    assert texts(home, ".site-nav a") == ["Home", "Publications", "Blog", "Talks", "Projects", "CV", "News"]
    assert texts(home, "#posts-heading ~ .entry .p-name") == ["Third post", "Second post", "First post"]
    assert texts(home, "#talks-heading ~ .entry .p-name") == ["Today talk", "Soon talk"]  # soonest first
    (content / "site.yaml").write_text(MINIMAL_CONFIG + "home_posts: 1\nhome_talks: 0\n")
    assert build(content, output).returncode == 0
    home = html(output / "index.html")
    assert texts(home, "#posts-heading ~ .entry .p-name") == ["Third post"]
    assert home.select_one("#talks-heading") is None


def test_an_unknown_field_warns_with_a_close_name(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A"),
                         "talks/t.md": "---\ntitle: T\ndate: 2024-01-01\nevnt: Somewhere\n---\n"})
    result = build(content, tmp_path / "out")
    assert result.returncode == 0
    assert f"{content / 'talks' / 't.md'}:4: unknown field 'evnt'; did you mean 'event'?" in result.stderr


@pytest.mark.parametrize("path, text, message", [
    ("posts/p.md", "---\ntitle: P\ndate: soon\n---\n", "3: 'date' must be a date like 2024-05-31 (got 'soon')"),
    ("posts/p.md", "---\ntitle: P\n---\n", "'date' is missing; add 'date: 2024-05-31' to the front matter"),
    ("posts/p.md", "---\ntitle: P\ndate: 2024-01-01\ndraft: maybe\n---\n", "4: 'draft' must be true or false"),
    ("projects/p.md", "---\ntitle: P\norder: first\n---\n", "3: 'order' must be a whole number"),
    ("projects/p.md", "---\ntitle: P\npapers: {a: 1}\n---\n", "3: 'papers' must be a list of paper slugs"),
    ("talks/t.md", "---\ntitle: [a, b]\ndate: 2024-01-01\n---\n", "2: 'title' must be text"),
])
def test_a_wrong_field_is_a_one_line_error_with_file_and_line(make_site, tmp_path, path, text, message):
    content = make_site({"papers/a.md": paper_file("A"), path: text})
    result = build(content, tmp_path / "out")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {content / path}:") and message in lines[0], lines


def test_a_page_cannot_take_the_address_of_a_collection_that_has_items(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A"), "pages/teaching.md": "---\ntitle: Teaching\n---\nx\n",
                         "teaching/c.md": "---\ntitle: C\n---\n"})
    result = build(content, tmp_path / "out")
    assert result.returncode == 1
    assert "pages/teaching.md: a page cannot be named 'teaching' while content/teaching/ has items" in result.stderr


def test_a_bad_source_date_epoch_is_a_clear_error(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A")})
    result = build(content, tmp_path / "out", day="yesterday")
    assert result.returncode == 1
    assert "SOURCE_DATE_EPOCH must be seconds since 1970 (got 'yesterday')" in result.stderr


def test_the_example_site_has_posts_talks_projects_and_teaching(example_output):
    home = html(example_output / "index.html")
    assert texts(home, ".site-nav a") == ["Home", "Publications", "Blog", "Talks", "Projects", "Teaching",
                                          "CV", "News"]
    assert len(html(example_output / "blog" / "index.html").select(".entry")) == 2
    talks = html(example_output / "talks" / "index.html")
    assert len(talks.select(".entry")) == 3 and len(talks.select(".upcoming")) == 1
    assert len(html(example_output / "projects" / "index.html").select(".card")) == 2
    assert html(example_output / "blog" / "neftune-in-a-few-lines" / "index.html").select("pre code")
    paper = html(example_output / "papers" / "spotting-llms-with-binoculars" / "index.html")
    assert paper.select_one(".paper-talks a")["href"] == "../../talks/binoculars-icml-2024/"


@pytest.mark.parametrize("kind, folder, page", [("post", "posts", "blog/a-first-post/"),
                                                ("talk", "talks", "talks/a-first-post/"),
                                                ("project", "projects", "projects/a-first-post/"),
                                                ("teaching", "teaching", "teaching/a-first-post/")])
def test_new_post_talk_project_or_course_lists_its_fields_and_builds(tmp_path, kind, folder, page):
    from site_builder.collection import KIND_BY_FOLDER

    site = tmp_path / "site"
    assert run_cli("init", str(site)).returncode == 0
    result = run_cli("new", kind, "A First Post", cwd=site)
    assert result.returncode == 0, result.stderr
    path = site / "content" / folder / "a-first-post.md"
    text = path.read_text()
    for field in KIND_BY_FOLDER[folder].fields:  # every field is there, explained or commented out
        assert f"\n{field}: " in text or f"\n# {field}: " in text, field
    assert yaml.safe_load(text.split("---\n")[1])["title"] == "A First Post"
    build = run_cli("build", cwd=site)
    assert build.returncode == 0 and build.stderr == "", build.stderr
    assert "A First Post" in (site / "output" / page / "index.html").read_text()
    assert run_cli("new", kind, "a first post", cwd=site).returncode == 1  # never overwrites
