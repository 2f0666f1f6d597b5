"""Ready to publish: `python -m build` makes an sdist and a wheel that `twine check --strict`
accepts, each holding what it must; the project's own workflows pass GitHub's schema. And the
README's quick start works as written: every command of it, parsed from README.md, runs in order
with the wheel installed into a fresh virtual environment, far from the source tree, and ends in
a built, checked site published to a bare git remote."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from site_builder import __version__


def run(*args, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def schema_check(workflow: Path) -> None:
    """GitHub's workflow schema, as check-jsonschema ships it (no network): the check init's
    workflow gets in test_scaffold.py."""
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                             "vendor.github-workflows", str(workflow)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The sdist and the wheel of this checkout, as `python -m build` makes them for the index."""
    folder = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", folder, REPO, cwd=folder)
    return folder


def test_build_makes_an_sdist_and_a_wheel_that_twine_check_strict_accepts(dist):
    sdist, wheel = dist / f"site_builder-{__version__}.tar.gz", dist / f"site_builder-{__version__}-py3-none-any.whl"
    assert sdist.is_file() and wheel.is_file(), sorted(p.name for p in dist.iterdir())
    result = run(sys.executable, "-m", "twine", "check", "--strict", sdist, wheel, cwd=dist)
    assert result.stdout.count("PASSED") == 2, result.stdout


