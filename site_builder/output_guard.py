"""Which folders a build may replace: only one that is empty, missing, or written by site-builder.

Every build leaves a marker file in the output folder listing the files it wrote. Before a build
replaces the folder, `claim_output` refuses, deleting nothing, when the folder

- is, holds or lies inside the content folder, or is the project folder (the one holding the
  content folder) or a parent of it, or is the home folder, a parent of it or the root folder,
  or is or lies inside a .git folder;
- holds a .git anywhere;
- holds files that no earlier build listed in its marker (files added by hand).

Only the last refusal can be overridden (`--force`), and it says which files will go. A folder
without a marker that holds files comes from a version of site-builder before the marker, or
from someone else: it is replaced only when it has the pages every build writes and nothing but
files this build writes too (`OutputClaim.confirm`, once the new build is ready).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from site_builder.errors import SiteError

MARKER = ".site-builder-output"
_MARKER_HEADER = "# written by site-builder: the files of the build in this folder; do not edit\n"
# What every build writes (build.py, render.py): an unmarked folder without them is not a build.
_EVERY_BUILD = frozenset(("index.html", "publications/index.html", "publications.bib", "404.html",
                          "feed.xml", "robots.txt"))


@dataclass(frozen=True)
class OutputClaim:
    """Permission to replace one output folder, with what it holds now."""

    path: Path  # absolute, with no symbolic links
    unmarked: frozenset[str]  # files of a folder that has no marker (empty when it has one)
    force: bool

    def confirm(self, new_files: set[str]) -> None:
        """Refuse to replace an unmarked folder unless it is recognisably an earlier build."""
        if self.unmarked and not self.force:
            _refuse_unmarked(self.path, self.unmarked, new_files)


def _refuse_unmarked(path: Path, found: frozenset[str], new_files: set[str] | None) -> None:
    """An unmarked folder is taken for an earlier build only when it holds the pages every build
    writes and (once the new build is known) nothing the new build does not write."""
    if _EVERY_BUILD <= found:
        strangers = sorted(found - new_files) if new_files is not None else []
    else:
        strangers = sorted(found)
    if strangers:
        raise _not_ours(path, strangers, f" and no {MARKER} file")


def _not_ours(path: Path, strangers: list[str], note: str = "") -> SiteError:
    return SiteError(_refusal(path, f"holds {_count(strangers)} that site-builder did not write "
                                    f"({_names(strangers)}){note}; move them away, choose another "
                                    "--output, or pass --force to delete them"))


def claim_output(output: Path, content: Path, force: bool = False) -> OutputClaim:
    """The folder may be replaced, or SiteError says why not. Reads only; writes nothing."""
    path = Path(os.path.realpath(output))
    reason = _forbidden_place(path, content)
    if reason:
        raise SiteError(_refusal(path, reason + "; choose another --output"))
    if output.is_symlink():
        raise SiteError(_refusal(output.absolute(), f"is a symbolic link (to {path}); give the folder "
                                                    "itself as --output"))
    if path.exists() and not path.is_dir():
        raise SiteError(_refusal(path, "exists and is not a folder; move it away or choose another --output"))
    found = files_below(path)
    if any(".git" in Path(name).parts for name in found):
        raise SiteError(_refusal(path, "holds a .git folder (a repository); choose another --output"))
    written = written_files(path)
    strangers = sorted(set(found) - written - {MARKER}) if written is not None else []
    if strangers and not force:
        raise _not_ours(path, strangers)
    unmarked = frozenset(found) if written is None else frozenset()
    if unmarked and not force:
        _refuse_unmarked(path, unmarked, None)  # at once when it cannot be an earlier build
    if force and strangers:
        print(f"warning: --force: replacing {path} deletes {_count(strangers)} site-builder did not "
              f"write: {_names(strangers, 50)}", file=sys.stderr, flush=True)
    elif force and unmarked:
        print(f"warning: --force: replacing {path} (it has no {MARKER} file) deletes the "
              f"{_count(sorted(unmarked))} it holds: {_names(sorted(unmarked), 50)}", file=sys.stderr, flush=True)
    return OutputClaim(path=path, unmarked=unmarked, force=force)


def _forbidden_place(output: Path, content: Path) -> str:
    """Why no build may ever replace this folder ('' when it may); output is a real path."""
    content = Path(os.path.realpath(content))
    project = content.parent
    home = Path(os.path.realpath(os.path.expanduser("~")))
    if output == Path(output.anchor):
        return "is the root folder of the file system"
    if output == home:
        return "is your home folder"
    if home.is_relative_to(output):
        return f"holds your home folder {home}"
    if output == content:
        return "is the content folder"
    if output.is_relative_to(content):
        return f"lies inside the content folder {content}"
    if output == project:
        return f"is the project folder (it holds the content folder {content})"
    if project.is_relative_to(output):
        return f"holds the project folder {project}"
    if ".git" in output.parts:
        return "lies inside a .git folder (a repository's own files)"
    return ""


def files_below(folder: Path) -> list[str]:
    """Every file, symbolic link, .git and other non-folder below folder, relative, in no set
    order (symbolic links to folders are not entered; nothing below a .git is listed)."""
    found: list[str] = []
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, current = pending.pop()
        try:
            with os.scandir(current) as entries:
                for entry in entries:
                    if entry.name != ".git" and entry.is_dir(follow_symlinks=False):
                        pending.append((f"{prefix}{entry.name}/", entry.path))
                    else:
                        found.append(prefix + entry.name)
        except FileNotFoundError:
            continue  # a missing output folder holds nothing
    return found


def written_files(folder: Path) -> set[str] | None:
    """The files the marker lists; None when the folder has no marker."""
    try:
        text = (folder / MARKER).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return set()  # a marker that cannot be read vouches for nothing
    return {line for line in text.splitlines() if line and not line.startswith("#")}


def marker_text(files: set[str]) -> str:
    return _MARKER_HEADER + "".join(f"{name}\n" for name in sorted(files))


def _refusal(path: Path, reason: str) -> str:
    return f"not replacing the output folder {path}: it {reason}"


def _count(names: list[str]) -> str:
    return f"{len(names)} file{'s' if len(names) != 1 else ''}"


def _names(names: list[str], shown: int = 5) -> str:
    listed = ", ".join(names[:shown])
    return listed + (f" and {len(names) - shown} more" if len(names) > shown else "")
