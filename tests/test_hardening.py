"""Bad input is normal input: odd files, huge files, killed builds, hostile text."""

from __future__ import annotations

import os
import random
import resource
import signal
import subprocess
import sys
import time

import pytest
from bs4 import BeautifulSoup

from browser import browser  # noqa: F401  (the fixture is used by name)
from conftest import EXAMPLE_CONTENT, REPO, paper_file, run_cli, tree_digest


def build(content, output):
    return run_cli("build", "--content", str(content), "--output", str(output))


def test_byte_order_mark_is_accepted(make_site, tmp_path):
    content = make_site({"papers/bom.md": "\ufeff" + paper_file("With BOM")})
    assert build(content, tmp_path / "out").returncode == 0
    page = BeautifulSoup((tmp_path / "out" / "papers" / "bom" / "index.html").read_text(), "html5lib")
    assert page.select_one("h1.p-name").get_text() == "With BOM"


def test_unsafe_file_names_become_safe_slugs(make_site, tmp_path):
    content = make_site({"papers/Über Paper (2024).md": paper_file("U"), "papers/a..b.md": paper_file("D"),
                         "papers/论文.md": paper_file("C"), "papers/研究.md": paper_file("R")})
    output = tmp_path / "out"
    result = build(content, output)
    assert result.returncode == 0, result.stderr
    assert (output / "papers" / "uber-paper-2024" / "index.html").exists()
    assert (output / "papers" / "a-b" / "index.html").exists()
    made = sorted(p.name for p in (output / "papers").iterdir() if p.name.startswith("paper-"))
    assert len(made) == 2 and all(name.isascii() for name in made), made
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"], "nothing written beside the output"


def fails_after(content, output, breaking) -> str:
    """Build, break the content with breaking(), build again: the second build fails without a
    traceback and leaves the first build's output as it was. Returns the error output."""
    assert build(content, output).returncode == 0
    before = tree_digest(output)
    breaking()
    result = build(content, output)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert tree_digest(output) == before
    return result.stderr


