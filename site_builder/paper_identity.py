"""When two records are the same paper: same DOI, same arXiv id, or same title and year.

A researcher may describe a paper in content/papers/x.md and keep it in a .bib file too; the
site should show it once. Titles are compared without case, accents, punctuation or spacing.
"""

from __future__ import annotations

import re

from site_builder.models import Publication
from site_builder.names import plain

_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:)", re.IGNORECASE)
_ARXIV = re.compile(r"(\d{4}\.\d{4,5}|[a-z\-]+(\.[A-Z]{2})?/\d{7})(v\d+)?", re.IGNORECASE)
_NOT_WORD = re.compile(r"\W+")


def identity_keys(pub: Publication) -> list[tuple[str, str]]:
    """(what, value) pairs that name this paper: ('DOI', '10.1/x'), ('arXiv id', '2401.12345'),
    ('title and year', 'a title 2024')."""
    keys = []
    doi = _DOI_PREFIX.sub("", pub.link("doi")).strip().lower()
    if doi:
        keys.append(("DOI", doi))
    arxiv = _ARXIV.search(pub.link("arxiv"))
    if arxiv:
        keys.append(("arXiv id", arxiv.group(1).lower()))
    title = _NOT_WORD.sub(" ", plain(pub.title)).strip()
    if title:
        keys.append(("title and year", f"{title} {pub.year}"))
    return keys


def same_paper(pub: Publication, known: dict[tuple[str, str], Publication]) -> tuple[Publication, str] | None:
    """The known paper this one repeats and what they share ('DOI 10.1/x'), or None."""
    for key in identity_keys(pub):
        if key in known:
            what, value = key
            return known[key], f"{what} {value!r}" if what != "title and year" else "title and year"
    return None
