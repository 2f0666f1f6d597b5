"""The build command: determinism, atomic output, overrides, and one clear line for bad content."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import EXAMPLE_CONTENT, MINIMAL_CONFIG, paper_file, run_cli, tree_digest


def build(content, output):
    return run_cli("build", "--content", str(content), "--output", str(output))


def test_summary_line_and_exit_code(tmp_path):
    result = build(EXAMPLE_CONTENT, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built 62 papers, 21 pages")
    assert result.stdout.count("\n") == 1
    assert result.stdout.rstrip().endswith(" s")


def test_two_builds_are_byte_identical(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    assert build(EXAMPLE_CONTENT, first).returncode == 0
    assert build(EXAMPLE_CONTENT, second).returncode == 0
    assert tree_digest(first) == tree_digest(second)
    assert len(tree_digest(first)) > 62


def test_rebuild_replaces_stale_files(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A"), "papers/b.md": paper_file("B")})
    output = tmp_path / "out"
    assert build(content, output).returncode == 0
    (content / "papers" / "b.md").unlink()
    assert build(content, output).returncode == 0
    assert (output / "papers" / "a" / "index.html").exists()
    assert not (output / "papers" / "b").exists()
    assert not list(output.parent.glob(".out-*")), "no staging folders are left behind"


def test_python_dash_m_works_too(tmp_path):
    assert build(EXAMPLE_CONTENT, tmp_path / "out").returncode == 0


def test_reload_script_and_outside_hosts_absent(tmp_path):
    output = tmp_path / "out"
    build(EXAMPLE_CONTENT, output)
    for page in output.rglob("*.html"):
        html = page.read_text()
        assert "livereload" not in html
        doc = BeautifulSoup(html, "html5lib")
        for tag in doc.select("link[rel~=stylesheet], link[rel~=icon], script[src], img[src], iframe[src]"):
            assert not (tag.get("href") or tag.get("src")).startswith(("http", "//")), page


def test_template_override_is_picked_up_and_can_extend_the_theme(make_site, tmp_path):
    content = make_site({
        "papers/a.md": paper_file("A"),
        "theme/templates/paper.html": """\
            {% extends "theme:paper.html" %}
            {% block main %}<p class="override-mark">overridden</p>{{ super() }}{% endblock %}
        """,
        "theme/static/assets/extra.css": "body{}",
    })
    output = tmp_path / "out"
    result = build(content, output)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((output / "papers" / "a" / "index.html").read_text(), "html5lib")
    assert page.select_one(".override-mark").get_text() == "overridden"
    assert page.select_one("h1.p-name").get_text() == "A"  # the theme's block still renders
    assert (output / "assets" / "extra.css").read_text() == "body{}"
    assert (output / "assets" / "style.css").exists()


def test_static_override_replaces_the_theme_file(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A"), "theme/static/assets/style.css": "/* mine */"})
    build(content, tmp_path / "out")
    assert (tmp_path / "out" / "assets" / "style.css").read_text() == "/* mine */"


BAD_CONTENT = [
    # (files, expected fragments of the one error line)
    ({"papers/bad.md": "---\ntitle: [unclosed\nyear: 2024\n---\n"}, ["papers/bad.md:", "invalid YAML"]),
    ({"papers/bad.md": "---\ntitle: A\nyear: 2024\n"}, ["papers/bad.md:1:", "never closed"]),
    ({"papers/bad.md": "---\ntitle: ''\nyear: 2024\n---\n"}, ["papers/bad.md", "'title' is empty"]),
    ({"papers/bad.md": "---\nyear: 2024\n---\n"}, ["papers/bad.md", "'title' is missing"]),
    ({"papers/bad.md": "---\ntitle: A\n---\n"}, ["papers/bad.md", "'year' is missing"]),
    ({"papers/bad.md": paper_file(year="twenty")}, ["papers/bad.md", "'year' must be a 4-digit year"]),
    ({"papers/bad.md": paper_file(year=24)}, ["papers/bad.md", "4-digit"]),
    ({"papers/bad.md": paper_file(year=2024.5)}, ["papers/bad.md", "(got 2024.5)"]),
    ({"papers/bad.md": paper_file(year=1850)}, ["papers/bad.md", "between 1900 and 2100 (got 1850)"]),
    ({"papers/bad.md": paper_file(links="[a, b]")}, ["papers/bad.md", "'links' must be a mapping"]),
    ({"papers/bad.md": "---\ntitle: A\nyear: 2024\nauthors: Ada Lovelace\n---\n"},
     ["papers/bad.md", "'authors' must be a list"]),
    ({"papers/dup.md": paper_file("A"), "papers/sub/dup.md": paper_file("B")},
     ["duplicate slug 'dup'", "rename one"]),
    ({"papers/bad.md": "---\ntitle: A\ntitle: B\nyear: 2024\n---\n"}, ["papers/bad.md:3:", "appears twice"]),
    ({"papers/bad.md": "---\ntitle: A\nyear: 2024\n\tvenue: X\n---\n"}, ["papers/bad.md", "tab"]),
    ({"papers/bad.md": "---\ntitle: !!python/object/apply:os.system ['true']\nyear: 2024\n---\n"},
     ["papers/bad.md:2:", "not allowed"]),
    ({"papers/bad.md": ""}, ["papers/bad.md", "empty"]),
    ({"papers/bad.md": b"---\ntitle: Caf\xe9\nyear: 2024\n---\n"}, ["papers/bad.md:2:", "not UTF-8"]),
    ({"papers/bad.md": paper_file(links="{pdf: 'javascript:alert(1)'}")}, ["papers/bad.md", "unsafe URL"]),
]


@pytest.mark.parametrize("files, fragments", BAD_CONTENT, ids=[f[1][-1] for f in BAD_CONTENT])
def test_bad_content_gives_one_clear_line_and_keeps_the_previous_site(make_site, tmp_path, files, fragments):
    content = make_site({"papers/good.md": paper_file("Good")})
    output = tmp_path / "out"
    assert build(content, output).returncode == 0
    before = tree_digest(output)
    for relative, text in files.items():
        target = content / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text if isinstance(text, bytes) else text.encode())
    result = build(content, output)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert line.count("\n") == 0, line
    assert line.startswith("error: ")
    for fragment in fragments:
        assert fragment in line
    assert tree_digest(output) == before


def test_debug_flag_shows_the_traceback(make_site, tmp_path):
    content = make_site({"papers/bad.md": "---\ntitle: A\n---\n"})
    result = run_cli("--debug", "build", "--content", str(content), "--output", str(tmp_path / "o"))
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "ContentError" in result.stderr


def test_unknown_field_warns_with_the_closest_name(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A", venu="ICML")})
    result = build(content, tmp_path / "out")
    assert result.returncode == 0
    assert "papers/a.md: unknown field 'venu'; did you mean 'venue'?" in result.stderr


def test_config_problems_are_reported_together(make_site, tmp_path):
    content = make_site({}, config="titel: X\nurl: ftp://x\nowner: {}\n")
    result = build(content, tmp_path / "out")
    assert result.returncode == 1
    line = result.stderr.strip()
    assert "site.yaml" in line
    assert "unknown key 'titel' (did you mean 'title'?)" in line
    assert "'title' is missing" in line
    assert "'url' must start with https://" in line
    assert "'owner.name' is missing" in line


def test_template_error_names_template_and_line(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A"),
                         "theme/templates/paper.html": "{% extends 'base.html' %}\n{% block main %}\n{{ pub.nosuch }\n{% endblock %}\n"})
    result = build(content, tmp_path / "out")
    assert result.returncode == 1
    assert "paper.html:3" in result.stderr and "Traceback" not in result.stderr


def test_undefined_name_in_template_fails_loudly(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A"),
                         "theme/templates/page.html": "x",
                         "theme/templates/paper.html": "{% extends 'base.html' %}\n{% block main %}\n{{ no_such_name }}\n{% endblock %}\n"})
    result = build(content, tmp_path / "out")
    assert result.returncode == 1
    assert "paper.html:3" in result.stderr and "no_such_name" in result.stderr


def test_missing_theme_is_a_clear_error(make_site, tmp_path):
    content = make_site({}, config=MINIMAL_CONFIG + "theme: nosuch\n")
    result = build(content, tmp_path / "out")
    assert result.returncode == 1
    assert "theme 'nosuch' not found" in result.stderr


def test_ordering_by_date_then_order_then_slug(make_site, tmp_path):
    content = make_site({
        "papers/c.md": paper_file("C", order=2),
        "papers/b.md": paper_file("B", order=1),
        "papers/a.md": paper_file("A"),
        "papers/d.md": paper_file("D", date="2024-03-01"),
        "papers/e.md": paper_file("E", date="2024-06-01"),
        "papers/old.md": paper_file("Old", year=2020),
    })
    output = tmp_path / "out"
    assert build(content, output).returncode == 0
    page = BeautifulSoup((output / "publications" / "index.html").read_text(), "html5lib")
    assert [a["id"] for a in page.select("article")] == ["e", "d", "b", "c", "a", "old"]


def test_author_mappings_mark_equal_and_corresponding(make_site, tmp_path):
    authors = ("{name: Ada Lovelace, equal: true}", "{name: B. Babbage, equal: true, url: 'https://b.example'}",
               "{name: C. Person, corresponding: true}")
    content = make_site({"papers/a.md": paper_file("A", authors=authors)})
    output = tmp_path / "out"
    assert build(content, output).returncode == 0
    page = BeautifulSoup((output / "publications" / "index.html").read_text(), "html5lib")
    people = page.select(".p-author")
    assert "me" in people[0]["class"]
    assert people[1].select_one("a")["href"] == "https://b.example"
    assert [p.select_one("sup").get_text() for p in people] == ["*", "*", "†"]
    assert "Equal contribution" in page.select_one(".legend").get_text()
    paper = BeautifulSoup((output / "papers" / "a" / "index.html").read_text(), "html5lib")
    assert paper.select_one(".legend").get_text() == "* Equal contribution · † Corresponding author"


def test_escaping_of_untrusted_text(make_site, tmp_path):
    content = make_site({"papers/x.md": paper_file("<script>alert(1)</script>",
                                                   authors=("<img src=x onerror=alert(1)>",),
                                                   body="<script>alert(2)</script> [a](javascript:alert(3))")})
    output = tmp_path / "out"
    assert build(content, output).returncode == 0
    for page in ("publications/index.html", "papers/x/index.html"):
        doc = BeautifulSoup((output / page).read_text(), "html5lib")
        # JSON-LD is data, never run; the JSON-LD tests check that a title cannot close its element.
        # The one other inline script is the theme's own dark-mode switch; the payload is in none.
        inline = [s.get_text() for s in doc.select("script:not([type='application/ld+json'])") if not s.get("src")]
        assert len(inline) <= 1 and not [text for text in inline if "alert" in text]
        assert not doc.select("img")
        assert not [a for a in doc.select("a[href]") if a["href"].startswith("javascript")]
        assert "<script>alert(1)</script>" in doc.select_one(".p-name").get_text()


def test_readme_example_files_build(make_site, tmp_path):
    """The complete example files in docs/content.md are real: they build, with every field shown."""
    import re

    from conftest import REPO

    readme = (REPO / "docs" / "content.md").read_text()
    config = re.search(r"### `content/site.yaml`\n\n```yaml\n(.*?)```", readme, re.S).group(1)
    paper = re.search(r"### `content/papers/<slug>.md`.*?```markdown\n(.*?)```", readme, re.S).group(1)
    content = make_site({"papers/bayes.md": paper}, config=config)
    output = tmp_path / "out"
    result = build(content, output)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    page = BeautifulSoup((output / "papers" / "bayes" / "index.html").read_text(), "html5lib")
    assert [a.get_text() for a in page.select(".pub-links a")][:4] == ["PDF", "arXiv", "DOI", "Code"]
    assert page.select_one(".award").get_text() == "Outstanding Paper Award"
    assert page.select_one(".p-author.me").get_text(strip=True).startswith("Micah Goldblum")
    assert page.select_one(".pub-authors").get_text().rstrip().endswith("and others")
    home = BeautifulSoup((output / "index.html").read_text(), "html5lib")
    assert home.select_one(".selected-papers #bayes")


@pytest.mark.parametrize("args", [["build", "--no-such-option"], ["nosuch"], ["new", "thing", "x"]])
def test_wrong_command_line_use_exits_2_with_usage(args):
    """(No arguments at all print the overview instead: test_first_steps.py.)"""
    result = run_cli(*args)
    assert result.returncode == 2
    assert "usage: site-builder" in result.stderr and "Traceback" not in result.stderr


def test_an_error_inside_site_builders_own_code_is_named_and_debug_shows_where(make_site, tmp_path):
    # A template hands one of site-builder's functions something it cannot take.
    content = make_site({"papers/a.md": paper_file("A"),
                         "theme/templates/paper.html": "{% extends 'base.html' %}\n{% block main %}\n"
                                                       "{{ metadata.absolute_url(5, config) }}\n{% endblock %}\n"})
    result = build(content, tmp_path / "out")
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    line = result.stderr
    assert "paper.html:3" in line and "papers/a/index.html" in line
    assert "inside site-builder (metadata.py:" in line and "absolute_url" in line and "--debug" in line
    debug = run_cli("--debug", "build", "--content", str(content), "--output", str(tmp_path / "out"))
    assert debug.returncode == 1
    # The original error and where it happened, not only the one-line summary.
    assert "AttributeError" in debug.stderr and "metadata.py" in debug.stderr and "ThemeError" in debug.stderr
