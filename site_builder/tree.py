"""Walking a folder tree with symbolic links followed, in a fixed order, without looping forever,
and finding the symbolic links in it that lead out of the site."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterator


class SymlinkLoop(OSError):
    """A symbolic link leads back to a folder the walk has already entered."""

    def __init__(self, folder: str):
        super().__init__(f"a symbolic link loops back to {folder}")
        self.folder = folder


def walk_files(folder: Path, skip_dir: Callable[[str], bool]) -> list[str]:
    """Every file below folder (sorted by folder, then name), leaving out folders skip_dir names."""
    if not folder.is_dir():
        return []
    found: list[str] = []
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        stat = os.stat(dirpath)
        if (stat.st_dev, stat.st_ino) in seen:
            raise SymlinkLoop(dirpath)
        seen.add((stat.st_dev, stat.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not skip_dir(d))
        found.extend(os.path.join(dirpath, name) for name in sorted(filenames))
    return found


def links_leaving(folder: Path, allowed: tuple[Path, ...]) -> Iterator[tuple[str, str]]:
    """(link, real target) for each symbolic link below folder, followed into linked folders,
    whose target lies outside every allowed folder (real paths) or inside a .git folder."""
    seen: set[tuple[int, int]] = set()
    pending = [str(folder)]
    while pending:
        current = pending.pop()
        try:
            stat = os.stat(current)
            if (stat.st_dev, stat.st_ino) in seen:
                continue  # a loop: content_files reports it
            seen.add((stat.st_dev, stat.st_ino))
            with os.scandir(current) as entries:
                listed = sorted(entries, key=lambda entry: entry.name)
        except OSError:
            continue  # unreadable: the reader of that folder reports it
        for entry in listed:
            if entry.name == ".git":
                continue
            if entry.is_symlink():
                target = outside_target(entry.path, allowed)
                if target:
                    yield entry.path, target
                    continue
            if entry.is_dir():
                pending.append(entry.path)


def outside_target(link: str, allowed: tuple[Path, ...]) -> str:
    """The real target of a symbolic link when it lies outside every allowed folder (real paths)
    or inside a .git folder in one; '' when it is allowed or `link` is no symbolic link."""
    if not os.path.islink(link):
        return ""
    target = Path(os.path.realpath(link))
    inside = next((a for a in allowed if target.is_relative_to(a)), None)
    if inside is None or ".git" in target.relative_to(inside).parts:
        return str(target)
    return ""
