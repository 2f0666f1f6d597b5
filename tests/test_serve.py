"""`site-builder serve`: a real server process on a free loopback port, real files edited on disk,
and Debian's Chromium watching the pages reload by themselves."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser import browser  # noqa: F401  (the fixture is used by name)
from conftest import REPO, paper_file, run_cli, tree_digest

PAPER = "cold-diffusion"  # not a selected paper
SELECTED = "bayesian-model-selection-marginal-likelihood"


class Preview:
    """A running `site-builder serve` and everything it prints (stdout and stderr, in order)."""

    def __init__(self, content: Path, *extra: str):
        self.content = content
        self.output = content.parent / "output"
        self.process = subprocess.Popen(  # run from the site's folder, as a user does
            [sys.executable, "-m", "site_builder", "serve", "--content", content.name,
             "--output", "output", "--port", str(free_port()), *extra],
            cwd=content.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        self.lines: list[str] = []
        self._new_line = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            serving = self.wait_for(r"^serving .* at (http://\S+) ", timeout=60)
        except AssertionError:
            self.interrupt()  # leave no server behind
            raise
        self.url = re.search(r"(http://\S+) ", serving).group(1)
        self.port = int(self.url.rsplit(":", 1)[1].strip("/"))

    def _read(self) -> None:
        for line in self.process.stdout:
            with self._new_line:
                self.lines.append(line.rstrip("\n"))
                self._new_line.notify_all()

    def wait_for(self, pattern: str, timeout: float = 10, start: int = 0) -> str:
        """The first line (from line number `start` on) matching the pattern."""
        deadline = time.monotonic() + timeout
        with self._new_line:
            while True:
                found = next((line for line in self.lines[start:] if re.search(pattern, line)), None)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no line matching {pattern!r}; the server said:\n" +
                                         "\n".join(self.lines))
                self._new_line.wait(min(left, 0.2))

    def interrupt(self) -> int:
        """Ctrl-C; returns the exit code once everything the server printed has been read."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=10)
        self._reader.join(timeout=5)
        self.process.stdout.close()
        return code

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def preview(copy_example):
    server = Preview(copy_example)
    yield server
    if server.process.poll() is None:
        server.interrupt()


@pytest.fixture
def page(browser):  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    # livereload.js announces its connection; wait for it before editing, or the reload is missed.
    page.add_init_script("document.addEventListener('LiveReloadConnect', function () {"
                         " window.liveReloadConnected = true; });")
    yield page
    context.close()


