"""Pieces of pages kept between the preview server's rebuilds (a paper's listing entry, its
BibTeX entry), each found by the paper record it was made from.

Paper records are immutable and a rebuild reuses the records of unchanged files, so the same
record object means the same piece; it is compared by identity, which is fast, where hashing a
record's every field is not. Pieces of the previous pass are reused; those this pass does not
use are dropped with it.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable


class Fragments:
    def __init__(self, previous: Fragments | None = None):
        self._previous = previous._current if previous else {}
        self._current: dict[tuple[int, Hashable], tuple[object, Any]] = {}
        self._details: dict[int, list[Hashable]] = {}  # record id -> details of its pieces, in order

    def get(self, record: object, detail: Hashable, make: Callable[[], Any]) -> Any:
        """The piece for this record and detail, made by make() unless already made."""
        key = (id(record), detail)
        found = self._current.get(key) or self._previous.get(key)
        if found is None or found[0] is not record:  # the record is held, so its id is not reused
            found = (record, make())
        if key not in self._current:
            self._details.setdefault(key[0], []).append(detail)
        self._current[key] = found
        return found[1]

    def pieces_of(self, record: object) -> list[tuple[Hashable, Any]]:
        """(detail, piece) of every piece made for this record in this pass."""
        return [(detail, self._current[(id(record), detail)][1]) for detail in self._details.get(id(record), ())]

    def add(self, record: object, pieces: list[tuple[Hashable, Any]]) -> None:
        """Take pieces made elsewhere (in another process) for this record."""
        for detail, piece in pieces:
            self.get(record, detail, lambda: piece)
