"""Never harm the user: site-builder replaces only an output folder it made, publishes only to a
branch nobody works on, and a file system that refuses a write is one line with the old site kept.

Every destructive case runs inside pytest's temporary folder; the home folder is a temporary
folder given as HOME, and '/' is only put to the guard's decision, never to a build.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import paper_file, run_cli, tree_digest
from test_deploy import git, git_identity, site  # noqa: F401  (fixtures, used by name)

from site_builder.errors import SiteError
from site_builder.output_guard import MARKER, claim_output


def build(content: Path, output: Path | str, *extra: str, cwd: Path | None = None, env: dict | None = None):
    return run_cli("build", "--content", str(content), "--output", str(output), *extra, cwd=cwd, env=env)


def assert_refused(result, folder: Path, reason: str) -> None:
    """Exit 1 and one line that names the folder and the reason; no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert str(folder) in lines[0] and reason in lines[0], lines[0]


@pytest.fixture
def project(make_site) -> Path:
    """A site folder with content/ in it and a few files of the user's own beside it."""
    content = make_site({"papers/a.md": paper_file("A")})
    (content.parent / "notes.txt").write_text("my notes\n")
    (content.parent / "drafts").mkdir()
    (content.parent / "drafts" / "idea.md").write_text("an idea\n")
    return content.parent


@pytest.mark.parametrize("target, reason", [
    ("content", "is the content folder"),
    ("content/papers", "lies inside the content folder"),
    (".", "is the project folder"),
    ("..", "holds the project folder"),
])
def test_the_sources_and_the_project_are_never_an_output_folder(project, target, reason):
    everything = project.parent
    before = tree_digest(everything)
    result = build(project / "content", target, cwd=project)
    assert_refused(result, (project / target).resolve(), reason)
    assert tree_digest(everything) == before
    assert not any(p.name.startswith(".") and "-new-" in p.name for p in everything.rglob("*")), \
        "refused before a staging folder was made"


def test_the_home_folder_is_never_an_output_folder(project, tmp_path):
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / "Documents" / "thesis.tex").write_text("\\documentclass{book}\n")
    (home / ".bashrc").write_text("export EDITOR=vi\n")
    before = tree_digest(home)
    for extra in ((), ("--force",)):
        result = build(project / "content", home, *extra, env={"HOME": str(home), "XDG_CACHE_HOME": ""})
        assert_refused(result, home, "is your home folder")
    assert tree_digest(home) == before


def test_the_root_folder_is_refused_before_anything_is_read(project):
    """Put to the guard only: no build is ever aimed at '/'."""
    for force in (False, True):
        with pytest.raises(SiteError, match="is the root folder of the file system"):
            claim_output(Path("/"), project / "content", force)


def test_an_output_folder_holding_a_repository_is_refused_even_with_force(project):
    output = project / "output"
    assert build(project / "content", output).returncode == 0
    git(output, "init", "-q")
    (output / "mine.txt").write_text("tracked by my own repository\n")
    before = tree_digest(output)
    for extra in ((), ("--force",)):
        assert_refused(build(project / "content", output, *extra), output, "holds a .git folder")
    assert tree_digest(output) == before


def test_files_added_by_hand_stop_the_build_and_force_deletes_only_after_naming_them(project):
    output = project / "output"
    assert build(project / "content", output).returncode == 0
    (output / "CNAME").write_text("www.ada.example\n")
    (output / "papers" / "a" / "slides.pdf").write_bytes(b"%PDF-1.4 my slides")
    before = tree_digest(output)
    result = build(project / "content", output)
    assert_refused(result, output, "holds 2 files that site-builder did not write (CNAME, papers/a/slides.pdf)")
    assert "--force" in result.stderr
    assert tree_digest(output) == before
    forced = build(project / "content", output, "--force")
    assert forced.returncode == 0, forced.stderr
    assert "--force: replacing" in forced.stderr and "CNAME, papers/a/slides.pdf" in forced.stderr
    assert not (output / "CNAME").exists() and (output / "index.html").exists()


def test_a_folder_of_someone_elses_files_is_refused(project):
    docs = project / "docs"
    docs.mkdir()
    (docs / "index.html").write_text("<h1>My hand-written manual</h1>\n")
    (docs / "usage.md").write_text("# Usage\n")
    before = tree_digest(docs)
    result = build(project / "content", docs)
    assert_refused(result, docs, "holds 2 files that site-builder did not write")
    assert tree_digest(docs) == before
    assert sorted(p.name for p in project.iterdir()) == ["content", "docs", "drafts", "notes.txt"], \
        "no staging folder was left beside it"


def test_an_empty_folder_is_filled_and_the_build_marks_it(project):
    output = project / "output"
    output.mkdir()
    assert build(project / "content", output).returncode == 0
    listed = set((output / MARKER).read_text().splitlines()[1:])
    on_disk = {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()}
    assert listed == on_disk - {MARKER}
    assert build(project / "content", output).returncode == 0, "its own earlier build is replaced"


def test_an_earlier_build_without_a_marker_is_recognised_by_its_files(project):
    """Outputs written before the marker existed: replaced when they hold the pages every build
    writes and nothing this build would not write; anything more is refused as usual."""
    output = project / "output"
    assert build(project / "content", output).returncode == 0
    (output / MARKER).unlink()
    assert build(project / "content", output).returncode == 0
    assert (output / MARKER).exists()
    (output / MARKER).unlink()
    (output / "old-notes.txt").write_text("kept\n")
    before = tree_digest(output)
    result = build(project / "content", output)
    assert_refused(result, output, f"(old-notes.txt) and no {MARKER} file")
    assert tree_digest(output) == before


