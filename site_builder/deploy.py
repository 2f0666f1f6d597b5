"""`site-builder deploy`: build, check every link, then publish output/ to the gh-pages branch with
ghp-import and push it.

Only the publishing branch changes: ghp-import writes its commit with `git fast-import` straight
into that branch, so the branch you work on, the index and uncommitted files are never touched.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from site_builder.errors import SiteError
from site_builder.output_guard import MARKER


def run_deploy(args: argparse.Namespace) -> int:
    from site_builder.config import load_config

    config = load_config(args.content)
    repo = _repository(args.content)
    remote_url = _remote_url(repo, args.remote)
    if not args.dry_run:
        _check_identity(repo)
    _refuse_checked_out(repo, args.branch)
    _build_and_check(args, config.url)
    message = publish_message(repo, args.message)
    files = sum(1 for p in args.output.rglob("*") if p.is_file() and p.name != MARKER) + 1 + bool(config.cname)
    target = f"branch '{args.branch}' of '{args.remote}' ({remote_url})"
    if args.dry_run:
        print(f"dry run: would publish {files} files from {args.output}/ to {target}, "
              f"{_remote_state(repo, args.remote, args.branch)}")
        print(f"  with .nojekyll{', CNAME ' + config.cname if config.cname else ''}; "
              f"commit message: {message.splitlines()[0]}")
        for missing in _missing_identity(repo):
            print(f"  before publishing: {_identity_advice(missing)}")
        return 0
    existed = _fetch_published(repo, args.remote, args.branch, remote_url)
    with tempfile.TemporaryDirectory(prefix="site-builder-deploy-") as folder:
        site = Path(folder) / "site"  # the output without site-builder's marker file
        shutil.copytree(args.output, site, ignore=lambda d, names: [MARKER] if Path(d) == args.output else [])
        _publish(repo, site, args, message, config.cname)
    print(f"published {files} files to {target}")
    if not existed:
        print(f"first time: in the GitHub repository's Settings -> Pages, choose 'Deploy from a branch' "
              f"and '{args.branch}'")
    if config.url:
        print(f"the site will be at {config.url} in a minute or two")
    return 0


def _refuse_checked_out(repo: Path, branch: str) -> None:
    """Publishing replaces the branch's files with the site: never on the branch HEAD is on (or
    sits at, detached, on its commit), nor on one checked out in another worktree."""
    ref = f"refs/heads/{branch}"
    fix = "switch to the branch with your sources (git switch main) or choose another --branch"
    head_ref = _git(repo, "symbolic-ref", "-q", "HEAD").stdout.strip()
    if head_ref == ref:
        raise SiteError(f"you are on the branch '{branch}' that deploy overwrites; {fix}")
    tip = _git(repo, "rev-parse", "--verify", "-q", f"{ref}^{{commit}}").stdout.strip()
    if not head_ref and tip and _git(repo, "rev-parse", "--verify", "-q", "HEAD").stdout.strip() == tip:
        raise SiteError(f"HEAD is detached at {tip[:12]}, the commit of the branch '{branch}' that deploy "
                        f"overwrites; {fix}")
    folder = ""
    for line in _git(repo, "worktree", "list", "--porcelain").stdout.splitlines():
        folder = line.removeprefix("worktree ") if line.startswith("worktree ") else folder
        if line == f"branch {ref}":
            raise SiteError(f"the branch '{branch}' that deploy overwrites is checked out in {folder}; "
                            "switch that worktree to another branch or choose another --branch")


def _build_and_check(args: argparse.Namespace, site_url: str) -> None:
    """Build into the output folder, then check every link there; broken links stop the deploy."""
    from site_builder.build import build
    from site_builder.check import find_broken_links, print_report
    from site_builder.cli import build_options, print_warnings

    built = build(args.content, args.output, force=args.force, **build_options(args))
    print_warnings(built.warnings)
    print(built.summary())
    links = find_broken_links(args.output, site_url)
    print_report(links)
    if links.broken and not args.force:
        raise SiteError(f"not published: {len(links.broken)} broken links (listed above); fix them, "
                        "or publish anyway with --force")


def publish_message(repo: Path, message: str | None) -> str:
    """The commit message: the user's or a default, always naming the source commit."""
    head = _git(repo, "rev-parse", "--verify", "-q", "HEAD").stdout.strip()
    source = f"Source commit: {head}" if head else "Source: no commit yet"
    if _git(repo, "status", "--porcelain").stdout.strip():
        source += " (with uncommitted changes)"
    first = message or f"Publish site from {head[:12] or 'an uncommitted folder'}"
    return f"{first}\n\n{source}"


