"""Bad input is normal input: odd files, huge files, killed builds, hostile text."""

from __future__ import annotations

import os
import random
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


def test_hostile_text_is_inert_in_chromium(make_site, tmp_path, browser):
    """Titles, authors, venues, awards and abstracts full of markup never become markup."""
    content = _payload_site(make_site)
    output = tmp_path / "out"
    result = build(content, output)
    assert result.returncode == 0, result.stderr
    page = browser.new_page()
    try:
        for path in ("publications/index.html", "papers/x/index.html", "index.html"):
            page.goto((output / path).as_uri())
            page.wait_for_load_state("load")
            assert page.evaluate("window.pwned") is None, path
            handlers = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(
                el => [...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name))""")
            assert handlers == [], (path, handlers)
            hrefs = page.evaluate("() => [...document.querySelectorAll('[href],[src]')].map("
                                  "el => (el.getAttribute('href') || el.getAttribute('src')).trim().toLowerCase())")
            assert not [h for h in hrefs if h.startswith(("javascript:", "data:", "vbscript:"))], path
            assert page.locator("iframe, svg[onload], img[onerror]").count() == 0
        page.goto((output / "papers/x/index.html").as_uri())
        assert "<script>window.pwned=1</script>" in page.locator("h1.p-name").inner_text()
        assert "raw" in page.locator(".p-summary").inner_text()
        assert page.locator(".p-summary a[href='https://example.org/']").count() == 1
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