def test_symlink_loop_is_a_clear_error(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A")})
    error = fails_after(content, tmp_path / "out", lambda: os.symlink(content / "papers", content / "papers" / "loop"))
    assert "loops back" in error


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file without read permission")
def test_unreadable_file_is_a_clear_error(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A")})
    (content / "papers" / "a.md").chmod(0)
    result = build(content, tmp_path / "out")
    assert result.returncode == 1 and "permission denied" in result.stderr


def test_a_broken_symlink_is_a_clear_error(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A")})
    missing = content.parent / "nowhere.md"  # inside the site folder (a link out of it is refused as such)
    error = fails_after(content, tmp_path / "out", lambda: os.symlink(missing, content / "papers" / "b.md"))
    assert "b.md: cannot read the file" in error


# --- symbolic links never carry a file from outside the site into output/ ------------------------

SECRET = "root:x:0:0:a-secret-from-outside-the-site"


@pytest.mark.parametrize("link", ["theme/static/passwd", "theme/templates/paper.html", "files/passwd",
                                  "papers/leak.md", "theme/static/etc"])
def test_a_symlink_out_of_the_site_is_refused_and_nothing_leaks(make_site, tmp_path, link):
    """The target (a valid paper, so that it would build) lives in another temporary folder."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "passwd").write_text(paper_file(SECRET, body=SECRET))
    content = make_site({"papers/a.md": paper_file("A")})
    output = tmp_path / "out"
    target = elsewhere if link.endswith("etc") else elsewhere / "passwd"

    def add_link():
        (content / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, content / link)

    error = fails_after(content, output, add_link)
    assert error.count("\n") == 1 and f"{link}: a symbolic link to {target}, outside the site folder" in error
    assert not any(SECRET in p.read_text(errors="replace") for p in output.rglob("*") if p.is_file())


def test_a_symlink_out_of_the_site_added_while_serving_is_refused(make_site, tmp_path):
    from site_builder.errors import ContentError
    from site_builder.incremental import LiveSite

    (tmp_path / "passwd.md").write_text(paper_file(SECRET, body=SECRET))
    content = make_site({"papers/a.md": paper_file("A")})
    live = LiveSite(content, content.parent / "output")
    live.rebuild()
    before = tree_digest(live.output)
    os.symlink(tmp_path / "passwd.md", content / "papers" / "leak.md")
    with pytest.raises(ContentError, match="leak.md: a symbolic link to .*outside the site folder"):
        live.rebuild({str((content / "papers" / "leak.md").absolute())})
    assert tree_digest(live.output) == before


# --- text nested hundreds of levels deep is one line, not a RecursionError ----------------------

DEEP = "{" * 500 + "x" + "}" * 500


@pytest.mark.parametrize("where, file, text", [
    ("abstract", "papers/a.md", paper_file("A", body=DEEP)),
    ("math in a title", "papers/a.md", paper_file(f"${DEEP}$")),
    ("math in an abstract", "papers/a.md", paper_file("A", body=f"$\\sqrt{DEEP}$")),
    ("nested lists in a page", "pages/cv.md",
     "---\ntitle: CV\n---\n" + "\n".join("    " * i + "- x" for i in range(400)) + "\n"),
])
def test_deep_nesting_is_one_line(make_site, tmp_path, where, file, text):
    content = make_site({"papers/ok.md": paper_file("OK"), "pages/about.md": "---\ntitle: About\n---\nHi.\n"})
    error = fails_after(content, tmp_path / "out", lambda: (content / file).write_text(text))
    assert error.count("\n") == 1 and f"{file}: the text nests too deeply to read" in error, (where, error)


def test_deep_nesting_in_a_bibtex_field_skips_the_entry_with_one_line(make_site, tmp_path):
    entry = f"@article{{deep1, title={{Deep}}, year={{2024}}, author={{Ada Lovelace}}, abstract={{${DEEP}$}}}}\n"
    content = make_site({"papers/ok.md": paper_file("OK"), "refs.bib": entry})
    result = build(content, tmp_path / "out")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "refs.bib:1: entry 'deep1': the text nests too deeply to read" in result.stderr
    assert not (tmp_path / "out" / "papers" / "deep1").exists()


def test_a_nul_byte_in_a_preview_address_is_a_bad_request_without_a_traceback(copy_example):
    from test_serve import Preview
    from test_serve_security import raw_get

    server = Preview(copy_example)
    try:
        for target in ("/%00", "/papers/%00/index.html", "/index.html%00.txt"):
            assert raw_get(server.port, target)[0] == 400, target
        assert raw_get(server.port, "/")[0] == 200, "still serving"
    finally:
        server.interrupt()
    assert not [line for line in server.lines if "Traceback" in line or "Error" in line], server.lines


def test_ten_megabyte_abstract_builds(make_site, tmp_path):
    body = ("A sentence of an abstract that goes on. " * 25 + "\n\n") * 10_000
    assert len(body) > 10_000_000
    content = make_site({"papers/big.md": paper_file("Big", body=body)})
    started = time.perf_counter()
    result = build(content, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert time.perf_counter() - started < 60


def test_killed_build_leaves_the_old_or_the_new_site(copy_example, tmp_path):
    """SIGKILL a build at random moments: output/ is always one complete site, old or new."""
    output = tmp_path / "out"
    assert build(copy_example, output).returncode == 0
    old = tree_digest(output)
    paper = copy_example / "papers" / "neftune.md"
    paper.write_text(paper.read_text().replace("NEFTune:", "NEFTune (edited):"))
    new_output = tmp_path / "reference"
    assert build(copy_example, new_output).returncode == 0
    new = tree_digest(new_output)
    assert new != old
    rng = random.Random(7)
    outcomes = {"old": 0, "new": 0}
    for _ in range(25):
        process = subprocess.Popen([sys.executable, "-m", "site_builder", "build", "--content",
                                    str(copy_example), "--output", str(output)], cwd=REPO,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.4))
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = tree_digest(output)
        assert now in (old, new), "output/ holds a mix of two builds or a partial build"
        outcomes["old" if now == old else "new"] += 1
        if now == new:  # put the old site back so the next kill can land mid-swap again
            paper.write_text(paper.read_text().replace("NEFTune (edited):", "NEFTune:"))
            assert build(copy_example, output).returncode == 0
            paper.write_text(paper.read_text().replace("NEFTune:", "NEFTune (edited):"))
    print(f"25 builds killed at random moments: output was the old site {outcomes['old']} times, "
          f"the new site {outcomes['new']} times, anything else 0 times")
    assert outcomes["old"] > 0
    assert build(copy_example, output).returncode == 0
    assert not [p for p in output.parent.iterdir() if p.name.startswith(".out-")], \
        "staging folders of killed builds are cleaned up by the next build"


def test_many_papers_build(make_site, tmp_path):
    """20,000 papers build (a department-sized site), in well under a minute."""
    content = make_site({})
    papers = content / "papers"
    papers.mkdir()
    for number in range(20_000):
        (papers / f"p{number:05d}.md").write_text(
            paper_file(f"Paper {number}", year=2000 + number % 25, body=f"Abstract {number}."))
    result = build(content, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built 20000 papers")


PAYLOADS = {
    "title": '"<script>window.pwned=1</script><img src=x onerror=window.pwned=2>"',
    "venue": '"<svg onload=window.pwned=3>"',
    "award": '"<b onmouseover=window.pwned=4>x</b>"',
}


def _payload_site(make_site, config_extra=""):
    from conftest import MINIMAL_CONFIG

    body = ('<script>window.pwned=5</script>\n\n<div onclick="window.pwned=6">raw</div>\n\n'
            '[a](javascript:window.pwned=7) [b](data:text/html,<script>1</script>) '
            '[c](vbscript:msgbox) [d](JAVASCRIPT:x) [e](java%0ascript:x) [ok](https://example.org/)\n')
    fields = {k: v for k, v in PAYLOADS.items() if k != "title"}
    paper = paper_file(title=None, authors=('"<iframe src=javascript:window.pwned=8>"', "Ada Lovelace"),
                       body=body, **fields)
    paper = paper.replace("---\n", f"---\ntitle: {PAYLOADS['title']}\n", 1)
    paper = paper.replace("\n---\n", "\nlinks:\n  code: https://example.org/code\n---\n", 1)
    return make_site({"papers/x.md": paper}, config=MINIMAL_CONFIG + config_extra)


def assert_inert(page, url: str) -> None:
    """The page loads with no script run, no dialog, no on* attribute and no javascript:,
    data: or vbscript: link on any element (HTML, SVG or MathML)."""
    dialogs: list[str] = []

    def record(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    page.goto(url)
    page.wait_for_load_state("load")
    page.remove_listener("dialog", record)
    assert dialogs == [], (url, dialogs)
    assert page.evaluate("window.pwned") is None, url
    handlers = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(
        el => [...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name))""")
    assert handlers == [], (url, handlers)
    hrefs = page.evaluate("() => [...document.querySelectorAll('[href],[src]')].map("
                          "el => (el.getAttribute('href') || el.getAttribute('src')).trim().toLowerCase())")
    assert not [h for h in hrefs if h.startswith(("javascript:", "data:", "vbscript:"))], url
    assert page.locator("iframe, svg[onload], img[onerror], img[src=x]").count() == 0, url
    assert page.locator("math [style], math [href]").count() == 0, url


def test_hostile_text_is_inert_in_chromium(make_site, tmp_path, browser):
    """Titles, authors, venues, awards and abstracts full of markup never become markup."""
    content = _payload_site(make_site)
    output = tmp_path / "out"
    result = build(content, output)
    assert result.returncode == 0, result.stderr
    page = browser.new_page()
    try:
        for path in ("publications/index.html", "papers/x/index.html", "index.html"):
            assert_inert(page, (output / path).as_uri())
        page.goto((output / "papers/x/index.html").as_uri())
        assert "<script>window.pwned=1</script>" in page.locator("h1.p-name").inner_text()
        assert "raw" in page.locator(".p-summary").inner_text()
        assert page.locator(".p-summary a[href='https://example.org/']").count() == 1
    finally:
        page.close()


# Markup, a script URL and CSS smuggled through LaTeX math (latex2mathml copies \text{} into
# <mtext> unescaped, \href{} into href and \style{} into style).
MATH_PAYLOADS = (r"$\text{<img src=x onerror=alert(1)>}$", r"$\text{<img/src/onerror=alert(5)>}$",
                 r"$\href{javascript:alert(2)}{x}$",
                 r"$\style{background:url(javascript:alert(3))}{y}$",
                 r"$\text{</mtext></math><script>alert(4)</script>}$")


def test_math_cannot_smuggle_markup_in_chromium(make_site, tmp_path, browser):
    """Math payloads in a Markdown paper's title and abstract, in a .bib entry under content/ and
    in a paper written by `import`: Chromium shows the text, runs nothing, opens no dialog."""
    math = " ".join(MATH_PAYLOADS)
    fields = {"title": "{Math " + math + "}", "abstract": "{Abstract " + math + "}", "year": "2024",
              "author": "{Ada Lovelace}"}
    # each paper its own title: the same title and year would be one paper (issue 14, point 10)
    bib = "".join("@article{%s,\n%s}\n" % (key, ",\n".join(f"  {k} = {v.replace('Math', key)}"
                                                              for k, v in fields.items()))
                  for key in ("frombib", "imported"))
    frombib, imported = bib.split("@article{imported")
    markdown = paper_file(None, body="Abstract " + math).replace("---\n", f"---\ntitle: 'Math {math}'\n", 1)
    content = make_site({"papers/markdown.md": markdown, "refs.bib": frombib})
    (tmp_path / "elsewhere.bib").write_text("@article{imported" + imported)
    result = run_cli("import", str(tmp_path / "elsewhere.bib"), "--into", str(content / "papers"))
    assert result.returncode == 0, result.stderr
    output = tmp_path / "out"
    result = build(content, output)
    assert result.returncode == 0, result.stderr
    papers = sorted((output / "papers").glob("*/index.html"))
    assert len(papers) == 3, papers
    page = browser.new_page()
    try:
        for path in [output / "publications" / "index.html", output / "index.html", *papers]:
            assert_inert(page, path.as_uri())
        for path in papers:
            page.goto(path.as_uri())
            shown = page.locator("h1.p-name math mtext").all_text_contents()
            assert "<img src=x onerror=alert(1)>" in [" ".join(t.split()) for t in shown], (path, shown)
            assert page.locator(".p-summary math").count() == len(MATH_PAYLOADS), path
    finally:
        page.close()


def test_allow_html_opts_in_to_raw_html_for_trusted_sites(make_site, tmp_path):
    content = make_site({"papers/x.md": paper_file("X", body='<span class="mine">trusted</span> text')},
                        config=__import__("conftest").MINIMAL_CONFIG + "allow_html: true\n")
    output = tmp_path / "out"
    assert build(content, output).returncode == 0
    doc = BeautifulSoup((output / "papers" / "x" / "index.html").read_text(), "html5lib")
    assert doc.select_one(".p-summary span.mine").get_text() == "trusted"
    content2 = make_site({"papers/x.md": paper_file("X", body='<span class="mine">trusted</span> text')})
    assert build(content2, tmp_path / "out2").returncode == 0
    doc2 = BeautifulSoup((tmp_path / "out2" / "papers" / "x" / "index.html").read_text(), "html5lib")
    assert doc2.select_one(".p-summary span.mine") is None
    assert '<span class="mine">' in doc2.select_one(".p-summary").get_text()


def laughs(indent: str = "") -> str:
    """A billion laughs: nine YAML anchors, each a list of nine aliases of the one before, so
    that '*i' stands for 9**9 (387 million) strings in a few lines."""
    lines = [f'{indent}a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for before, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{indent}{name}: &{name} [{', '.join([f'*{before}'] * 9)}]")
    return "\n".join(lines) + "\n"


ALIAS_MESSAGE = "YAML anchors and aliases (&name / *name) are not allowed in content files; write the value out"
PAPER_HEAD = "---\nyear: 2024\nauthors: [Ada Lovelace]\nlaughs:\n" + laughs("  ")


@pytest.mark.parametrize("files, config, place", [
    ({"papers/x.md": PAPER_HEAD + "title: *i\n---\nText.\n"}, None, "papers/x.md:13:"),
    ({"papers/x.md": PAPER_HEAD + "title: T\nlinks: {pdf: *i}\n---\nText.\n"}, None, "papers/x.md:13:"),
    ({}, "title: T\nowner: {name: Ada Lovelace}\nlaughs:\n" + laughs("  ") + "profiles: {github: *i}\n",
     "site.yaml:12:"),
    ({"pages/cv.md": "---\ntitle: CV\nsections:\n  education:\n    - school: Somewhere\n      laughs:\n"
      + laughs("        ") + "  positions: [{place: *i}]\n---\nText.\n"}, None, "pages/cv.md:15:"),
], ids=["paper title", "paper link", "site.yaml profile", "nested page mapping"])
def test_a_yaml_alias_bomb_ends_at_once_with_one_line(make_site, tmp_path, files, config, place):
    """A billion-laughs alias in a checked field took 8 GB or a MemoryError traceback: now any
    alias is refused where the file is read, in well under a second of CPU."""
    from conftest import MINIMAL_CONFIG

    content = make_site(files, config=config or MINIMAL_CONFIG)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([sys.executable, "-m", "site_builder", "build", "--content", str(content),
                             "--output", str(tmp_path / "out")], cwd=REPO, capture_output=True, text=True,
                            timeout=60, preexec_fn=_limit_memory)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.stderr.count("\n") == 1, result.stderr[:2000]
    assert place in result.stderr and ALIAS_MESSAGE in result.stderr
    assert cpu < 1.0, f"{cpu:.2f} s of CPU"
    assert not (tmp_path / "out").exists()


def _limit_memory() -> None:
    """1 GB of address space for the build: a bomb then fails in seconds instead of filling RAM."""
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


HUGE = "x" * 1_000_000


@pytest.mark.parametrize("files, config", [
    ({"papers/x.md": paper_file("X", year=f'"{HUGE}"')}, None),
    ({"papers/x.md": paper_file("X", links="{pdf: [" + ", ".join(["1"] * 200_000) + "]}")}, None),
    ({"papers/x.md": paper_file("X", links=f"{{pdf: 'javascript:{HUGE}'}}")}, None),
    ({"papers/x.md": paper_file("X", date=f"'{HUGE}'")}, None),
    ({}, f"title: T\nowner: {{name: Ada}}\nprofiles: {{github: [{', '.join(['1'] * 200_000)}]}}\n"),
    ({}, f"title: T\nowner: {{name: Ada}}\nurl: '{HUGE}'\n? {HUGE}\n: 1\n"),
], ids=["year", "link list", "unsafe link", "date", "profile", "site.yaml url and key"])
def test_a_huge_value_is_quoted_short_in_the_message(make_site, tmp_path, files, config):
    """A message quotes at most about 80 characters of a value, however big the value is."""
    from conftest import MINIMAL_CONFIG

    content = make_site(files, config=config or MINIMAL_CONFIG)
    result = build(content, tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.stderr.count("\n") == 1 and len(result.stderr) < 600 + len(str(content)), result.stderr[:2000]
    assert "…" in result.stderr or "...]" in result.stderr
