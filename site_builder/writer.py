"""Atomic output: the new site is written into a temporary folder beside the output
folder and then swapped in, so the output folder always holds one complete build. Only a folder
that output_guard has claimed is replaced, and every build leaves its marker listing the files
it wrote. A file system that refuses a write (full, read-only, no permission) is one line."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from site_builder.errors import SiteError
from site_builder.output_guard import MARKER, OutputClaim, marker_text, written_files

_RENAME_EXCHANGE = 2  # Linux renameat2 flag: swap two paths in one step


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically where the OS can (Linux); False where it cannot."""
    import ctypes  # here, not at the top: a first build does not need it

    try:  # this process's own symbols hold the C library's (ctypes.util.find_library runs ldconfig)
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):  # no renameat2 (macOS), no CDLL(None) (Windows)
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def write_site(claim: OutputClaim, pages: Iterable[tuple[str, str | bytes]], static: dict[str, Path]) -> int:
    """Write every page and static file into a fresh folder, then swap it in. Returns the file count."""
    with staged(claim) as folder:
        count = folder.copy_static(static)
        for relative, content in pages:
            folder.write(relative, content)
            count += 1
    return count


class Staging:
    """The folder a new build is written into, beside the output folder. It is new and only
    this build writes into it, so a file is created without looking first, and a folder is
    made once (thousands of pages: each saved system call counts)."""

    def __init__(self, path: Path, output: Path):
        self.path = path
        self.output = output
        self.final_state: dict[str, list[int]] = {}  # see staged()
        self._root = str(path)
        self._made: set[str] = {self._root}
        self._files: dict[str, list[int]] = {}  # what build_cache records of each file written

    def copy_static(self, static: dict[str, Path]) -> int:
        with _write_errors(self.output):
            for relative, source in static.items():
                target = self._target(relative)
                shutil.copyfile(source, target)
                self._note(relative, os.stat(target))
        return len(static)

    def write(self, relative: str, content: str | bytes) -> list[int]:
        """Write one file; returns what build_cache records of it (see state)."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        with _write_errors(self.output):
            handle = os.open(self._target(relative), os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _O_BINARY, 0o666)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(handle, view):]
                return self._note(relative, os.fstat(handle))
            finally:
                os.close(handle)

    def _note(self, relative: str, stat: os.stat_result) -> list[int]:
        note = self._files[relative] = [stat.st_size, stat.st_mtime_ns, stat.st_mode]
        return note

    def noted(self, notes: dict[str, list[int]]) -> None:
        """Take what write() returned in another process (a worker's) for the files it wrote."""
        self._files.update(notes)

    def written(self) -> list[str]:
        """Every file written so far, relative, whichever process wrote it."""
        return list(self._files)

    def state(self) -> dict[str, list[int]]:
        """Relative path -> [size, modification time, mode] of every file and folder written,
        as build_cache records them, without walking the folder again."""
        state = dict(self._files)
        folders = {relative[:end + 1] for relative in self._files
                   for end in range(len(relative)) if relative[end] == "/"}
        for folder in folders:
            stat = os.lstat(os.path.join(self._root, folder))
            state[folder] = [stat.st_size, stat.st_mtime_ns, stat.st_mode]
        return state

    def _target(self, relative: str) -> str:
        """The file's path in the staging folder, its folder made; never outside the folder."""
        parts = relative.split("/")
        if relative.startswith(("/", "\\")) or "" in parts or "." in parts or ".." in parts or "\\" in relative:
            _inside(self.path, relative)  # refuses what leaves the folder
            target = os.path.normpath(os.path.join(self._root, relative))
        else:
            target = os.path.join(self._root, *parts)
        parent = os.path.dirname(target)
        if parent not in self._made:
            try:
                os.mkdir(parent)  # its own parent is usually made already (papers/ for papers/x/)
            except FileNotFoundError:
                os.makedirs(parent, exist_ok=True)
            except FileExistsError:
                pass
            self._made.add(parent)
        return target


_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


@contextmanager
def staged(claim: OutputClaim) -> Iterator[Staging]:
    """A fresh staging folder, swapped in for the claimed output folder when the block ends
    without an exception and deleted when it does not, leaving the output folder as it was."""
    output = claim.path
    with _write_errors(output):
        output.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(output)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-{os.getpid()}-", dir=output.parent))
        staging.chmod(0o755)
    try:
        folder = Staging(staging, output)
        yield folder
        written = set(folder.written())  # workers' files included (noted)
        folder.write(MARKER, marker_text(written))
        claim.confirm(written)
        folder.final_state = folder.state()  # for the build record, before the folder moves
        with _write_errors(output):
            _swap_in(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


_FIXES = {
    errno.ENOSPC: "the disk is full; free some space and build again",
    errno.EDQUOT: "the disk quota is used up; free some space and build again",
    errno.EROFS: "the file system is read-only; choose another --output",
    errno.EACCES: "permission denied; check the folder's permissions or choose another --output",
    errno.EPERM: "the operation is not permitted (is the folder or its parent immutable?); "
                 "choose another --output",
}


@contextmanager
def _write_errors(output: Path) -> Iterator[None]:
    """An OSError while writing the output becomes one line naming the folder, cause and fix."""
    try:
        yield
    except OSError as exc:
        problem = _FIXES.get(exc.errno, f"{exc.strerror or exc}; check the folder and build again")
        where = exc.filename or output
        raise SiteError(f"cannot write the output folder {output} ({where}): {problem}") from exc


def _remove_abandoned(output: Path) -> None:
    """Delete staging folders left by builds that were killed (their process is gone)."""
    for leftover in output.parent.glob(f".{output.name}-[no][el][wd]-*"):
        pid = leftover.name.split("-")[-2] if leftover.name.count("-") >= 3 else ""
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def update_files(output: Path, pages: Iterable[tuple[str, str | bytes]]) -> list[str]:
    """Replace the files whose content differs from what is on disk, each in one atomic rename
    (for the preview server's small rebuilds). Returns the paths written."""
    output = output.absolute()
    written: list[str] = []
    made: set[Path] = set()
    with _write_errors(output):
        for relative, content in pages:
            _replace_file(output, relative, content, written, made)
        _relist(output, added=written)
    return written


def _relist(output: Path, added: Iterable[str] = (), removed: Iterable[str] = ()) -> None:
    """Keep the marker's list exact after files were added or folders removed in place."""
    listed = written_files(output)
    if listed is None:
        return
    gone = tuple(f"{folder}/" for folder in removed)
    kept = {name for name in listed if not name.startswith(gone)} if gone else listed
    now = kept | set(added)
    if now != listed:
        _replace_file(output, MARKER, marker_text(now), [], set())


def _replace_file(output: Path, relative: str, content: str | bytes, written: list[str],
                  made: set[Path]) -> None:
    """Write one file by an atomic rename, unless it already holds this content."""
    target = _inside(output, relative)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if target.read_bytes() == data:
            return
    except OSError:
        pass  # a new file
    _make_parent(target, made)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    written.append(relative)


def remove_folders(output: Path, folders: Iterable[str]) -> None:
    """Delete folders of the output, such as the page of a paper that no longer exists."""
    output = output.absolute()
    folders = list(folders)
    for relative in folders:
        target = _inside(output, relative)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
    with _write_errors(output):
        _relist(output, removed=folders)


def _make_parent(target: Path, made: set[Path]) -> None:
    parent = target.parent
    if parent not in made:
        parent.mkdir(parents=True, exist_ok=True)
        made.add(parent)


def _inside(folder: Path, relative: str) -> Path:
    """The target path, refusing any that would land outside the output folder."""
    target = Path(os.path.normpath(folder / relative))
    if relative.startswith(("/", "\\")) or ".." in Path(relative).parts or not target.is_relative_to(folder):
        raise SiteError(f"refusing to write '{relative}': it would land outside the output folder")
    return target


def _swap_in(staging: Path, output: Path) -> None:
    if not output.exists():
        staging.rename(output)
        return
    staging.chmod(output.stat().st_mode & 0o7777)
    if _exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the previous site
        return
    old = output.with_name(f".{output.name}-old-{os.getpid()}-swap")
    output.rename(old)
    staging.rename(output)
    shutil.rmtree(old, ignore_errors=True)
