"""`site-builder check` finds every broken internal link, anchor and asset (with the page it is on),
fetches external links only with --external, and the built site works under a sub-path such as
user.github.io/repo/ when served by a real HTTP server."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import pytest

from conftest import EXAMPLE_CONTENT, MINIMAL_CONFIG, paper_file, run_cli
from site_builder.check import find_broken_links


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        self.server.requests.append(self.path)


@pytest.fixture
def serve():
    """serve(folder) -> ('http://127.0.0.1:PORT/', requests): a real HTTP server, stopped after."""
    servers = []

    def start(folder: Path) -> tuple[str, list[str]]:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.requests = []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/", server.requests

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def check(content, *args):
    return run_cli("check", "--content", str(content), *args, cwd=content.parent)


def test_the_example_site_has_no_broken_links():
    result = check(EXAMPLE_CONTENT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("checked ") and result.stdout.rstrip().endswith("no broken links")


def test_each_broken_link_is_reported_with_its_page(make_site):
    content = make_site({
        "papers/a.md": paper_file("A", body="See [the other](/papers/b/) and [a figure](/papers/a/fig.png)."),
        "papers/b.md": paper_file("B", body="Back to [A's abstract](/papers/a/#abstract-nowhere)."),
        "pages/about.md": "---\ntitle: About\n---\n[CV](cv/) · [up and away](../../elsewhere/) · "
                          "[mail](mailto:ada@example.org) · [publications](publications/)\n",
    })
    result = check(content)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[:-1] == [
        "index.html: 'cv/' is broken: cv/index.html does not exist",
        "index.html: '../../elsewhere/' leads above the site's root folder",
        "papers/a/index.html: '../../papers/a/fig.png' is broken: papers/a/fig.png does not exist",
        "papers/b/index.html: '../../papers/a/#abstract-nowhere' is broken: papers/a/index.html has no "
        "element with id 'abstract-nowhere'",
        "publications/index.html: '../papers/a/fig.png' is broken: papers/a/fig.png does not exist",
        "publications/index.html: '../papers/a/#abstract-nowhere' is broken: papers/a/index.html has no "
        "element with id 'abstract-nowhere'",
    ]
    assert lines[-1].startswith("checked ") and lines[-1].endswith(": 6 broken on 4 pages")
    assert not (content.parent / "output").exists(), "check writes nothing into the site folder"


def test_a_link_from_the_server_root_is_caught_for_a_sub_path_site(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A")},
                        config=MINIMAL_CONFIG.replace("https://example.org/lab/", "https://user.github.io/repo/"))
    theme = content / "theme" / "templates"
    theme.mkdir(parents=True)
    (theme / "page.html").write_text('{% extends "theme:page.html" %}{% block main %}'
                                     '<a href="/publications/">all</a><a href="/repo/publications/">ok</a>'
                                     '<img src="https://user.github.io/repo/assets/missing.png" alt="">'
                                     "{{ super() }}{% endblock %}")
    (content / "pages").mkdir()
    (content / "pages" / "cv.md").write_text("---\ntitle: CV\n---\nMy CV.\n")
    result = check(content)
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        "cv/index.html: '/publications/' starts with '/', which breaks when the site lives under "
        "/repo/; make it relative",
        "cv/index.html: 'https://user.github.io/repo/assets/missing.png' is broken: "
        "assets/missing.png does not exist",
    ]


def test_assets_named_in_a_stylesheet_are_checked(make_site):
    content = make_site({"papers/a.md": paper_file("A"),
                         "theme/static/assets/fonts/body.woff2": b"wOF2",
                         "theme/static/assets/extra.css": "@font-face{src:url('fonts/body.woff2')}\n"
                                                          "body{background:url(../img/paper.png)}\n"})
    result = check(content)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == \
        "assets/extra.css: '../img/paper.png' is broken: img/paper.png does not exist"


def test_site_urls_in_xml_robots_and_json_ld_are_checked(make_site):
    site = "https://example.org/lab/"
    content = make_site({
        "papers/a.md": paper_file("A"),
        "theme/static/extra-sitemap.xml": f"<urlset><url><loc>{site}papers/a/</loc></url>"
                                          f"<url><loc>{site}papers/gone/</loc></url></urlset>",
        "theme/templates/page.html": '{% extends "theme:page.html" %}{% block main %}'
                                     '<script type="application/ld+json">{"@type": "Thing", "url": '
                                     f'"{site}nowhere/", "sameAs": ["{site}papers/a/"]}}</script>'
                                     "{{ super() }}{% endblock %}",
        "pages/cv.md": "---\ntitle: CV\n---\nMy CV.\n",
    })
    result = check(content)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"cv/index.html: '{site}nowhere/' is broken: nowhere/index.html does not exist" in lines
    assert f"extra-sitemap.xml: '{site}papers/gone/' is broken: papers/gone/index.html does not exist" in lines
    assert not any(f"'{site}papers/a/'" in line for line in lines)


def test_the_sitemap_named_in_robots_txt_must_exist(tmp_path):
    (tmp_path / "index.html").write_text("<!DOCTYPE html><title>x</title><p>Home</p>")
    (tmp_path / "robots.txt").write_text("User-agent: *\nAllow: /\nSitemap: https://a.example/lab/sitemap.xml\n")
    report = find_broken_links(tmp_path, "https://a.example/lab/")
    assert [str(b) for b in report.broken] == [
        "robots.txt: 'https://a.example/lab/sitemap.xml' is broken: sitemap.xml does not exist"]
    (tmp_path / "sitemap.xml").write_text("<urlset><url><loc>https://a.example/lab/</loc></url></urlset>")
    assert find_broken_links(tmp_path, "https://a.example/lab/").broken == []


def test_bad_content_is_one_line_and_nothing_is_checked(make_site):
    content = make_site({"papers/a.md": paper_file("A", year="twenty")})
    result = check(content)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "a.md" in result.stderr and "year" in result.stderr
    assert result.stdout == ""


def test_external_links_are_fetched_only_when_asked(make_site, tmp_path, serve):
    remote = tmp_path / "remote"
    remote.mkdir()
    (remote / "paper.pdf").write_bytes(b"%PDF-1.4")
    base, requests = serve(remote)
    content = make_site({"papers/a.md": paper_file(
        "A", links=f"{{pdf: '{base}paper.pdf', code: '{base}missing/'}}")})
    quiet = check(content)
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert requests == [], "without --external no request leaves the machine"
    fetched = check(content, "--external")
    assert fetched.returncode == 1
    broken = [line for line in fetched.stdout.splitlines() if "broken on" not in line]
    assert broken == [f"papers/a/index.html: '{base}missing/' answers HTTP 404",
                      f"publications/index.html: '{base}missing/' answers HTTP 404"]
    assert "/paper.pdf" in requests


def _internal_urls(page_url: str, html: bytes, server: str, site_url: str) -> set[str]:
    """Every URL on the page that leads into the served site, made absolute as a browser does."""
    doc = lxml.html.fromstring(html)
    doc.make_links_absolute(page_url, resolve_base_href=True)
    urls = {link for _, _, link, _ in doc.iterlinks()}
    urls |= {v for v in doc.xpath("//meta/@content") if v.startswith(site_url)}
    return {_served(url, server, site_url) for url in urls
            if url.startswith((server, site_url)) or urlsplit(url).hostname == "127.0.0.1"}


def _served(url: str, server: str, site_url: str) -> str:
    """The site's own absolute URLs (canonical, feed, sitemap) mapped onto the test server."""
    prefix = urlsplit(site_url).path.lstrip("/")
    return server + prefix + url[len(site_url):] if url.startswith(site_url) else url.split("#")[0]


