"""Each paper's record and rendered pieces, kept between builds in the user's cache folder.

An entry is found by a digest of what made it: the paper's source (its file's text and path, or
the .bib files it comes from) and the build's context (site-builder's code and version, the
installed packages, site.yaml, the theme and every other content file that is not a paper). So an
entry is never stale: any change to what could change it gives another key.

The entries are kept in pack files (one file to write instead of thousands, which cost more
than the build): a build reads its site's packs and writes one more with what it made; when
the packs hold much that is no longer used, or are many, it merges what it used into one pack
and deletes the packs it read. The rendered pages are in packs of their own, read only by a
build that must write a paper's files it did not render (an edit's build writes only the
edited papers' files, and so reads none of them).

Safety: a pack is written to a temporary file and renamed into place, so two builds at once
never see half a pack (each writes its own; the next build merges them). A pack that cannot be
read or unpickled, or that is not what its name says (corrupt, or another program's), is
ignored and its entries made again. Unpickling is limited to the classes site-builder stores, so
a planted pack cannot run code.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import re
from pathlib import Path
from typing import Any

_FORMAT = b"site-builder content cache 2\n"
# Modules whose classes an entry may hold (records, their dates and paths, rendered Markup).
_ALLOWED_MODULES = ("site_builder.models", "site_builder.bibtex_in", "datetime", "markupsafe", "pathlib")
_ALLOWED_BUILTINS = frozenset(("frozenset", "set", "tuple", "list", "dict", "str", "int", "bool"))
_PACK = re.compile(r"[0-9a-f]{16}-[rf]-[0-9a-f]{16}\.pack")
MOST_PACKS = 8  # more packs than this (one per build that made something) are merged into one
FILES_PER_PACK = 200  # papers' files held in memory before they are written out as a pack


class ContentCache:
    """The entries of one site's builds in one context (see the module's docstring): records
    and the pieces lists reuse, which every build reads; and pages' files, read only by a build
    that writes a paper's files without rendering them."""

    def __init__(self, folder: Path, site: str, context: str):
        self.folder, self.site, self.context = folder, site, context
        self.record_keys: dict[str, str] = {}  # slug -> key of the record read in this build
        self._every_paper = ""
        header = _FORMAT + context.encode() + b"\n"
        self._packs = {kind: _Packs(folder, f"{site}-{kind}-", header) for kind in ("r", "f")}

    def key(self, kind: str, *parts: str | bytes) -> str:
        digest = hashlib.blake2b(digest_size=20)
        digest.update(f"{kind}\0{self.context}".encode())
        for part in parts:
            digest.update(b"\0")
            digest.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        return digest.hexdigest()

    def rendered_key(self, slug: str) -> str | None:
        """The key of a paper's rendered pieces: its record's key in this context (and every
        paper's, after pages_show_every_paper)."""
        record = self.record_keys.get(slug)
        return self.key("rendered", record, self._every_paper) if record else None

    def pages_show_every_paper(self) -> None:
        """Make each paper's rendered pieces depend on every paper's record: for templates that
        are not site-builder's own, whose paper page may show other papers (site.publications)."""
        self._every_paper = self.key("every paper", *sorted(self.record_keys.values()))

    def preload(self) -> None:
        """Read the records now (before worker processes are forked, which then share them)."""
        self._packs["r"].read()
        self._packs["f"].list()

    def has_records(self) -> bool:
        return bool(self._packs["r"].read())

    def load(self, key: str, files: bool = False) -> Any | None:
        """The entry stored under key (among pages' files with files=True), or None."""
        return self._packs["f"].read().get(key) if files else self._packs["r"].load(key)

    def store(self, key: str, value: Any) -> None:
        """Keep value under key for this build's pack of records and pieces."""
        self._packs["r"].store(key, value)

    def store_files(self, key: str, files: Any) -> None:
        """Keep a paper's files under key: written out in packs as they come (by whichever
        process made them; pool.map_in_workers calls flush_files after each chunk)."""
        self._packs["f"].made[key] = files
        if len(self._packs["f"].made) >= FILES_PER_PACK:
            self.flush_files()

    def flush_files(self) -> None:
        self._packs["f"].write(self._packs["f"].made)
        self._packs["f"].made = {}

    def save(self) -> None:
        """Write what this build made (best effort: a cache that cannot be written only costs
        time). Every build stores every paper's files again, so the packs of files there were
        before it are no longer needed."""
        records = self._packs["r"]
        records.save(set(records.used))  # every build reads every record and its pieces
        self.flush_files()
        for pack in self._packs["f"].list():
            _unlink(pack)


