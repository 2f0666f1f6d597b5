"""Each paper's record and rendered pieces, kept between builds in the user's cache folder.

An entry is found by a digest of what made it: the paper's source (its file's text and path, or
the .bib files it comes from) and the build's context (site-builder's code and version, the
installed packages, site.yaml, the theme and every other content file that is not a paper). So an
entry is never stale: any change to what could change it gives another key.

The entries of one site are kept in one pack file (one file to write instead of thousands, which
cost more than the build): a build reads its site's packs, and when it made anything new it
writes the entries it used into a new pack, then deletes the packs it read.

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
import secrets
from pathlib import Path
from typing import Any

_FORMAT = b"site-builder content cache 2\n"
# Modules whose classes an entry may hold (records, their dates and paths, rendered Markup).
_ALLOWED_MODULES = ("site_builder.models", "site_builder.bibtex_in", "datetime", "markupsafe", "pathlib")
_ALLOWED_BUILTINS = frozenset(("frozenset", "set", "tuple", "list", "dict", "str", "int", "bool"))
_PACK = re.compile(r"[0-9a-f]{16}-[0-9a-f]{16}\.pack")


class ContentCache:
    """The entries of one site's builds in one context (see the module's docstring)."""

    def __init__(self, folder: Path, site: str, context: str):
        self.folder, self.site, self.context = folder, site, context
        self.record_keys: dict[str, str] = {}  # slug -> key of the record read in this build
        self._found: dict[str, Any] | None = None  # the entries of the packs read
        self._read: list[Path] = []  # the packs read
        self._kept: dict[str, Any] = {}  # the entries this build used or made, for its pack
        self._made = False

    def __getstate__(self) -> dict:  # a spawned worker reads the packs again itself
        return {**self.__dict__, "_found": None, "_read": [], "_kept": {}}

    def key(self, kind: str, *parts: str | bytes) -> str:
        digest = hashlib.blake2b(digest_size=20)
        digest.update(f"{kind}\0{self.context}".encode())
        for part in parts:
            digest.update(b"\0")
            digest.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        return digest.hexdigest()

    def rendered_key(self, slug: str) -> str | None:
        """The key of a paper's rendered pieces: its record's key in this context."""
        record = self.record_keys.get(slug)
        return self.key("rendered", record) if record else None

    def preload(self) -> None:
        """Read the packs now (before worker processes are forked, which then share them)."""
        if self._found is None:
            self._found = self._read_packs()

    def load(self, key: str) -> Any | None:
        """The entry stored under key, or None; an entry found is kept for the next pack."""
        self.preload()
        found = self._found.get(key)
        if found is not None:
            self._kept[key] = found
        return found

    def store(self, key: str, value: Any) -> None:
        """Keep value under key in this build's pack."""
        if self._kept.get(key) is not value:
            self._made = self._made or key not in (self._found or {})
            self._kept[key] = value

    def save(self) -> None:
        """Write this build's pack when it made anything, and delete the packs it read (best
        effort: a cache that cannot be written only costs time)."""
        if not self._made and len(self._read) <= 1:
            return
        name = f"{self.site}-{secrets.token_hex(8)}.pack"
        temporary = self.folder / f".{name}.{os.getpid()}.tmp"
        try:
            data = pickle.dumps(self._kept, protocol=pickle.HIGHEST_PROTOCOL)
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as handle:
                handle.write(self._header() + data)
            os.replace(temporary, self.folder / name)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            _unlink(temporary)
            return
        for pack in self._read:
            _unlink(pack)

    def _header(self) -> bytes:
        return _FORMAT + self.context.encode() + b"\n"

    def _read_packs(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        try:
            packs = sorted(self.folder.glob(f"{self.site}-*.pack"))
        except OSError:
            return found
        for pack in packs:
            self._read.append(pack)  # a pack of another context or a corrupt one goes too
            try:
                with open(pack, "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            header = self._header()
            if not data.startswith(header):
                continue
            try:
                entries = _SafeUnpickler(io.BytesIO(data[len(header):])).load()
            except Exception:  # corrupt, truncated or foreign: made again
                continue
            if isinstance(entries, dict):
                found.update(entries)
        return found


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
