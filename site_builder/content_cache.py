"""Each paper's record and rendered pieces, kept between builds in the user's cache folder.

An entry is found by a digest of what made it: the paper's source (its file's text and path, or
the .bib files it comes from) and the build's context (site-builder's code and version, the
installed packages, site.yaml, the theme and every other content file that is not a paper). So an
entry is never stale: any change to what could change it gives another key.

Safety: an entry is written to a temporary file and renamed into place (two builds at once never
see half an entry); an entry that cannot be read, unpickled, or is not what its key says (a
corrupt file, one another program put there) counts as missing and is made again. Unpickling
is limited to the classes site-builder stores, so a planted entry cannot run code.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import re
from pathlib import Path
from typing import Any

_FORMAT = b"site-builder content cache 1\n"
# Modules whose classes an entry may hold (records, their dates and paths, rendered Markup).
_ALLOWED_MODULES = ("site_builder.models", "site_builder.bibtex_in", "datetime", "markupsafe", "pathlib")
_ALLOWED_BUILTINS = frozenset(("frozenset", "set", "tuple", "list", "dict", "str", "int", "bool"))


class ContentCache:
    """The entries of one folder, for builds in one context (see the module's docstring)."""

    def __init__(self, folder: Path, context: str):
        self.folder = folder
        self.context = context
        self.record_keys: dict[str, str] = {}  # slug -> key of the record read in this build

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

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key[2:]

    def load(self, key: str) -> Any | None:
        """The entry stored under key, or None when there is none or it is unusable."""
        try:
            with open(self._path(key), "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        header = _FORMAT + key.encode() + b"\n"
        if not data.startswith(header):
            return None
        try:
            return _SafeUnpickler(io.BytesIO(data[len(header):])).load()
        except Exception:  # corrupt, truncated or foreign: made again
            return None

    def store(self, key: str, value: Any) -> None:
        """Keep value under key (best effort: a cache that cannot be written only costs time)."""
        path = self._path(key)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            data = _FORMAT + key.encode() + b"\n" + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            try:
                os.unlink(temporary)
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


def open_cache(folder: Path | None, context: str | None) -> ContentCache | None:
    """The cache for this build, or None when there is no context (an unreadable input)."""
    if context is None:
        return None
    return ContentCache(folder if folder is not None else default_folder(), context)


def remove_cache(folder: Path | None = None) -> int:
    """Delete the cache's entries in folder, and folder itself once empty; files that are not
    entries are left alone (--cache may name any folder). Returns the entries deleted."""
    folder = folder if folder is not None else default_folder()
    if folder.is_symlink() or not folder.is_dir():
        return 0
    removed = 0
    for shard in folder.iterdir():
        if shard.is_symlink() or not shard.is_dir() or not _SHARD.fullmatch(shard.name):
            continue
        for entry in shard.iterdir():
            if entry.is_file() and not entry.is_symlink() and _is_entry(entry):
                entry.unlink()
                removed += 1
        _remove_if_empty(shard)
    _remove_if_empty(folder)
    return removed


_SHARD = re.compile(r"[0-9a-f]{2}")


def _is_entry(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(_FORMAT)) == _FORMAT


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass
