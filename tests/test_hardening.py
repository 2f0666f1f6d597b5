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

from conftest import EXAMPLE_CONTENT, REPO, paper_file, run_cli, tree_digest


def build(content, output):
    return run_cli("build", "--content", str(content), "--output", str(output))


def test_byte_order_mark_is_accepted(make_site, tmp_path):
    content = make_site({"papers/bom.md": "\ufeff" + paper_file("With BOM")})
    assert build(content, tmp_path / "out").returncode == 0
    page = BeautifulSoup((tmp_path / "out" / "papers" / "bom" / "index.html").read_text(), "html5lib")
    assert page.select_one("h1.p-name").get_text() == "With BOM"


def test_unsafe_file_names_become_safe_slugs(make_site, tmp_path):
    content = make_site({"papers/Über Paper (2024).md": paper_file("U"), "papers/a..b.md": paper_file("D")})
    output = tmp_path / "out"
    result = build(content, output)
    assert result.returncode == 0, result.stderr
    assert (output / "papers" / "uber-paper-2024" / "index.html").exists()
    assert (output / "papers" / "a-b" / "index.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"], "nothing written beside the output"


def test_symlink_loop_is_a_clear_error(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A")})
    os.symlink(content / "papers", content / "papers" / "loop")
    result = build(content, tmp_path / "out")
    assert result.returncode == 1
    assert "loops back" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file without read permission")
def test_unreadable_file_is_a_clear_error(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A")})
    (content / "papers" / "a.md").chmod(0)
    result = build(content, tmp_path / "out")
    assert result.returncode == 1 and "permission denied" in result.stderr


def test_a_broken_symlink_is_a_clear_error(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A")})
    os.symlink(tmp_path / "nowhere.md", content / "papers" / "b.md")
    result = build(content, tmp_path / "out")
    assert result.returncode == 1
    assert "b.md: cannot read the file" in result.stderr and "Traceback" not in result.stderr


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
