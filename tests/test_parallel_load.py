"""Sites of a few hundred papers are read and rendered in worker processes; what a user sees stays as
with one: the same files byte for byte, the same warnings in file order, the same one-line error
for a broken file or template, and the previous site kept when the build fails."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from conftest import REPO, paper_file, run_cli, tree_digest

from site_builder.pool import MINIMUM_ITEMS


def write_papers(content, count):
    papers = content / "papers"
    papers.mkdir()
    for number in range(count):
        (papers / f"p{number:04d}.md").write_text(paper_file(f"Paper {number}", body=f"Abstract *{number}*."))
    return papers


def test_many_papers_give_the_same_warnings_and_errors_as_few(make_site, tmp_path):
    content = make_site({})
    papers = write_papers(content, MINIMUM_ITEMS + 100)
    for name in ("p0010.md", "p0290.md"):  # one in each half
        (papers / name).write_text(paper_file("Odd").replace("title:", "colour: red\ntitle:", 1))
    built = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    warned = [line for line in built.stderr.splitlines() if "unknown field 'colour'" in line]
    assert [line.split("papers/")[1].split(":")[0] for line in warned] == ["p0010.md", "p0290.md"]

    (papers / "p0280.md").write_text(paper_file("Broken", year="twenty"))
    failed = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"))
    assert failed.returncode == 1
    assert failed.stderr.startswith(f"error: {papers / 'p0280.md'}:") and failed.stderr.count("\n") == 1


# Scripts run in a fresh process (the test process may have threads left by other tests).
# both_ways(work) runs work forking, then with a thread alive: a process with threads (as the
# preview server) never forks, so the second run is the one-core one.
BOTH_WAYS = """
import sys, threading
from pathlib import Path

def both_ways(work):
    assert threading.active_count() == 1
    two_cores = work("two")
    waiting = threading.Event()
    other = threading.Thread(target=waiting.wait)
    other.start()
    try:
        return two_cores, work("one")
    finally:
        waiting.set()
        other.join()
"""

COMPARE = BOTH_WAYS + """
from site_builder.build import load_site, render_site
content = Path(sys.argv[1])
two_cores, one_core = both_ways(lambda _: render_site(*load_site(content)))
assert two_cores == one_core, "the pages differ"
assert "<em>200</em>" in dict(two_cores)["papers/p0200/index.html"]
print("same", len(two_cores))
"""


def run_script(script: str, *args, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, timeout=120, **options)


def test_pages_read_on_two_cores_are_those_read_on_one(make_site):
    content = make_site({})
    write_papers(content, MINIMUM_ITEMS + 1)
    result = run_script(COMPARE, content)
    assert result.returncode == 0, result.stderr
    word, pages = result.stdout.split()
    assert word == "same" and int(pages) > 2 * (MINIMUM_ITEMS + 1)


# A whole build, twice: forking, then on one core.
BUILD_BOTH_WAYS = BOTH_WAYS + """
from site_builder.build import build
content, output = Path(sys.argv[1]), Path(sys.argv[2])
two, one = both_ways(lambda name: build(content, output / name))
assert two.warnings == one.warnings, (two.warnings, one.warnings)
print(len(two.warnings))
"""


def bib_entries(count: int) -> str:
    """BibTeX entries, every tenth without a title (skipped with a warning)."""
    return "".join(f"@article{{bib{n:04d},\n" + ("" if n % 10 == 0 else f"  title = {{Entry {n} with $x^2$}},\n")
                   + f"  author = {{Lovelace, Ada and Doe, J.}},\n  journal = {{J}},\n  year = {{{2000 + n % 20}}}\n}}\n"
                   for n in range(count))


def test_a_build_on_two_cores_writes_the_files_a_build_on_one_writes(make_site, tmp_path):
    content = make_site({"pages/cv.md": "---\ntitle: CV\n---\nText.\n",
                         "more.bib": bib_entries(MINIMUM_ITEMS)})
    write_papers(content, MINIMUM_ITEMS + 51)
    result = run_script(BUILD_BOTH_WAYS, content, tmp_path,
                        env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == MINIMUM_ITEMS // 10  # the skipped entries' warnings, in both
    two, one = tree_digest(tmp_path / "two"), tree_digest(tmp_path / "one")
    assert two == one
    papers = MINIMUM_ITEMS + 51 + MINIMUM_ITEMS - MINIMUM_ITEMS // 10
    assert len([path for path in two if path.startswith("papers/")]) == 2 * papers
    sitemap = (tmp_path / "two" / "sitemap.xml").read_text()
    assert sitemap.count("/papers/") == papers  # each paper listed once


def test_a_template_error_in_the_second_half_fails_cleanly(make_site, tmp_path):
    content = make_site({})
    write_papers(content, MINIMUM_ITEMS + 100)
    output = tmp_path / "out"
    assert run_cli("build", "--content", str(content), "--output", str(output)).returncode == 0
    before = tree_digest(output)
    template = content / "theme" / "templates" / "paper.html"
    template.parent.mkdir(parents=True)
    # Only the last paper's page fails: it is rendered by a worker process.
    template.write_text('{% extends "theme:paper.html" %}\n{% block main %}\n'
                        '{% if pub.slug == "p0299" %}{{ no_such_name }}{% endif %}{{ super() }}\n{% endblock %}\n')
    failed = run_cli("build", "--content", str(content), "--output", str(output))
    assert failed.returncode == 1
    assert failed.stderr.count("\n") == 1 and "Traceback" not in failed.stderr
    assert f"{template}:3" in failed.stderr and "no_such_name" in failed.stderr
    assert "papers/p0299/index.html" in failed.stderr
    assert tree_digest(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"]  # no staging folder left


# A parent that forks a worker, which records its pid and waits; the parent waits too.
PARENT_OF_A_SLOW_CHILD = """
import os, sys, time
from site_builder.pool import MINIMUM_ITEMS, map_in_workers
folder, parent = sys.argv[1], os.getpid()
def work(item):
    if os.getpid() != parent:
        with open(os.path.join(folder, f"child-{os.getpid()}"), "w"):
            pass
    time.sleep(60)
    return item
map_in_workers(work, range(MINIMUM_ITEMS), jobs=2)
"""


def test_the_child_dies_with_a_killed_build(tmp_path):
    """A build killed mid-way must not leave its child writing into the abandoned staging folder."""
    parent = subprocess.Popen([sys.executable, "-c", PARENT_OF_A_SLOW_CHILD, str(tmp_path)], cwd=REPO)
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob("child-*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    (marker,) = tmp_path.glob("child-*")
    child = int(marker.name.split("-")[1])
    os.kill(child, 0)  # alive while the parent is
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _running(child), "the child outlived its killed parent"


def _running(pid: int) -> bool:
    """True while the process exists and is not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
