"""Work in processes (site_builder.pool): as many as the CPUs the process may use, chunks handed
out as workers ask, results in the items' order; the same site byte for byte with one process,
with forked workers and with spawned ones (the only way on macOS and Windows), and the same
one-line error for a broken paper."""

from __future__ import annotations

import os

import pytest
from conftest import paper_file, run_cli, tree_digest
from test_parallel_load import write_papers

from site_builder import build_cache
from site_builder.build import build
from site_builder.errors import ContentError
from site_builder.pool import MINIMUM_ITEMS, Workers, available_cpus, map_in_workers, worker_count


def test_the_pool_uses_the_cpus_this_process_may_run_on():
    if hasattr(os, "sched_getaffinity"):
        assert available_cpus() == len(os.sched_getaffinity(0))
    assert worker_count(MINIMUM_ITEMS - 1) == 1  # a small site stays in one process
    assert worker_count(10_000, jobs=1) == 1
    assert worker_count(10_000, jobs=3) == 3
    assert worker_count(10_000) == available_cpus()


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_results_come_back_in_order_whatever_worker_did_them(method):
    items = list(range(-MINIMUM_ITEMS * 2, MINIMUM_ITEMS * 2))
    # abs pickles by name, as a spawned worker needs; ValueError from int() is caught, in order
    assert map_in_workers(abs, items, jobs=Workers(3, method)) == [abs(i) for i in items]
    texts = [str(i) if i % 7 else "x" for i in range(MINIMUM_ITEMS * 2)]
    done = map_in_workers(int, texts, caught=ValueError, jobs=Workers(2, method))
    assert [type(d) for d in done] == [int if t != "x" else ValueError for t in texts]
    assert str(done[0]) == "invalid literal for int() with base 10: 'x'"


@pytest.fixture
def big_site(make_site):
    content = make_site({"pages/cv.md": "---\ntitle: CV\n---\nText.\n"})
    write_papers(content, MINIMUM_ITEMS + 60)
    return content


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_workers_build_the_site_one_process_builds(method, big_site, tmp_path):
    """spawn is forced here on Linux: the path macOS and Windows take, where there is no fork."""
    one = build(big_site, tmp_path / "one", jobs=1, use_cache=False)
    workers = build(big_site, tmp_path / method, jobs=Workers(2, method), use_cache=False)
    assert workers.warnings == one.warnings and workers.files == one.files
    assert tree_digest(tmp_path / method) == tree_digest(tmp_path / "one")
    assert "<em>250</em>" in (tmp_path / method / "papers" / "p0250" / "index.html").read_text()
    # the record of what was written covers the workers' files too: nothing to do the next time
    assert build_cache.untouched_build(tmp_path / method) is not None
    again = build(big_site, tmp_path / method, jobs=Workers(2, method), use_cache=False)
    assert again.seconds < workers.seconds / 3


def test_a_broken_paper_gives_the_same_error_in_every_way(big_site, tmp_path):
    (big_site / "papers" / "p0230.md").write_text(paper_file("Broken", year="twenty"))
    errors = []
    for name, jobs in (("one", 1), ("forked", Workers(2, "fork")), ("spawned", Workers(2, "spawn"))):
        with pytest.raises(ContentError) as raised:
            build(big_site, tmp_path / name, jobs=jobs, use_cache=False)
        errors.append(str(raised.value))
        assert not (tmp_path / name).exists()
    assert errors[0] == errors[1] == errors[2]
    assert errors[0].startswith(f"{big_site / 'papers' / 'p0230.md'}:") and "'year'" in errors[0]


def test_jobs_on_the_command_line(big_site, tmp_path):
    outputs = []
    for jobs in ("1", "2"):
        output = tmp_path / f"out{jobs}"
        result = run_cli("build", "--content", str(big_site), "--output", str(output), "--jobs", jobs,
                         "--no-cache")
        assert result.returncode == 0, result.stderr
        outputs.append(tree_digest(output))
    assert outputs[0] == outputs[1]
    refused = run_cli("build", "--content", str(big_site), "--jobs", "0")
    assert refused.returncode == 2 and "--jobs: must be a whole number of at least 1 (got '0')" in refused.stderr
