"""The content cache: each paper's record and rendered files kept between builds. A build with it
writes the same site byte for byte as one without it; after an edit it writes only what the edit
touches; a corrupt, foreign or planted cache is ignored and made again; two builds at once leave
a cache both can use; `site-builder clean` removes it and nothing else."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys

import pytest
from conftest import EXAMPLE_CONTENT, REPO, SHARED, paper_file, run_cli, tree_digest

from site_builder.build import build

CORPUS_BIBS = sorted((SHARED / "corpus").glob("*.bib"))


def built(content, output, cache, **options):
    report = build(content, output, jobs=1, cache_dir=cache, **options)
    return report, tree_digest(output)


def check_cache_changes_nothing(content, tmp_path):
    cache = tmp_path / "cache"
    plain, without = built(content, tmp_path / "plain", cache, use_cache=False)
    assert not cache.exists()  # --no-cache leaves it alone
    cold, filled = built(content, tmp_path / "cold", cache)
    assert any(cache.glob("*.pack"))
    warm, from_cache = built(content, tmp_path / "warm", cache)
    assert without == filled == from_cache
    assert plain.warnings == cold.warnings == warm.warnings


def test_the_example_is_the_same_with_and_without_the_cache(tmp_path):
    check_cache_changes_nothing(EXAMPLE_CONTENT, tmp_path)


@pytest.mark.parametrize("bib", CORPUS_BIBS, ids=lambda path: path.name)
def test_each_corpus_bib_file_is_the_same_with_and_without_the_cache(bib, make_site, tmp_path):
    content = make_site({"papers/own-paper.md": paper_file("Own paper", body="Plain *text*.")})
    shutil.copyfile(bib, content / "papers.bib")
    check_cache_changes_nothing(content, tmp_path)


@pytest.fixture
def site_of_papers(make_site):
    content = make_site({"pages/cv.md": "---\ntitle: CV\n---\nText.\n"})
    for number in range(30):
        (content / "papers" / f"p{number:02d}.md").parent.mkdir(exist_ok=True)
        (content / "papers" / f"p{number:02d}.md").write_text(
            paper_file(f"Paper {number}", year=2000 + number, body=f"Abstract {number}."))
    return content


def test_a_build_after_an_edit_renders_only_what_the_edit_touches(site_of_papers, tmp_path, monkeypatch):
    """Only the edited paper's page is rendered again; the others come from the cache. The build
    still writes a whole new folder and swaps it in (a killed build never leaves a mix)."""
    from site_builder.render import Renderer

    output, cache = tmp_path / "out", tmp_path / "cache"
    build(site_of_papers, output, cache_dir=cache, jobs=1)
    (site_of_papers / "papers" / "p07.md").write_text(paper_file("Paper 7, edited", year=2007))
    (site_of_papers / "papers" / "p03.md").unlink()
    rendered = []
    page_of = Renderer.paper
    monkeypatch.setattr(Renderer, "paper", lambda self, pub, *a, **k: rendered.append(pub.slug) or page_of(self, pub, *a, **k))
    report = build(site_of_papers, output, cache_dir=cache, jobs=1)
    assert rendered == ["p07"]
    assert not (output / "papers" / "p03").exists()
    assert "Paper 7, edited" in (output / "papers" / "p07" / "index.html").read_text()
    # the same site as a build from nothing
    monkeypatch.setattr(Renderer, "paper", page_of)
    fresh = build(site_of_papers, tmp_path / "fresh", use_cache=False)
    assert tree_digest(output) == tree_digest(tmp_path / "fresh")
    assert (report.papers, report.files) == (fresh.papers, fresh.files)


def test_a_changed_theme_renders_every_paper_again(site_of_papers, tmp_path):
    output, cache = tmp_path / "out", tmp_path / "cache"
    build(site_of_papers, output, cache_dir=cache)
    override = site_of_papers / "theme" / "templates" / "paper.html"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "theme:paper.html" %}{% block main %}<p>NEW</p>{{ super() }}{% endblock %}')
    build(site_of_papers, output, cache_dir=cache)
    assert all("<p>NEW</p>" in page.read_text() for page in (output / "papers").glob("*/index.html"))


def test_a_theme_of_the_sites_own_may_show_every_paper_on_each_page(site_of_papers, tmp_path):
    override = site_of_papers / "theme" / "templates" / "paper.html"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "theme:paper.html" %}'
                        '{% block main %}<p>{{ site.publications|length }} papers</p>{{ super() }}{% endblock %}')
    output, cache = tmp_path / "out", tmp_path / "cache"
    build(site_of_papers, output, cache_dir=cache)
    (site_of_papers / "papers" / "p03.md").unlink()
    build(site_of_papers, output, cache_dir=cache)
    assert all("<p>29 papers</p>" in page.read_text() for page in (output / "papers").glob("*/index.html"))
    assert tree_digest(output) == built(site_of_papers, tmp_path / "fresh", cache, use_cache=False)[1]


PLANTED = None  # the file the planted pickle would create


class _Planted:
    def __reduce__(self):
        return (os.system, (f"touch {PLANTED}",))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "planted", "wrong shapes"])
def test_a_damaged_cache_is_ignored_and_made_again(damage, site_of_papers, tmp_path):
    global PLANTED
    cache = tmp_path / "cache"
    expected = built(site_of_papers, tmp_path / "first", cache)[1]
    PLANTED = tmp_path / "planted"
    packs = sorted(cache.glob("*.pack"))
    assert len(packs) == 2  # records and pieces; pages' files
    for pack in packs:
        data = pack.read_bytes()
        header = data[:data.index(b"\n", data.index(b"\n") + 1) + 1]
        pack.write_bytes({"garbage": os.urandom(len(data)),
                          "truncated": data[:len(data) // 2],
                          "foreign": b"another program's file\n" + data,
                          "planted": header + pickle.dumps({"x": _Planted()}),
                          "wrong shapes": header + pickle.dumps(
                              {key: ("wrong",) for key in pickle.loads(data[len(header):])})}[damage])
    assert built(site_of_papers, tmp_path / "second", cache)[1] == expected
    assert not PLANTED.exists()  # the planted pickle ran nothing
    if damage != "wrong shapes":  # a well-formed pack stays until packs are merged
        assert not any(pack.exists() for pack in packs)  # the damaged packs are gone
    assert built(site_of_papers, tmp_path / "third", cache)[1] == expected
    assert len(list(cache.glob("*.pack"))) == 2  # unused entries merged away


TWO_AT_ONCE = """
import sys
from pathlib import Path
from site_builder.build import build
content, output, cache = map(Path, sys.argv[1:])
for round in range(3):
    build(content, output / str(round), jobs=1, cache_dir=cache)
"""


def test_two_builds_at_once_leave_a_cache_both_can_use(site_of_papers, tmp_path):
    cache = tmp_path / "cache"
    for number in range(30):  # every round of both builds writes a pack: papers differ each time
        (site_of_papers / "papers" / f"p{number:02d}.md").write_text(paper_file(f"Paper {number}", year=2000))
    expected = built(site_of_papers, tmp_path / "alone", tmp_path / "other-cache", use_cache=False)[1]
    builds = [subprocess.Popen([sys.executable, "-c", TWO_AT_ONCE, str(site_of_papers), str(tmp_path / name),
                                str(cache)], cwd=REPO, stderr=subprocess.PIPE, text=True) for name in "ab"]
    for process in builds:
        assert process.wait(timeout=120) == 0, process.stderr.read()
        process.stderr.close()
    assert not list(cache.glob(".*"))  # no temporary file left
    for name in "ab":
        assert tree_digest(tmp_path / name / "2") == expected
    assert built(site_of_papers, tmp_path / "after", cache)[1] == expected


def test_clean_removes_the_cache_and_nothing_else(site_of_papers, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "notes.txt").write_text("mine")
    result = run_cli("build", "--content", str(site_of_papers), "--output", str(tmp_path / "out"),
                     "--cache", str(cache))
    assert result.returncode == 0, result.stderr
    assert any(cache.glob("*.pack"))
    cleaned = run_cli("clean", "--cache", str(cache))
    assert cleaned.returncode == 0 and "removed the content cache (2 files)" in cleaned.stdout
    assert sorted(p.name for p in cache.iterdir()) == ["notes.txt"]
    assert (tmp_path / "out" / "index.html").exists()
    again = run_cli("clean", "--cache", str(cache))
    assert again.returncode == 0 and "no cache in" in again.stdout
