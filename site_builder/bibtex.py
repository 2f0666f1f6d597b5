"""BibTeX out: each paper's fields for export, written with bibtexparser's writer.

A paper read from a .bib file exports its entry as written, without the display-only fields;
a paper written in Markdown gets fields generated from its front matter (LaTeX kept as typed).
bibtexparser is imported only when the BibTeX text is written.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

from site_builder.fragments import Fragments
from site_builder.models import Publication

_SPECIAL = re.compile(r"(?<!\\)([&%#_$])")
_JOURNAL_WORDS = ("journal", "transactions", "letters", "review", "magazine")
_BOOKTITLE_WORDS = ("conference", "proceedings", "workshop", "symposium", "meeting")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Fields that only drive a website's display (al-folio's own filter list and its badges): the
# BibTeX a visitor copies or downloads leaves them out.
DISPLAY_ONLY = frozenset((
    "abbr", "selected", "preview", "bibtex_show", "pdf", "html", "code", "slides", "poster", "video",
    "website", "supp", "blog", "award", "award_name", "additional_info", "annotation", "altmetric",
    "dimensions", "google_scholar_id", "inspirehep_id",
))
VENUE_FIELDS = ("journal", "booktitle", "school", "institution", "howpublished", "publisher")
# front-matter field -> the BibTeX field it becomes (venue depends on the entry type)
_OVERRIDES = {"title": "title", "authors": "author", "year": "year", "month": "month", "volume": "volume",
              "issue": "number", "pages": "pages", "publisher": "publisher", "note": "note", "doi": "doi"}


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


def generated_fields(pub: Publication, tex: Mapping[str, str] = {}) -> list[tuple[str, str]]:
    """Fields built from the paper's front matter; `tex` holds values to keep as typed (LaTeX)."""
    kind = entry_type(pub)
    names = [a.name for a in pub.authors] + (["others"] if pub.more_authors else [])
    fields = [("title", tex.get("title") or _escape(pub.title))]
    if names:
        fields.append(("author", tex.get("author") or _escape(" and ".join(names))))
    if pub.venue:
        venue = pub.venue[3:] if pub.venue.startswith("In ") else pub.venue
        fields.append((_venue_field(kind), tex.get("venue") or _escape(venue)))
    if pub.year is not None:  # a forthcoming paper has none
        fields.append(("year", str(pub.year)))
    extra = dict(pub.extra)
    if pub.date is not None:
        extra.setdefault("month", pub.date.strftime("%b").lower())
    for key, bib_key in (("month", "month"), ("volume", "volume"), ("issue", "number"),
                         ("pages", "pages"), ("publisher", "publisher"), ("note", "note")):
        if extra.get(key) and not (bib_key == "publisher" and kind == "book"):
            fields.append((bib_key, tex.get(key) or _escape(extra[key])))
    doi = pub.link("doi")
    if doi:
        fields.append(("doi", doi.split("doi.org/", 1)[-1]))
    arxiv = pub.link("arxiv")
    if arxiv and "arxiv.org/abs/" in arxiv:
        fields.append(("eprint", arxiv.split("arxiv.org/abs/", 1)[1]))
        fields.append(("archiveprefix", "arXiv"))
    url = pub.link("website") or pub.link("pdf") or arxiv
    if url:
        fields.append(("url", url))
    return fields


def export_fields(pub: Publication, tex: Mapping[str, str], kept: Mapping[str, str],
                  entry_fields: Iterable[tuple[str, str]] | None = None,
                  overridden: Iterable[str] = ()) -> tuple[tuple[str, str], ...]:
    """What the paper's BibTeX holds, display-only fields left out.

    From a .bib entry: its fields as written, except those a Markdown file overrides
    (`overridden` front-matter keys), which are generated. From Markdown: generated fields,
    then the fields kept under `bibtex:` (which win over generated ones of the same name).
    """
    generated = dict(generated_fields(pub, tex))
    if entry_fields is None:
        fields = dict(generated)
        fields.update(kept)
    else:
        fields = dict(entry_fields)
        for key in overridden:
            if key == "venue":
                for name in VENUE_FIELDS:
                    fields.pop(name, None)
                name = _venue_field(entry_type(pub))
            else:
                name = _OVERRIDES.get(key, "")
            if name in generated:
                fields[name] = generated[name]
    return tuple((k, v) for k, v in fields.items() if k not in DISPLAY_ONLY)


def bibtex_string(publications: Iterable[Publication], written: Fragments | None = None) -> str:
    """The BibTeX text of these papers, one entry each, written by bibtexparser.

    `written` holds entries already written, such as each paper's cite.bib, for the whole list
    to reuse: bibtexparser separates entries with a blank line.
    """
    written = Fragments() if written is None else written
    texts = []
    keys: set[str] = set()
    for pub in publications:
        key = pub.bibtex_key or pub.slug
        if key in keys:  # two papers share a key (a hand-set bibtex_key): the slug is unique
            key = pub.slug
        keys.add(key)
        texts.append(written.get(pub, ("bibtex", key), lambda: _write_entry(pub, key)))
    return "\n\n".join(texts)


def _write_entry(pub: Publication, key: str) -> str:
    import bibtexparser
    from bibtexparser.library import Library
    from bibtexparser.middlewares import default_unparse_stack
    from bibtexparser.model import Entry, Field
    from bibtexparser.writer import BibtexFormat

    fields = pub.bibtex_fields or tuple(generated_fields(pub))
    entry = Entry(entry_type(pub), key, [
        Field(name, value, enclosing="no-enclosing" if name == "month" and value in MONTHS else None)
        for name, value in fields
    ])
    style = BibtexFormat()
    style.indent = "  "
    # The entry is built here, so the writer may add braces in place instead of deep-copying.
    stack = default_unparse_stack(allow_inplace_modification=True)
    return bibtexparser.write_string(Library([entry]), unparse_stack=stack, bibtex_format=style)
