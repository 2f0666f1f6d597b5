"""Whether an author name is the site's owner, however the name is written.

"C. Matthews", "C Matthews", "Matthews, Charles" and "Charles Matthews" are one person: same
last name, and first names that agree (equal, or one the initial of the other). A middle name
only one of the two spellings has is allowed ("Tobias Christoph Weyand" is "Tobias Weyand");
accents are ignored ("Jose" is "José"). A different first initial ("D. Matthews") or a different
last name ("Weyandt") is someone else. BibTeX's own name splitter (bibtexparser) finds the parts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_GIVEN_SEPARATORS = re.compile(r"[\s.\-‐]+")


@dataclass(frozen=True)
class PersonKey:
    """A name reduced for comparison: the last name, and the given names in order."""

    last: str
    given: tuple[str, ...]


def plain(text: str) -> str:
    """Lower case, accents removed, spaces collapsed: 'José  Núñez' -> 'jose nunez'."""
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def person_key(name: str) -> PersonKey | None:
    """The parts of a name as BibTeX reads it ('Last, First' or 'First von Last'), or None when
    there is no given name to compare."""
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    try:
        parts = parse_single_name_into_parts(" ".join(name.split()), strict=False)
    except Exception:  # a name BibTeX cannot split is compared as written only
        return None
    given = tuple(g for part in parts.first for g in _GIVEN_SEPARATORS.split(plain(part)) if g)
    last = plain(" ".join(parts.last))
    if not given or not last:
        return None
    return PersonKey(last, given)


def _agree(a: str, b: str) -> bool:
    """Two given names agree when equal or when one is the other's initial ('c' and 'charles')."""
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b


def same_person(owner: PersonKey, other: PersonKey) -> bool:
    """Same last name, same first given name (or its initial), and no middle names that clash:
    each middle name of the shorter list must agree with one of the longer list's, in order."""
    if owner.last != other.last or not _agree(owner.given[0], other.given[0]):
        return False
    short, long = sorted((owner.given[1:], other.given[1:]), key=len)
    rest = iter(long)
    return all(any(_agree(name, candidate) for candidate in rest) for name in short)


class OwnerNames:
    """The owner's name and listed variants, reduced once; `matches` is called for every author
    of every paper, so a name whose letters do not even contain the owner's last name is turned
    away before it is split."""

    def __init__(self, name: str, variants: tuple[str, ...] = ()):
        self.exact = frozenset(plain(n) for n in (name, *variants))
        self.key = person_key(name)

    def matches(self, author: str) -> bool:
        wanted = plain(author)
        if wanted in self.exact:
            return True
        if self.key is None or self.key.last not in wanted:
            return False
        other = person_key(author)
        return other is not None and same_person(self.key, other)
