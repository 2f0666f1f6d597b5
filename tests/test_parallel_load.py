"""Sites of a few hundred papers are read on two cores; what a user sees stays as with one:
the same pages, the same warnings in file order, the same one-line error for a broken file."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO, paper_file, run_cli

from site_builder.parallel import MINIMUM_ITEMS


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


# Run in a fresh process: the test process may have threads left by other tests.
COMPARE = """
import sys, threading
from pathlib import Path
from site_builder.build import load_site, render_site
content = Path(sys.argv[1])
assert threading.active_count() == 1
two_cores = render_site(*load_site(content))
waiting = threading.Event()
other = threading.Thread(target=waiting.wait)
other.start()  # a process with threads (as the preview server) never forks: one core
one_core = render_site(*load_site(content))
waiting.set()
other.join()
assert two_cores == one_core, "the pages differ"
assert "<em>200</em>" in dict(two_cores)["papers/p0200/index.html"]
print("same", len(two_cores))
"""


def test_pages_read_on_two_cores_are_those_read_on_one(make_site):
    content = make_site({})
    write_papers(content, MINIMUM_ITEMS + 1)
    result = subprocess.run([sys.executable, "-c", COMPARE, str(content)], capture_output=True, text=True,
                            cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    word, pages = result.stdout.split()
    assert word == "same" and int(pages) > 2 * (MINIMUM_ITEMS + 1)