def _publish(repo: Path, output: Path, args: argparse.Namespace, message: str, cname: str) -> None:
    import ghp_import

    # ghp-import runs git in the current folder: the repository's top.
    with contextlib.chdir(repo):
        try:
            ghp_import.ghp_import(str(output), mesg=message, remote=args.remote, branch=args.branch,
                                  push=True, nojekyll=True, cname=cname or None)
        except ghp_import.GhpError as exc:
            raise SiteError(f"not published: {exc.message}") from None
        except subprocess.CalledProcessError:
            raise SiteError(f"not published: git push to '{args.remote}' failed (git's message is "
                            "above); check that you may push to that repository") from None


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    except FileNotFoundError:
        raise SiteError("git is not installed; install it (https://git-scm.com/) to deploy") from None


def _repository(content: Path) -> Path:
    found = _git(content, "rev-parse", "--show-toplevel")
    if found.returncode != 0:
        folder = content.absolute().parent
        raise SiteError(f"{folder} is not a git repository; run 'git init' there and add your GitHub "
                        "repository with 'git remote add origin https://github.com/USER/REPO.git'")
    return Path(found.stdout.strip())


def _remote_url(repo: Path, remote: str) -> str:
    found = _git(repo, "remote", "get-url", remote)
    if found.returncode != 0:
        raise SiteError(f"the git repository {repo} has no remote '{remote}'; add it with 'git remote "
                        f"add {remote} https://github.com/USER/REPO.git' or name another with --remote")
    return found.stdout.strip()


def _missing_identity(repo: Path) -> list[str]:
    """The git settings the publishing commit needs that are not set: its name and e-mail, looked
    for where ghp-import looks for them."""
    return [key for key, variable in (("user.name", "GIT_COMMITTER_NAME"), ("user.email", "GIT_COMMITTER_EMAIL"))
            if not (os.environ.get(variable) or _git(repo, "config", key).stdout.strip())]


def _identity_advice(key: str) -> str:
    return f"git does not know who publishes ({key} is not set); run 'git config --global {key} \"...\"' once"


def _check_identity(repo: Path) -> None:
    missing = _missing_identity(repo)
    if missing:
        raise SiteError(_identity_advice(missing[0]))


def _remote_state(repo: Path, remote: str, branch: str) -> str:
    """Whether the branch exists on the remote yet (read-only: git ls-remote)."""
    found = _git(repo, "ls-remote", "--heads", remote, f"refs/heads/{branch}")
    if found.returncode != 0:
        return f"which cannot be reached now ({_last_line(found.stderr)}); a real deploy needs it"
    if found.stdout.strip():
        return f"on top of its commit {found.stdout.split()[0][:12]}"
    return "which does not exist yet and would be created"


def _fetch_published(repo: Path, remote: str, branch: str, remote_url: str) -> bool:
    """Bring the remote's branch up to date locally, so the new commit follows it (and pushes).
    False when the remote has no such branch yet."""
    found = _git(repo, "fetch", "--quiet", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
    if found.returncode == 0:
        return True
    if "couldn't find remote ref" in found.stderr:
        return False
    raise SiteError(f"cannot fetch '{branch}' from '{remote}' ({remote_url}): {_last_line(found.stderr)}")


def _last_line(text: str) -> str:
    lines = [line.removeprefix("fatal: ") for line in text.strip().splitlines()]
    return lines[-1] if lines else "git failed"