def test_serve_and_deploy_refuse_the_same_folders(project, site, tmp_path):  # noqa: F811
    before = tree_digest(project)
    served = run_cli("serve", "--content", "content", "--output", "content", "--port", "0", cwd=project)
    assert_refused(served, project / "content", "is the content folder")
    assert tree_digest(project) == before
    published = run_cli("deploy", "--output", ".", "--force", cwd=site)
    assert_refused(published, site, "is the project folder")
    assert git(tmp_path / "origin.git", "for-each-ref") == "", "nothing was pushed"


def test_check_reads_the_marker_as_no_page_and_no_broken_link(project):
    from site_builder.check import find_broken_links

    output = project / "output"
    assert build(project / "content", output).returncode == 0
    assert (output / MARKER).is_file()
    report = find_broken_links(output, "https://example.org/lab/")
    assert report.broken == [] and report.pages == len(list(output.rglob("*.html")))
    result = run_cli("check", "--content", "content", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert MARKER not in result.stdout + result.stderr


def test_the_actions_workflow_publishes_no_hidden_file(tmp_path):
    """GitHub's upload-pages-artifact leaves hidden files (the marker) out from v4 on; it cannot
    run here, so the workflow `init` writes is read instead."""
    import yaml

    assert run_cli("init", str(tmp_path / "mysite")).returncode == 0
    workflow = yaml.safe_load((tmp_path / "mysite" / ".github/workflows/pages.yml").read_text())
    upload = next(step["uses"] for step in workflow["jobs"]["build"]["steps"]
                  if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert int(upload.rsplit("@v", 1)[1].split(".")[0]) >= 4, upload


# --- publishing never overwrites the branch you work on -----------------------------------------

def test_deploy_refuses_the_branch_head_is_detached_at(site, tmp_path):  # noqa: F811
    main = git(site, "rev-parse", "main")
    git(site, "checkout", "-q", "--detach", "main")
    result = run_cli("deploy", "--branch", "main", cwd=site)
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1, result.stderr
    assert f"HEAD is detached at {main[:12]}, the commit of the branch 'main'" in result.stderr
    assert git(site, "rev-parse", "main") == main
    assert git(tmp_path / "origin.git", "for-each-ref") == "", "nothing was pushed"
    assert not (site / "output").exists(), "refused before building"


def test_deploy_refuses_a_branch_checked_out_in_another_worktree(site, tmp_path):  # noqa: F811
    git(site, "worktree", "add", "-q", "-b", "pages", str(tmp_path / "elsewhere"))
    pages = git(site, "rev-parse", "pages")
    result = run_cli("deploy", "--branch", "pages", cwd=site)
    assert result.returncode == 1
    assert f"the branch 'pages' that deploy overwrites is checked out in {tmp_path / 'elsewhere'}" in result.stderr
    assert git(site, "rev-parse", "pages") == pages
    assert git(tmp_path / "origin.git", "for-each-ref") == ""


# --- a file system that refuses a write ---------------------------------------------------------

@contextlib.contextmanager
def mounted_tmpfs(point: Path, size: str):
    """A small tmpfs at point (root only); unmounted afterwards whatever happens."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield point
    finally:
        if subprocess.run(["umount", str(point)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(point)], capture_output=True)


def assert_write_refused(result, output: Path, before: dict, problem: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"cannot write the output folder {output}" in result.stderr and problem in result.stderr
    assert tree_digest(output) == before
    assert [p.name for p in output.parent.iterdir()] == [output.name], "no staging folder left"


def test_a_full_disk_is_one_line_and_the_old_site_stays(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A")})
    with mounted_tmpfs(tmp_path / "disk", "512k") as disk:
        output = disk / "output"
        assert build(content, output).returncode == 0
        before = tree_digest(output)
        (content / "papers" / "big.md").write_text(paper_file("Big", body="word " * 400_000))
        assert_write_refused(build(content, output), output, before, "the disk is full")


def test_a_read_only_file_system_is_one_line_and_the_old_site_stays(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A")})
    with mounted_tmpfs(tmp_path / "disk", "4m") as disk:
        output = disk / "output"
        assert build(content, output).returncode == 0
        before = tree_digest(output)
        (content / "papers" / "b.md").write_text(paper_file("B"))
        remounted = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True)
        if remounted.returncode != 0:
            pytest.skip(f"cannot remount the tmpfs read-only: {remounted.stderr.strip()}")
        assert_write_refused(build(content, output), output, before, "the file system is read-only")


def test_a_parent_folder_that_refuses_writes_is_one_line_and_the_old_site_stays(make_site, tmp_path):
    """As root, permissions do not stop a write; an immutable folder (chattr +i) does."""
    content = make_site({"papers/a.md": paper_file("A")})
    parent = tmp_path / "locked"
    output = parent / "output"
    assert build(content, output).returncode == 0
    before = tree_digest(output)
    (content / "papers" / "b.md").write_text(paper_file("B"))
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(parent)]).returncode != 0:
        pytest.skip("cannot make a folder immutable here (chattr +i)")
    try:
        result = build(content, output)
    finally:
        subprocess.run(["chattr", "-i", str(parent)], check=True)
    assert_write_refused(result, output, before, "is the folder or its parent immutable?")