class _Packs:
    """One kind of entry in its pack files: read all at once, written as one more pack with a
    build's new entries, or merged into one pack of the entries in use."""

    def __init__(self, folder: Path, prefix: str, header: bytes):
        self.folder, self.prefix, self.header = folder, prefix, header
        self.found: dict[str, Any] | None = None  # the entries of the packs read
        self.packs: list[Path] | None = None  # the packs there were when the build began
        self.unusable: list[Path] = []  # packs read that were corrupt, foreign or of another context
        self.used: dict[str, Any] = {}  # the entries this build loaded or stored
        self.made: dict[str, Any] = {}  # the entries this build stored that no pack has

    def __getstate__(self) -> dict:  # a spawned worker reads the packs again itself
        return {**self.__dict__, "found": None, "packs": None, "unusable": [], "used": {}, "made": {}}

    def list(self) -> list[Path]:
        """The packs there are (those this process wrote excepted), listed once."""
        if self.packs is None:
            try:
                self.packs = sorted(self.folder.glob(f"{self.prefix}*.pack"))
            except OSError:
                self.packs = []
        return self.packs

    def read(self) -> dict[str, Any]:
        if self.found is None:
            self.found = {}
            for pack in self.list():
                entries = self._entries(pack)
                if entries is None:
                    self.unusable.append(pack)
                else:
                    self.found.update(entries)
        return self.found

    def _entries(self, pack: Path) -> dict[str, Any] | None:
        try:
            with open(pack, "rb") as handle:
                data = handle.read()
            if data.startswith(self.header):
                entries = _SafeUnpickler(io.BytesIO(data[len(self.header):])).load()
                return entries if isinstance(entries, dict) else None
        except Exception:  # unreadable, corrupt, truncated or foreign: made again
            pass
        return None

    def load(self, key: str) -> Any | None:
        found = self.read().get(key)
        if found is not None:
            self.used[key] = found
        return found

    def store(self, key: str, value: Any) -> None:
        if key not in self.used:
            self.used[key] = value
            if key not in (self.found or {}):
                self.made[key] = value

    def save(self, in_use: set[str] | None) -> None:
        """Write this build's new entries as one more pack; or, when the keys still needed are
        known (`in_use`) and the packs are many or hold mostly other entries, merge the entries
        in use into one pack and delete the packs read."""
        merge = False
        if in_use is not None:
            found = self.read()
            merge = len(self.packs) > MOST_PACKS or len(found) > 2 * max(1, len(in_use))
        for pack in self.unusable:
            _unlink(pack)
        if merge:
            entries = {key: value for key in in_use
                       if (value := self.made.get(key, found.get(key))) is not None}
        elif self.made:
            entries = self.made
        else:
            return
        if self.write(entries) and merge:
            for pack in self.packs:
                _unlink(pack)

    def write(self, entries: dict[str, Any]) -> bool:
        """Write entries as a new pack; False when it could not be written."""
        if not entries:
            return False
        name = f"{self.prefix}{os.urandom(8).hex()}.pack"
        temporary = self.folder / f".{name}.{os.getpid()}.tmp"
        try:
            data = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as handle:
                handle.write(self.header + data)
            os.replace(temporary, self.folder / name)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            _unlink(temporary)
            return False
        return True


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if module == "builtins" and name in _ALLOWED_BUILTINS:
            return super().find_class(module, name)
        if module.startswith(_ALLOWED_MODULES) and not name.startswith("_"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a class the cache stores")


def default_folder() -> Path:
    from site_builder.build_cache import cache_folder

    return cache_folder() / "content"


def open_cache(folder: Path | None, content_dir: Path, context: str | None) -> ContentCache | None:
    """The cache for this build of this site, or None when there is no context (an unreadable
    input)."""
    if context is None:
        return None
    site = hashlib.blake2b(os.fsencode(content_dir.absolute()), digest_size=8).hexdigest()
    return ContentCache(folder if folder is not None else default_folder(), site, context)


def remove_cache(folder: Path | None = None) -> int:
    """Delete the cache's packs in folder, and folder itself once empty; files that are not
    packs are left alone (--cache may name any folder). Returns the packs deleted."""
    folder = folder if folder is not None else default_folder()
    if folder.is_symlink() or not folder.is_dir():
        return 0
    removed = 0
    for entry in folder.iterdir():
        name = entry.name.split(".")[1] + ".pack" if entry.name.startswith(".") else entry.name
        if _PACK.fullmatch(name) and entry.is_file() and not entry.is_symlink() and _is_pack(entry):
            entry.unlink()
            removed += 1
    try:
        folder.rmdir()
    except OSError:
        pass
    return removed


def _is_pack(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(_FORMAT)) == _FORMAT
