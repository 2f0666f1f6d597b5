"""Sites of a few hundred papers are read on two cores; what a user sees stays as with one:
the same pages, the same warnings in file order, the same one-line error for a broken file."""

from __future__ import annotations

import threading

from conftest import paper_file, run_cli

from site_builder.build import load_site, render_site
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


def test_pages_read_on_two_cores_are_those_read_on_one(make_site):
    content = make_site({})
    write_papers(content, MINIMUM_ITEMS + 1)
    assert threading.active_count() == 1, "the test process itself must be single-threaded to fork"
    two_cores = render_site(*load_site(content))
    waiting = threading.Event()
    other = threading.Thread(target=waiting.wait)
    other.start()  # a process with threads (as the preview server) never forks: one core
    try:
        one_core = render_site(*load_site(content))
    finally:
        waiting.set()
        other.join()
    assert two_cores == one_core
    assert "<em>200</em>" in dict(two_cores)["papers/p0200/index.html"]
