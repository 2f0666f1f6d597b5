"""`site-builder deploy` with real git: a site repository whose `origin` is a bare repository.
What is published is read back from a clone of the gh-pages branch."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import run_cli


@pytest.fixture(autouse=True)
def git_identity(monkeypatch, tmp_path):
    """Commits work on a fresh machine, and no global git setting of this machine leaks in."""
    for name, value in {"GIT_AUTHOR_NAME": "Ada Lovelace", "GIT_AUTHOR_EMAIL": "ada@example.org",
                        "GIT_COMMITTER_NAME": "Ada Lovelace", "GIT_COMMITTER_EMAIL": "ada@example.org",
                        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"}.items():
        monkeypatch.setenv(name, value)


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture
def site(tmp_path) -> Path:
    """A site made by `init`, committed on main, with a custom domain and a bare `origin`."""
    folder = tmp_path / "mysite"
    assert run_cli("init", str(folder)).returncode == 0
    config = folder / "content" / "site.yaml"
    config.write_text(config.read_text().replace("url: https://user.github.io/", "url: https://www.ada.example/")
                      .replace("# cname: www.example.org", "cname: www.ada.example"))
    git(tmp_path, "init", "-q", "--bare", "-b", "main", "origin.git")
    git(folder, "init", "-q", "-b", "main")
    git(folder, "remote", "add", "origin", str(tmp_path / "origin.git"))
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "My site")
    return folder


def deploy(site: Path, *args: str):
    return run_cli("deploy", *args, cwd=site)


def published(site: Path, tmp_path: Path, name="clone") -> Path:
    clone = tmp_path / name
    git(tmp_path, "clone", "-q", "--branch", "gh-pages", str(tmp_path / "origin.git"), str(clone))
    return clone


def files_of(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts}


def test_deploy_publishes_the_built_site_and_leaves_the_work_alone(site, tmp_path):
    (site / "content" / "pages" / "about.md").write_text("---\ntitle: About\n---\nDraft, not committed.\n")
    (site / "notes.txt").write_text("my untracked notes\n")
    status, head, branch = git(site, "status", "--porcelain"), git(site, "rev-parse", "HEAD"), \
        git(site, "branch", "--show-current")
    result = deploy(site)
    assert result.returncode == 0, result.stderr
    assert "published " in result.stdout and "to branch 'gh-pages' of 'origin'" in result.stdout
    assert "first time: in the GitHub repository's Settings -> Pages" in result.stdout
    assert "the site will be at https://www.ada.example/" in result.stdout
    clone = published(site, tmp_path)
    files = files_of(clone)
    assert {"index.html", ".nojekyll", "CNAME", "papers/example-paper/index.html",
            "assets/style.css"} <= files
    assert (clone / "CNAME").read_text().strip() == "www.ada.example"
    assert not any(f.startswith(("content/", ".github/", "output/")) or f.endswith(".md") for f in files)
    # everything built, and nothing else: not site-builder's marker file in output/
    assert ".site-builder-output" in files_of(site / "output")
    assert files == files_of(site / "output") - {".site-builder-output"} | {".nojekyll", "CNAME"}
    assert "Draft, not committed." in (clone / "index.html").read_text()
    message = git(clone, "log", "-1", "--format=%B")
    assert f"Source commit: {head} (with uncommitted changes)" in message
    # the user's branch, index and working tree are as they were
    assert (git(site, "status", "--porcelain"), git(site, "rev-parse", "HEAD"),
            git(site, "branch", "--show-current")) == (status, head, branch)
    assert (site / "notes.txt").read_text() == "my untracked notes\n"
    assert "Draft, not committed." in (site / "content/pages/about.md").read_text()
    assert git(tmp_path / "origin.git", "branch", "--list") == "gh-pages", "main was not pushed"


def test_a_second_deploy_adds_exactly_one_commit_with_the_change(site, tmp_path):
    assert deploy(site).returncode == 0
    about = site / "content" / "pages" / "about.md"
    about.write_text(about.read_text() + "\nNow at the University of Somewhere.\n")
    git(site, "commit", "-q", "-am", "New job")
    result = deploy(site, "--message", "Announce the new job")
    assert result.returncode == 0, result.stderr
    assert "first time" not in result.stdout
    clone = published(site, tmp_path)
    assert git(clone, "rev-list", "--count", "HEAD") == "2"
    assert git(clone, "log", "-1", "--format=%B").startswith(
        f"Announce the new job\n\nSource commit: {git(site, 'rev-parse', 'HEAD')}")
    changed = git(clone, "diff", "--name-only", "HEAD~1", "HEAD").splitlines()
    assert "index.html" in changed
    assert "Now at the University of Somewhere." in (clone / "index.html").read_text()


def test_dry_run_shows_what_would_be_published_and_writes_nothing_to_git(site, tmp_path):
    refs = git(site, "for-each-ref")
    result = deploy(site, "--dry-run")
    assert result.returncode == 0, result.stderr
    files = len(files_of(site / "output") - {".site-builder-output"}) + 2  # with .nojekyll and CNAME
    assert (f"dry run: would publish {files} files from output/ to branch 'gh-pages' of 'origin' "
            f"({tmp_path / 'origin.git'}), which does not exist yet and would be created") in result.stdout
    assert "CNAME www.ada.example" in result.stdout
    assert git(site, "for-each-ref") == refs
    assert git(tmp_path / "origin.git", "for-each-ref") == ""


def test_a_failed_build_is_never_published(site, tmp_path):
    assert deploy(site).returncode == 0
    before = git(tmp_path / "origin.git", "rev-parse", "gh-pages")
    paper = site / "content" / "papers" / "example-paper.md"
    paper.write_text(paper.read_text().replace("year: 2024", "year: twenty"))
    result = deploy(site)
    assert result.returncode == 1
    assert result.stderr.startswith("error: content/papers/example-paper.md") and "'year'" in result.stderr
    assert "Traceback" not in result.stderr
    assert git(tmp_path / "origin.git", "rev-parse", "gh-pages") == before


def test_a_broken_link_blocks_publishing_unless_forced(site, tmp_path):
    (site / "content" / "pages" / "about.md").write_text("---\ntitle: About\n---\nMy [CV](cv.pdf).\n")
    result = deploy(site)
    assert result.returncode == 1
    assert "index.html: 'cv.pdf' is broken: cv.pdf does not exist" in result.stdout
    assert result.stderr == "error: not published: 1 broken links (listed above); fix them, or publish " \
                            "anyway with --force\n"
    assert git(tmp_path / "origin.git", "for-each-ref") == ""
    assert deploy(site, "--force").returncode == 0
    assert "gh-pages" in git(tmp_path / "origin.git", "branch", "--list")


def test_refusals_name_the_problem_and_the_fix(site, tmp_path):
    missing = deploy(site, "--remote", "upstream")
    assert missing.returncode == 1
    assert missing.stderr == (f"error: the git repository {site} has no remote 'upstream'; add it with "
                              "'git remote add upstream https://github.com/USER/REPO.git' or name another "
                              "with --remote\n")
    plain = tmp_path / "plain"
    assert run_cli("init", str(plain)).returncode == 0
    not_git = deploy(plain)
    assert not_git.returncode == 1
    assert not_git.stderr.startswith(f"error: {plain} is not a git repository; run 'git init'")
    assert not (plain / "output").exists(), "nothing was built for a folder that cannot be published"
    git(site, "switch", "-q", "-c", "gh-pages")
    on_branch = deploy(site)
    assert on_branch.returncode == 1 and "switch to the branch with your sources" in on_branch.stderr


def test_a_publisher_without_a_git_identity_is_told_how_to_set_one(site, tmp_path, monkeypatch):
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name)
    result = deploy(site)
    assert result.returncode == 1
    assert result.stderr == ("error: git does not know who publishes (user.name is not set); run "
                             "'git config --global user.name \"...\"' once\n")
    assert git(tmp_path / "origin.git", "for-each-ref") == ""


def test_an_unreachable_remote_is_reported_and_nothing_is_published(site, tmp_path):
    git(site, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    refs = git(site, "for-each-ref")
    dry = deploy(site, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "which cannot be reached now (" in dry.stdout and "a real deploy needs it" in dry.stdout
    result = deploy(site)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: cannot fetch 'gh-pages' from 'origin' ({tmp_path / 'gone.git'}): ")
    assert result.stderr.count("\n") == 1
    assert git(site, "for-each-ref") == refs


def test_deploys_from_two_clones_follow_each_other_without_force(site, tmp_path):
    git(site, "push", "-q", "origin", "main")
    laptop = tmp_path / "laptop"
    git(tmp_path, "clone", "-q", str(tmp_path / "origin.git"), str(laptop))
    assert deploy(site).returncode == 0
    about = laptop / "content" / "pages" / "about.md"
    about.write_text(about.read_text() + "\nWritten on the laptop.\n")
    git(laptop, "commit", "-q", "-am", "From the laptop")
    from_laptop = deploy(laptop)
    assert from_laptop.returncode == 0, from_laptop.stderr
    assert deploy(site).returncode == 0, "the first clone publishes on top of the laptop's commit"
    clone = published(site, tmp_path)
    assert git(clone, "rev-list", "--count", "HEAD") == "3"
    assert "Written on the laptop." not in (clone / "index.html").read_text()
    assert "Written on the laptop." in git(clone, "show", "HEAD~1:index.html")
