"""BibTeX for each paper, written with bibtexparser from the paper's fields."""

from __future__ import annotations

import re

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from site_builder.models import Publication

_SPECIAL = re.compile(r"(?<!\\)([&%#_$])")
_JOURNAL_WORDS = ("journal", "transactions", "letters", "review", "magazine")
_BOOKTITLE_WORDS = ("conference", "proceedings", "workshop", "symposium", "meeting")


def entry_type(pub: Publication) -> str:
    """The BibTeX type: as declared, else guessed from the venue's wording."""
    if pub.bibtex_type:
        return pub.bibtex_type
    venue = pub.venue.lower()
    if not venue or venue.startswith(("preprint", "arxiv")):
        return "misc"
    if any(w in venue for w in _JOURNAL_WORDS):
        return "article"
    if pub.venue_short or any(w in venue for w in _BOOKTITLE_WORDS) or venue.startswith("in "):
        return "inproceedings"
    return "misc"


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _venue_field(kind: str) -> str:
    return {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle",
            "phdthesis": "school", "mastersthesis": "school", "techreport": "institution",
            "book": "publisher"}.get(kind, "howpublished")


def bibtex_entry(pub: Publication) -> Entry:
    kind = entry_type(pub)
    names = [a.name for a in pub.authors] + (["others"] if pub.more_authors else [])
    fields = [Field("title", _escape(pub.title))]
    if names:
        fields.append(Field("author", _escape(" and ".join(names))))
    if pub.venue:
        venue = pub.venue[3:] if pub.venue.startswith("In ") else pub.venue
        fields.append(Field(_venue_field(kind), _escape(venue)))
    fields.append(Field("year", str(pub.year)))
    extra = dict(pub.extra)
    if pub.date is not None:
        extra.setdefault("month", pub.date.strftime("%b").lower())
    for key, bib_key in (("month", "month"), ("volume", "volume"), ("issue", "number"),
                         ("pages", "pages"), ("publisher", "publisher"), ("note", "note")):
        if extra.get(key) and not (bib_key == "publisher" and kind == "book"):
            fields.append(Field(bib_key, _escape(extra[key])))
    doi = pub.link("doi")
    if doi:
        fields.append(Field("doi", doi.split("doi.org/", 1)[-1]))
    arxiv = pub.link("arxiv")
    if arxiv and "arxiv.org/abs/" in arxiv:
        fields.append(Field("eprint", arxiv.split("arxiv.org/abs/", 1)[1]))
        fields.append(Field("archiveprefix", "arXiv"))
    url = pub.link("website") or pub.link("pdf") or arxiv
    if url:
        fields.append(Field("url", url))
    return Entry(kind, pub.slug, fields)


def _format() -> BibtexFormat:
    style = BibtexFormat()
    style.indent = "  "
    style.block_separator = "\n\n"
    return style


def bibtex_string(publications: list[Publication] | tuple[Publication, ...]) -> str:
    library = Library([bibtex_entry(p) for p in publications])
    return bibtexparser.write_string(library, bibtex_format=_format())
