"""Shared fixtures: the example site built once, and small sites written from a dict of files."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLE_CONTENT = REPO / "content"
EXAMPLE_DAY = "1767225600"  # the example is built as on 2026-01-01, so its 2027 talk is upcoming


def need_shared(*parts: str) -> Path:
    """A path under ../shared, or skip with the reason when the checkout has no shared/ beside it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (shared/ is not beside this checkout)")
    return path


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m site_builder ...` as a real process, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "site_builder", *args],
        cwd=cwd or REPO,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def tree_digest(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file: two equal digests mean byte-identical trees."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


MINIMAL_CONFIG = """\
title: Test Site
url: https://example.org/lab/
owner:
  name: Ada Lovelace
  variants: [A. Lovelace]
"""


def paper_file(title="A Paper", year=2024, authors=("Ada Lovelace", "Charles Babbage"), body="An abstract.",
               **fields) -> str:
    lines = ["---", f"title: {title!r}" if title is not None else "", f"year: {year}"]
    if authors is not None:
        lines.append("authors:")
        lines.extend(f"  - {a}" for a in authors)
    for key, value in fields.items():
        lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(line for line in lines if line) + "\n" + body + "\n"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Builds in the tests keep their caches (build records, templates, the content cache of
    every site a test makes) in a temporary folder, not in the user's."""
    if "XDG_CACHE_HOME" not in os.environ:
        os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
        yield
        del os.environ["XDG_CACHE_HOME"]
    else:
        yield


@pytest.fixture
def make_site(tmp_path):
    """Write a site from {relative path: text}; returns the content folder."""

    def make(files: dict[str, str | bytes], config: str = MINIMAL_CONFIG) -> Path:
        content = tmp_path / "site" / "content"
        content.mkdir(parents=True, exist_ok=True)
        all_files = {"site.yaml": config, **files}
        for relative, text in all_files.items():
            target = content / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(textwrap.dedent(text) if relative.endswith(".html") else text,
                                  encoding="utf-8")
        return content

    return make


@pytest.fixture(scope="session")
def example_output(tmp_path_factory) -> Path:
    """The example site in content/, built once for every test that reads it."""
    output = tmp_path_factory.mktemp("example") / "output"
    result = run_cli("build", "--content", str(EXAMPLE_CONTENT), "--output", str(output),
                     env={"SOURCE_DATE_EPOCH": EXAMPLE_DAY})
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture
def copy_example(tmp_path) -> Path:
    """A private copy of the example content folder, safe to edit."""
    target = tmp_path / "site" / "content"
    shutil.copytree(EXAMPLE_CONTENT, target)
    return target


# The trimmed real sites of the shared corpus that `site-builder migrate` reads (test_migrate too).
MIGRATED_KINDS = {
    "al-folio": SHARED / "corpus" / "sites" / "al-folio" / "yang-song__yang-song.github.io",
    "academicpages": SHARED / "corpus" / "sites" / "academicpages" / "PFGimenez__PFGimenez.github.io",
    "hugo-blox": SHARED / "corpus" / "sites" / "hugoblox" / "jfy133__starter-hugo-academic",
}


@pytest.fixture(scope="session")
def migrated_outputs(tmp_path_factory) -> dict[str, Path]:
    """Each corpus site present here, migrated and built once: kind -> output folder."""
    outputs = {}
    for kind, source in MIGRATED_KINDS.items():
        if not source.is_dir():
            continue
        site = tmp_path_factory.mktemp(f"migrated-{kind}")
        result = run_cli("migrate", str(source), "--into", str(site))
        assert result.returncode == 0, result.stderr
        result = run_cli("build", "--content", str(site / "content"), "--output", str(site / "output"))
        assert result.returncode == 0, result.stderr
        outputs[kind] = site / "output"
    if not outputs:
        pytest.skip(f"{SHARED / 'corpus' / 'sites'} is absent: no real site to migrate on this machine")
    return outputs


def migrated_pages(output: Path) -> list[str]:
    """The kinds of page a migrated site has: home, publications, the first paper, post and
    project, and the CV (under the address the old site gave it)."""
    pages = ["", "publications/"]
    for collection in ("papers", "blog", "projects"):
        items = sorted(p.parent.name for p in (output / collection).glob("*/index.html"))
        pages += [f"{collection}/{items[0]}/"] if items else []
    pages += [f"{name}/" for name in ("cv", "curriculum-vitae") if (output / name / "index.html").exists()]
    return pages
