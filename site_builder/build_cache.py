"""Skipping a build whose inputs have not changed since the output folder was written.

After a full build, a record goes to the user's cache folder (~/.cache/site-builder/, one file
per output folder): a key made from the content of every input (the content folder, the site's and the
built-in themes, site-builder's own code, the installed packages and Python, and the build's
day, which decides the upcoming talks), the build's
summary, and the size and modification time of every file written. A later build with the same
key, whose output folder still holds exactly those files untouched, has nothing to do. Any doubt
(a changed or extra or missing file, an unreadable input, a broken record) means a full build.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from site_builder.clock import build_day
from site_builder.tree import walk_files

_PACKAGE_DIR = Path(__file__).resolve().parent
_SKIPPED_DIRS = frozenset((".git", "__pycache__"))


def input_keys(content_dir: Path, papers: dict[str, bytes] | None = None) -> tuple[str | None, str | None]:
    """(a digest of everything the build reads, a digest of all of it but the papers: the
    paper files below content/papers/ and the .bib files), from one pass over the inputs;
    (None, None) when an input cannot be read. The second is the content cache's context.
    `papers` receives the bytes of each file below content/papers/ by absolute path, so that
    the build does not read them again."""
    whole, context = hashlib.blake2b(digest_size=20), hashlib.blake2b(digest_size=20)
    for digest in (whole, context):
        digest.update(sys.version.encode())
        digest.update("\0".join(_installed_packages()).encode())
        digest.update(build_day().isoformat().encode())  # which talks are upcoming changes daily
    content = content_dir.absolute()
    papers_dir = os.path.join(content, "papers", "")
    folders = [_PACKAGE_DIR, _PACKAGE_DIR.parent / "themes", content.parent / "themes", content]
    try:
        for folder in folders:
            for digest in (whole, context):
                digest.update(f"\0folder\0{folder}\0".encode())
            for path in walk_files(folder, skip_dir=_SKIPPED_DIRS.__contains__):
                with open(path, "rb") as handle:
                    data = handle.read()
                named = f"\0{path}\0".encode()
                whole.update(named)
                whole.update(data)
                if folder != content or not (path.startswith(papers_dir) or path.endswith(".bib")):
                    context.update(named)
                    context.update(data)
                elif papers is not None and path.startswith(papers_dir):
                    papers[path] = data
    except OSError:  # an unreadable input or a symbolic link loop (SymlinkLoop)
        return None, None
    return whole.hexdigest(), context.hexdigest()


def _installed_packages() -> list[str]:
    """The installed distributions (name and version) on the import path."""
    names: list[str] = []
    for folder in sys.path:
        if folder.endswith("-packages") and os.path.isdir(folder):
            names.extend(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info", ".pth")))
    return sorted(names)


def cache_folder() -> Path:
    """site-builder's folder in the user's cache (nothing is written beside the output)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "site-builder"


def _record_path(output: Path) -> Path:
    """One record per output folder."""
    name = hashlib.blake2b(os.fsencode(output.absolute()), digest_size=16).hexdigest()
    return cache_folder() / f"{name}.json"


def unchanged_build(output: Path, key: str | None) -> dict[str, Any] | None:
    """The recorded summary of the build that made `output`, if its inputs had this key and
    the folder still holds exactly the files it wrote; else None."""
    if key is None:
        return None
    try:
        record = json.loads(_record_path(output).read_text(encoding="utf-8"))
        if record["key"] != key or _output_state(output.absolute()) != record["files"]:
            return None
        return record["summary"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def untouched_build(output: Path) -> dict[str, Any] | None:
    """The record of the build that made `output` when the folder still holds exactly the files
    it wrote, untouched; else None."""
    try:
        record = json.loads(_record_path(output).read_text(encoding="utf-8"))
        return record if _output_state(output.absolute()) == record["files"] else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record_build(output: Path, key: str | None, summary: dict[str, Any], files: dict | None = None) -> None:
    """Remember the build just written (best effort: without a record the next build is full).
    `files`: the output's state as the writer saw it (else the folder is walked)."""
    if key is None:
        return
    path = _record_path(output)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        record = {"key": key, "summary": summary,
                  "files": files if files is not None else _output_state(output.absolute())}
        temporary.write_text(json.dumps(record), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


def _output_state(output: Path) -> dict[str, list[int]]:
    """Relative path -> [size, modification time in ns] of every entry below output."""
    state: dict[str, list[int]] = {}
    pending = [("", str(output))]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append((name + "/", entry.path))
                    name += "/"
                stat = entry.stat(follow_symlinks=False)
                state[name] = [stat.st_size, stat.st_mtime_ns, stat.st_mode]
    return state
