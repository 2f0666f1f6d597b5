"""Walking a folder tree with symbolic links followed, in a fixed order, without looping forever."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable


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