@pytest.mark.parametrize("site_url, prefix", [("https://user.github.io/repo/", "repo/"),
                                                ("https://user.github.io/", "")])
def test_every_internal_link_answers_200_when_served_where_the_url_says(copy_example, tmp_path, serve,
                                                                       site_url, prefix):
    config = copy_example / "site.yaml"
    config.write_text(config.read_text().replace("https://example.github.io/site/", site_url))
    output = tmp_path / "output"
    assert run_cli("build", "--content", str(copy_example), "--output", str(output)).returncode == 0
    root = tmp_path / "www"
    shutil.copytree(output, root / prefix if prefix else root)
    server, _ = serve(root)
    to_fetch: set[str] = set()
    pages = sorted(output.rglob("*.html"))
    for page in pages:
        relative = page.relative_to(output).as_posix()
        url = server + prefix + relative.removesuffix("index.html")
        if relative == "404.html":  # GitHub Pages serves it at any missing address
            url = server + prefix + "no/such/page/"
        to_fetch |= _internal_urls(url, page.read_bytes(), server, site_url)
    for name in ("sitemap.xml", "feed.xml"):
        if (output / name).exists():
            tree = lxml.etree.parse(str(output / name))
            values = [v for e in tree.iter() for v in (*e.attrib.values(), (e.text or "").strip())]
            to_fetch |= {_served(v, server, site_url) for v in values if v.startswith(site_url)}
    assert len(to_fetch) > len(pages), "the crawl found the site's links"
    failures = {}
    for url in sorted(to_fetch):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
            exc.close()
        if status != 200:
            failures[url] = status
    assert failures == {}
    assert all(urlsplit(url).path.startswith("/" + prefix) for url in to_fetch)