def test_the_wheel_holds_the_theme_the_skeleton_and_the_metadata(dist):
    wheel = zipfile.ZipFile(next(dist.glob("*.whl")))
    names = set(wheel.namelist())
    theme = {f"site_builder/themes/default/{p.relative_to(REPO / 'themes' / 'default').as_posix()}"
             for p in (REPO / "themes" / "default").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert theme <= names, f"missing from the wheel: {sorted(theme - names)[:5]}"
    for packaged in ("site_builder/skeleton/content/site.yaml", "site_builder/skeleton/gitignore",
                     "site_builder/skeleton/github/workflows/pages.yml", "site_builder/skeleton/requirements.txt",
                     f"site_builder-{__version__}.dist-info/licenses/LICENSE"):
        assert packaged in names, f"{packaged} is missing from the wheel"
    assert not any("__pycache__" in name or name.startswith(("tests/", "content/")) for name in names)
    metadata = wheel.read(f"site_builder-{__version__}.dist-info/METADATA").decode()
    assert "License-Expression: MIT" in metadata
    assert "Classifier: Programming Language :: Python :: 3.11" in metadata
    for label in ("Repository", "Documentation", "Changelog", "Issues"):
        assert re.search(rf"^Project-URL: {label}, https://github\.com/", metadata, re.M), label
    assert re.search(r"^Keywords: .*bibtex", metadata, re.M)


def test_the_sdist_holds_the_tests_the_example_site_and_the_docs(dist):
    with tarfile.open(next(dist.glob("*.tar.gz"))) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    tests = {p.relative_to(REPO).as_posix() for p in (REPO / "tests").glob("*.py")}
    assert tests <= names, f"missing from the sdist: {sorted(tests - names)}"
    papers = {p.relative_to(REPO).as_posix() for p in (REPO / "content" / "papers").glob("*.md")}
    assert len(papers) == 62 and papers <= names
    for kept in ("content/site.yaml", "tests/conftest.py", "themes/default/templates/base.html",
                 "LICENSE", "CHANGELOG.md", "README.md", "docs/commands.md", "pyproject.toml",
                 "tools/minify_theme.py", "site_builder/skeleton/requirements.txt"):
        assert kept in names, f"{kept} is missing from the sdist"
    assert not any("__pycache__" in name or name.startswith(".venv/") for name in names)


def test_the_projects_own_workflows_test_and_publish():
    ci_file, release_file = REPO / ".github/workflows/ci.yml", REPO / ".github/workflows/release.yml"
    schema_check(ci_file)
    schema_check(release_file)
    ci = yaml.safe_load(ci_file.read_text())
    assert set(ci[True]) == {"push", "pull_request"}  # YAML 1.1 reads the key 'on' as True
    test = ci["jobs"]["test"]
    assert test["strategy"]["matrix"]["python-version"] == ["3.11", "3.12", "3.13"]
    assert any(step.get("run", "").startswith("make test") for step in test["steps"])

    release_text = release_file.read_text()
    release = yaml.safe_load(release_text)
    assert release[True]["push"]["tags"] == ["v*"]
    publish = release["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    assert publish["steps"][-1]["uses"].startswith("pypa/gh-action-pypi-publish@")
    assert "password" not in release_text and "secrets." not in release_text, "trusted publishing only"
    build_runs = " ".join(step.get("run", "") for step in release["jobs"]["build"]["steps"])
    assert "python -m build" in build_runs and "twine check --strict" in build_runs


def quick_start_commands() -> list[str]:
    """The lines of the README's quick start block, comments included, in order."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "README.md's quick start has no ```sh block"
    return block.group(1).splitlines()


def shell_commands(line: str) -> list[list[str]]:
    """A shell line's commands, as words: `a x && b 'y z'  # c` -> [[a, x], [b, y z]]."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    for token in lexer:
        if token == "&&":
            commands.append([])
        else:
            commands[-1].append(token)
    return [words for words in commands if words]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_and_stop(command: list[str], cwd: Path, env: dict, page: str) -> None:
    """Start the preview server, wait until it answers with the page, then stop it by its PID."""
    port = free_port()
    server = subprocess.Popen([*command, "--port", str(port)], cwd=cwd, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"serve stopped: {server.stdout.read()}"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/{page}", timeout=5) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "serve did not answer within a minute"
                time.sleep(0.2)
    finally:
        os.kill(server.pid, signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0 and "stopped" in output, output


def test_the_readme_quick_start_runs_in_order_from_the_wheel(dist, tmp_path):
    """Each line of the quick start, in order, as a researcher types it. Only what points outside
    this machine is replaced: the package name by the built wheel (until it is on the index), the
    GitHub URL by a bare repository here, and serve gets a free port and is stopped by its PID."""
    wheel = next(dist.glob("*.whl"))
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    remote = tmp_path / "USER.github.io.git"
    run("git", "init", "-q", "--bare", "-b", "main", remote, cwd=tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", HOME=str(home),
               GIT_CONFIG_GLOBAL=str(home / ".gitconfig"), GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="Ada Lovelace", GIT_AUTHOR_EMAIL="ada@example.org",
               GIT_COMMITTER_NAME="Ada Lovelace", GIT_COMMITTER_EMAIL="ada@example.org")

    cwd, ran = tmp_path, []
    for line in quick_start_commands():
        if line.startswith("# set url:"):
            config = cwd / "content" / "site.yaml"
            config.write_text(config.read_text().replace("url: https://user.github.io/",
                                                         "url: https://ada.github.io/"))
            ran.append("set url")
            continue
        for words in shell_commands(line):
            ran.append(words[0] if words[0] != "site-builder" else f"site-builder {words[1]}")
            if words[0] == "cd":
                cwd = cwd / words[1]
            elif words[0] == "pip":
                assert words[1:] == ["install", "site-builder"], command
                run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", wheel,
                    cwd=cwd, env=env)
            elif words[:2] == ["site-builder", "serve"]:
                serve_and_stop([venv / "bin" / "site-builder", *words[1:]], cwd, env,
                               "papers/the-paper-s-title/")
            else:
                words = [str(remote) if w.startswith("https://github.com/") else w for w in words]
                run(*words, cwd=cwd, env=env)
    assert ran == ["pip", "site-builder init", "cd", "site-builder new", "site-builder serve", "set url",
                   "git", "git", "git", "git", "git", "site-builder deploy"], ran

    site = tmp_path / "mysite"
    where = run(python, "-c", "import site_builder; print(site_builder.__file__)", cwd=tmp_path, env=env)
    assert Path(where.stdout.strip()).is_relative_to(venv), "the installed package is the one used"
    # built and checked (deploy builds, then checks every link before it publishes)
    page = (site / "output" / "papers" / "the-paper-s-title" / "index.html").read_text()
    assert "The Paper&#39;s Title" in page or "The Paper's Title" in page
    assert 'href="https://ada.github.io/papers/the-paper-s-title/"' in page, "the url that was set"
    assert (site / "output" / "assets" / "style.css").read_bytes() == \
        (REPO / "themes" / "default" / "static" / "assets" / "style.css").read_bytes()
    # published: the sources on main (with a valid workflow), the site on gh-pages
    published = run("git", "--git-dir", remote, "ls-tree", "-r", "--name-only", "gh-pages", cwd=tmp_path).stdout
    assert "papers/the-paper-s-title/index.html" in published.splitlines()
    sources = run("git", "--git-dir", remote, "ls-tree", "-r", "--name-only", "main", cwd=tmp_path).stdout
    assert {".github/workflows/pages.yml", "requirements.txt", "content/site.yaml"} <= set(sources.splitlines())
    workflow = tmp_path / "pages.yml"
    workflow.write_text(run("git", "--git-dir", remote, "show", "main:.github/workflows/pages.yml",
                            cwd=tmp_path).stdout)
    schema_check(workflow)
    requirements = run("git", "--git-dir", remote, "show", "main:requirements.txt", cwd=tmp_path).stdout
    assert f"\nsite-builder=={__version__}\n" in requirements