def open_live(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("window.liveReloadConnected === true", timeout=5000)


def set_title(paper: Path, title: str) -> None:
    """Save the paper file with a new title line (the raw line, so it can be broken on purpose)."""
    text = paper.read_text(encoding="utf-8")
    paper.write_text(re.sub(r"(?m)^title: .*$", lambda _: f"title: {title}", text, count=1), encoding="utf-8")


# --- in the browser ---------------------------------------------------------------------------

def test_abstract_toggle_opens(preview, page):
    open_live(page, preview.url + "publications/")
    entry = page.locator(f"article.h-cite#{PAPER}")
    abstract = entry.locator("details.abstract")
    expect(abstract.locator(".p-summary")).to_be_hidden()
    abstract.locator("summary").click()
    expect(abstract.locator(".p-summary")).to_be_visible()
    expect(abstract.locator(".p-summary")).to_contain_text("diffusion")


def test_saving_a_title_reloads_the_open_page_by_itself(preview, page):
    open_live(page, preview.url + f"papers/{PAPER}/")
    set_title(preview.content / "papers" / f"{PAPER}.md", "Warm Diffusion Reloaded")
    expect(page.locator("h1")).to_have_text("Warm Diffusion Reloaded", timeout=2000)
    line = preview.wait_for(r"^rebuilt ")
    assert f"papers/{PAPER}/index.html" in line and "publications/index.html" in line
    # Ctrl-C with a browser still connected stops the server at once, without a traceback.
    assert preview.interrupt() in (0, 130)
    assert preview.lines[-1] == "stopped" and not any("Traceback" in line for line in preview.lines)


def test_a_broken_file_shows_the_error_and_the_fix_brings_the_page_back(preview, page):
    paper = preview.content / "papers" / f"{PAPER}.md"
    open_live(page, preview.url + f"papers/{PAPER}/")
    set_title(paper, "[unclosed")
    overlay = page.locator("#site-builder-error")
    expect(overlay).to_be_visible(timeout=2000)
    # The terminal prints one line naming file, line and problem; the page shows the same line
    # over the last good version of the page.
    terminal = preview.wait_for(rf"^error: content/papers/{PAPER}\.md:\d+: invalid YAML")
    expect(overlay.locator("pre")).to_have_text(terminal.removeprefix("error: "))
    expect(page.locator("h1.p-name")).to_contain_text("Cold Diffusion")
    assert "[unclosed" not in (preview.output / "papers" / PAPER / "index.html").read_text()
    page.wait_for_function("window.liveReloadConnected === true", timeout=5000)
    set_title(paper, "Fixed Diffusion")
    expect(page.locator("h1.p-name")).to_have_text("Fixed Diffusion", timeout=2000)
    expect(overlay).to_have_count(0)


def test_a_template_error_names_the_template_and_its_line(preview, page):
    override = preview.content / "theme" / "templates" / "paper.html"
    open_live(page, preview.url + f"papers/{PAPER}/")
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text('{% extends "theme:paper.html" %}\n{% block main %}{% if %}{% endblock %}\n')
    overlay = page.locator("#site-builder-error")
    expect(overlay).to_contain_text("content/theme/templates/paper.html:2: template syntax error", timeout=3000)
    page.wait_for_function("window.liveReloadConnected === true", timeout=5000)
    override.unlink()
    expect(overlay).to_have_count(0, timeout=3000)
    expect(page.locator("h1.p-name")).to_contain_text("Cold Diffusion")


def test_added_and_deleted_papers_appear_and_disappear(preview, page):
    open_live(page, preview.url + "publications/")
    new = preview.content / "papers" / "a-brand-new-paper.md"
    new.write_text(paper_file("A Brand New Paper", year=2025, authors=("Micah Goldblum",)))
    expect(page.get_by_text("A Brand New Paper")).to_be_visible(timeout=2000)
    assert preview.get("papers/a-brand-new-paper/")[0] == 200
    page.wait_for_function("window.liveReloadConnected === true", timeout=5000)
    new.unlink()
    expect(page.get_by_text("A Brand New Paper")).to_have_count(0, timeout=2000)
    assert not (preview.output / "papers" / "a-brand-new-paper").exists()
    assert preview.get("papers/a-brand-new-paper/")[0] == 404


# --- the server process ------------------------------------------------------------------------

def test_binds_loopback_only_by_default_and_ctrl_c_stops_cleanly(preview):
    assert preview.url.startswith("http://127.0.0.1:")
    assert _listening_addresses(preview.port) == {"127.0.0.1"}
    assert preview.interrupt() in (0, 130)
    assert not any("Traceback" in line for line in preview.lines), preview.lines
    with socket.socket() as again:  # the port is free again
        again.bind(("127.0.0.1", preview.port))


def test_a_taken_port_is_reported_and_the_next_one_used(copy_example):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = Preview(copy_example, "--port", str(port))
        try:
            assert server.wait_for(r"in use") == f"port {port} is in use, so serving on port {server.port} instead"
            assert server.port != port
            assert server.get("")[0] == 200
        finally:
            server.interrupt()


def test_reload_scripts_only_in_served_pages_not_on_disk(preview):
    status, served = preview.get(f"papers/{PAPER}/")
    assert status == 200 and "livereload.js" in served
    on_disk = (preview.output / "papers" / PAPER / "index.html").read_text()
    assert "livereload" not in on_disk and "LiveReloadConnect" not in on_disk
    reload_scripts = re.findall(r"<script[^>]*>(?:\(function\(\)\{|document\.addEventListener\(\"LiveReload).*?"
                                r"</script>", served)
    assert len(reload_scripts) == 2
    for script in reload_scripts:
        served = served.replace(script, "")
    assert served == on_disk  # what is previewed is what `build` writes


def test_a_page_that_missed_the_reload_while_loading_catches_up(preview, page):
    held = []
    page.route("**/livereload.js*", lambda route: held.append(route))  # the page cannot connect yet
    page.goto(preview.url + f"papers/{PAPER}/", wait_until="domcontentloaded")
    start = len(preview.lines)
    set_title(preview.content / "papers" / f"{PAPER}.md", "Changed While Loading")
    preview.wait_for(r"^rebuilt ", start=start)  # the reload went out before the page connected
    expect(page.locator("h1.p-name")).to_contain_text("Cold Diffusion")
    held[0].continue_()  # now it connects, and learns that it missed a rebuild
    page.unroute("**/livereload.js*")
    expect(page.locator("h1.p-name")).to_have_text("Changed While Loading", timeout=2000)


def test_a_burst_of_saves_gives_one_rebuild(preview):
    paper = preview.content / "papers" / f"{PAPER}.md"
    start = len(preview.lines)
    for number in range(5):  # an editor writing the file several times in a row
        set_title(paper, f"Save {number}")
    preview.wait_for(r"^rebuilt ", start=start)
    time.sleep(0.5)
    rebuilds = [line for line in preview.lines[start:] if line.startswith(("rebuilt ", "error"))]
    assert len(rebuilds) == 1, rebuilds
    assert "Save 4<" in (preview.output / "papers" / PAPER / "index.html").read_text()


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on this port, from /proc/net/tcp{,6}."""
    addresses = set()
    if not os.path.exists("/proc/net/tcp"):
        pytest.skip("needs Linux /proc/net/tcp")
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                addresses.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1])
                              if len(address) == 8 else "ipv6:" + address)
    return addresses


# --- partial rebuilds (the same code the server runs, without the server) ----------------------

def _live_site(content: Path):
    from site_builder.incremental import LiveSite

    live = LiveSite(content, content.parent / "output")
    assert live.rebuild().everything
    return live


def assert_same_as_a_full_build(live, fresh: Path) -> None:
    """The preview server's output folder holds exactly what `site-builder build` writes."""
    assert run_cli("build", "--content", str(live.content), "--output", str(fresh),
                   cwd=live.content.parent).returncode == 0
    assert tree_digest(live.output) == tree_digest(fresh)


def _mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_a_paper_edit_rewrites_only_the_pages_that_show_it(copy_example):
    live = _live_site(copy_example)
    before = _mtimes(live.output)
    paper = copy_example / "papers" / f"{PAPER}.md"
    set_title(paper, "Edited Title")
    result = live.rebuild({str(paper.absolute())})
    after = _mtimes(live.output)
    rewritten = {path for path in after if after[path] != before.get(path)}
    assert not result.everything
    # the CV lists every paper too
    assert {f"papers/{PAPER}/index.html", "publications/index.html", "publications.bib", "cv/index.html"} <= rewritten
    assert rewritten == set(result.written)
    assert "index.html" not in rewritten  # not a selected paper: the home page does not show it
    assert not any(p.startswith("papers/") and PAPER not in p for p in rewritten)
    assert not {"teaching/index.html", "assets/style.css"} & rewritten

    selected = copy_example / "papers" / f"{SELECTED}.md"
    set_title(selected, "A Selected Paper, Edited")
    assert "index.html" in live.rebuild({str(selected.absolute())}).written


def test_a_theme_or_config_change_rebuilds_everything(copy_example):
    live = _live_site(copy_example)
    override = copy_example / "theme" / "static" / "assets" / "extra.css"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text("body {}")
    assert live.rebuild({str(override.absolute())}).everything
    assert (live.output / "assets" / "extra.css").exists()
    config = copy_example / "site.yaml"
    config.write_text(config.read_text().replace("title: Micah Goldblum", "title: Renamed Site"))
    assert live.rebuild({str(config.absolute())}).everything
    assert "Renamed Site" in (live.output / f"papers/{PAPER}/index.html").read_text()


def test_partial_rebuilds_give_the_same_files_as_a_full_build(copy_example, tmp_path):
    live = _live_site(copy_example)
    papers = copy_example / "papers"
    set_title(papers / f"{PAPER}.md", "Edited Title")
    set_title(papers / f"{SELECTED}.md", "Edited Selected Title")
    (papers / "neftune.md").unlink()
    (papers / "new-one.md").write_text(paper_file("New One", year=2026, authors=("Micah Goldblum",)))
    changed = [papers / name for name in (f"{PAPER}.md", f"{SELECTED}.md", "neftune.md", "new-one.md")]
    result = live.rebuild({str(p.absolute()) for p in changed})
    assert not result.everything and result.removed == ("papers/neftune",)
    assert_same_as_a_full_build(live, tmp_path / "fresh")


def test_a_failed_rebuild_keeps_the_last_good_site_and_remembers_the_edit(copy_example):
    from site_builder.errors import SiteError

    live = _live_site(copy_example)
    good = tree_digest(live.output)
    broken, other = copy_example / "papers" / f"{PAPER}.md", copy_example / "papers" / "lowkey.md"
    text = broken.read_text()
    broken.write_text(text.replace("year:", "year: [", 1))
    with pytest.raises(SiteError, match=f"{PAPER}.md"):
        live.rebuild({str(broken.absolute())})
    assert tree_digest(live.output) == good
    set_title(other, "Another Edit")  # the broken file is still broken: still an error
    with pytest.raises(SiteError, match=f"{PAPER}.md"):
        live.rebuild({str(other.absolute())})
    broken.write_text(text)
    result = live.rebuild({str(broken.absolute())})  # only the fixed file is reported ...
    assert "papers/lowkey/index.html" in result.written  # ... but the earlier edit is not lost
    assert "Another Edit" in (live.output / "papers" / "lowkey" / "index.html").read_text()


def test_a_bib_file_among_the_papers_is_watched_and_rebuilt(copy_example, tmp_path):
    live = _live_site(copy_example)
    bib = copy_example / "papers" / "more.bib"
    bib.write_text("@article{bibonly2024,\n  title = {A Paper Only in BibTeX},\n"
                   "  author = {Goldblum, Micah},\n  journal = {Journal},\n  year = {2024}\n}\n")
    assert live.is_source(str(bib.absolute()))
    assert not live.is_source(str((copy_example / "papers" / ".more.bib.swp").absolute()))
    live.rebuild({str(bib.absolute())})
    assert "A Paper Only in BibTeX" in (live.output / "publications" / "index.html").read_text()
    assert_same_as_a_full_build(live, tmp_path / "fresh")


def test_an_unknown_template_name_is_reported_with_its_file_and_line(copy_example):
    from site_builder.errors import SiteError

    live = _live_site(copy_example)
    override = copy_example / "theme" / "templates" / "home.html"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text('{% extends "base.html" %}\n{% block main %}\n{% include "nope.html" %}{% endblock %}\n')
    with pytest.raises(SiteError, match=r"theme/templates/home\.html:3: template 'nope\.html' not found"):
        live.rebuild({str(override.absolute())})


BIB_ENTRIES = """@article{bibonly2024,
  title = {A Paper Only in BibTeX},
  author = {Goldblum, Micah},
  journal = {Journal},
  year = {2024}
}
@article{notitle2023,
  author = {Goldblum, Micah},
  year = {2023}
}
"""


def test_a_paper_edit_reuses_what_the_bib_files_gave(copy_example, tmp_path):
    """With .bib files unchanged, a Markdown paper's edit neither re-reads them nor rewrites
    their papers' pages; their warnings are still reported, and editing the .bib is seen."""
    bib = copy_example / "papers" / "more.bib"
    bib.write_text(BIB_ENTRIES)
    live = _live_site(copy_example)
    skipped = [w for w in live.site.warnings if "notitle2023" in w]
    assert len(skipped) == 1
    before = _mtimes(live.output)
    record = next(pub for pub in live.site.publications if pub.slug == "bibonly2024")
    paper = copy_example / "papers" / f"{PAPER}.md"
    set_title(paper, "Edited Title")
    result = live.rebuild({str(paper.absolute())})
    assert not result.everything and f"papers/{PAPER}/index.html" in result.written
    # Not read again: the very same record (so its listing and feed entries are reused too).
    assert any(pub is record for pub in live.site.publications)
    assert "papers/bibonly2024/index.html" not in result.written
    assert _mtimes(live.output)["papers/bibonly2024/index.html"] == before["papers/bibonly2024/index.html"]
    assert [w for w in result.warnings if "notitle2023" in w] == skipped

    bib.write_text(BIB_ENTRIES.replace("A Paper Only in BibTeX", "A Renamed BibTeX Paper"))
    assert "papers/bibonly2024/index.html" in live.rebuild({str(bib.absolute())}).written
    set_title(paper, "Edited Again")
    live.rebuild({str(paper.absolute())})
    assert "A Renamed BibTeX Paper" in (live.output / "publications" / "index.html").read_text()
    assert_same_as_a_full_build(live, tmp_path / "fresh")
