"""Read .bib files with bibtexparser and map each entry to a paper's front-matter fields.

Problems in a file (an entry that cannot be read, a duplicate key, an entry without a title, one
without a year, listed as forthcoming, an unknown entry type) are returned as messages with the
file and line; the rest of the file is still read. A field that fails its check when the paper
is built is dropped, not the paper (`entry_publication`). bibtexparser is imported on first use
only.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping

from site_builder.aas_journals import AAS_JOURNALS
from site_builder.al_folio_files import FOLDERS, site_file
from site_builder.bib_text import parse_bib
from site_builder.bibtex import VENUE_FIELDS
from site_builder.errors import ContentError, quoted
from site_builder.frontmatter import SourceFile, read_text
from site_builder.latex import latex_to_text, url_from_latex
from site_builder.markup import MarkdownRenderer
from site_builder.models import Owner, Publication
from site_builder.papers import FORTHCOMING, publication_from_source
from site_builder.safety import safe_slug

KNOWN_TYPES = frozenset((
    "article", "book", "booklet", "conference", "inbook", "incollection", "inproceedings", "manual",
    "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished",
    # biblatex
    "online", "thesis", "report", "software", "dataset", "patent", "electronic", "collection",
    "periodical", "mvbook", "bookinbook", "suppbook", "reference", "inreference", "www",
))
# BibTeX field -> link label on the paper's page (al-folio's link fields and a few others)
LINK_FIELDS = {"pdf": "pdf", "paper": "pdf", "code": "code", "slides": "slides", "poster": "poster",
               "video": "video", "website": "website", "html": "website", "blog": "blog",
               "supp": "supplement", "data": "data", "demo": "demo"}
# BibTeX field -> front-matter field, copied as written
COPIED = {"title": "title", "month": "month", "volume": "volume", "number": "issue", "issue": "issue",
          "pages": "pages", "note": "note", "abbr": "venue_short", "additional_info": "additional_info",
          "annotation": "annotation", "altmetric": "altmetric", "dimensions": "dimensions",
          "google_scholar_id": "google_scholar_id", "inspirehep_id": "inspirehep_id"}
_TRUE = ("true", "yes", "1")
_DATE_START = re.compile(r"(\d{4})(?:-(\d{1,2})(-\d{1,2})?)?")
_MACRO_ONLY = re.compile(r"\{?\s*\\([A-Za-z]+)\s*\}?")


@dataclass(frozen=True)
class BibEntry:
    """One entry as written: lower-case field names, raw values (LaTeX kept), in file order."""

    path: Path
    line: int  # 1-based line of the '@'
    key: str
    kind: str  # entry type, lower case
    fields: tuple[tuple[str, str], ...]

    def get(self, name: str) -> str:
        return next((value for key, value in self.fields if key == name), "")

    @property
    def place(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class BibPaper:
    """An entry ready to become a paper: its address and its fields in front-matter form."""

    entry: BibEntry
    slug: str
    meta: dict[str, Any]
    abstract: str  # raw LaTeX
    unmapped: tuple[str, ...]  # BibTeX fields kept under 'bibtex:' in the front matter
    key: str  # the citation key to export: the entry's, or the slug when another entry has it


def read_bib(path: Path) -> tuple[list[BibEntry], list[str]]:
    """Every readable entry of one file, and a message for each problem (file:line: what)."""
    from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

    logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
    library = parse_bib(read_text(path))
    entries: list[BibEntry] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, Entry):
            problems.append(f"{path}:{line}: duplicate key {quoted(block.key)} (first used on line "
                            f"{first_line.get(block.key, '?')}); both papers are kept, this one at "
                            "another address and exported under that name; give it its own key")
            block = _cleaned(block.ignore_error_block, library)
        elif isinstance(block, ParsingFailedBlock):
            reason = getattr(block.error, "abort_reason", "") or str(block.error) or "syntax error"
            problems.append(f"{path}:{line}: this entry cannot be read ({_one_line(reason)}); it is "
                            "skipped: check its braces, quotes and commas")
            continue
        if not isinstance(block, Entry):
            continue
        kind = block.entry_type.lower()
        if kind not in KNOWN_TYPES:
            problems.append(f"{path}:{line}: unknown entry type {quoted('@' + block.entry_type)} for {quoted(block.key)}; "
                            "it is shown as @misc would be and exported as written")
        first_line.setdefault(block.key, line)
        fields = tuple((f.key.lower(), _field_text(f.value)) for f in block.fields)
        entries.append(BibEntry(path, line, block.key, kind, fields))
    return entries, problems


def _cleaned(entry, library):
    """A duplicate entry with its values' braces and quotes removed (the parse stack skips it)."""
    from bibtexparser.middlewares import RemoveEnclosingMiddleware

    return RemoveEnclosingMiddleware(True).transform_entry(entry, library)


def _field_text(value: Any) -> str:
    return " ".join(str(value).split())


def _one_line(text: str) -> str:
    return " ".join(text.split())[:160]


def bib_papers(entries: list[BibEntry], earlier: Mapping[str, BibPaper] = {},
               content_root: Path | None = None) -> tuple[list[BibPaper], list[str]]:
    """Entries with a title and a year, each under a unique safe slug; a message for each skipped one.

    `earlier` holds the papers of the files read before, whose slugs and keys are taken;
    `content_root`, when given, is where al-folio's preview and PDF files are looked for."""
    papers: list[BibPaper] = []
    problems: list[str] = []
    used: set[str] = set(earlier)
    other_files = {paper.key: paper.entry.path for paper in earlier.values()}
    keys: set[str] = set(other_files)
    for entry in entries:
        if not entry.get("title").strip("{} "):
            problems.append(f"{entry.place}: entry {quoted(entry.key)} has no 'title'; it is skipped")
            continue
        slug = base = safe_slug(entry.key) or "paper"
        number = 2
        while slug in used:
            slug, number = f"{base}-{number}", number + 1
        used.add(slug)
        key = slug if entry.key in keys else entry.key
        keys.add(key)
        if entry.key in other_files:
            problems.append(f"{entry.place}: key {quoted(entry.key)} is also used in {other_files[entry.key]}; "
                            f"this paper is published and exported as '{slug}'")
        meta, abstract, unmapped = front_matter(entry)
        problems.extend(f"{entry.place}: entry '{entry.key}': {problem}"
                        for problem in _resolve_al_folio_files(meta, entry, content_root))
        meta["bibtex_key"] = key
        if meta["year"] == FORTHCOMING:
            written = entry.get("year").strip("{} ")
            what = f": 'year' is '{written}', not a year" if written else " has no 'year' or 'date'"
            problems.append(f"{entry.place}: entry '{entry.key}'{what}; it is listed as forthcoming, "
                            "above the newest year")
        papers.append(BibPaper(entry, slug, meta, abstract, unmapped, key))
    return papers, problems


def front_matter(entry: BibEntry) -> tuple[dict[str, Any], str, tuple[str, ...]]:
    """The paper's fields in front-matter form (LaTeX kept in title, venue, note and abstract)."""
    meta: dict[str, Any] = {"bibtex_key": entry.key, "bibtex_type": entry.kind}
    links: dict[str, str] = {}
    kept: dict[str, str] = {}
    venue_field = next((name for name in VENUE_FIELDS if entry.get(name)), "")
    consumed = {"author", "year", "date", "abstract", "keywords", "selected", "doi", "eprint", "arxiv",
                "archiveprefix", "url", "award", "award_name", "preview", "tags", venue_field}
    for name, value in entry.fields:
        if name in COPIED and value:
            meta.setdefault(COPIED[name], value)
        elif name in LINK_FIELDS and value:
            links.setdefault(LINK_FIELDS[name], url_from_latex(value))
        elif name == "publisher" and value:
            meta["publisher"] = value
        elif name not in consumed and name not in meta and value:
            kept[name] = value
    if entry.get("author"):
        meta["authors"] = author_list(entry.get("author"))
    for key, value in _year_and_date(entry.get("year").strip("{} "), entry.get("date").strip("{} ")).items():
        meta.setdefault(key, value)  # a 'month' field wins over the month of 'date'
    if venue_field:
        meta["venue"] = venue_name(entry.get(venue_field))
    if entry.get("doi"):
        meta["doi"] = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", url_from_latex(entry.get("doi")))
    arxiv = entry.get("arxiv") or (entry.get("eprint") if entry.get("archiveprefix").lower() in ("", "arxiv")
                                   else "")
    if arxiv:
        meta["arxiv"] = url_from_latex(arxiv)
    elif entry.get("eprint"):
        kept.update(eprint=entry.get("eprint"), archiveprefix=entry.get("archiveprefix"))
    if entry.get("url"):
        links.setdefault("website" if "website" not in links else "link", url_from_latex(entry.get("url")))
    award_name, award = entry.get("award_name"), entry.get("award")
    if award_name or award:
        meta["award"] = award_name or award
        if award_name and award:
            kept["award"] = award
    if entry.get("selected"):
        meta["selected"] = entry.get("selected").strip("{} ").lower() in _TRUE
    tags = topics(f'{entry.get("keywords")},{entry.get("tags")}')
    if tags:
        meta["tags"] = tags
    if links:
        meta["links"] = links
    if kept:
        meta["bibtex"] = kept
    return meta, entry.get("abstract"), tuple(kept)


def _resolve_al_folio_files(meta: dict[str, Any], entry: BibEntry, content_root: Path | None) -> list[str]:
    """al-folio's bare file names (preview, pdf, poster, slides, supp) made site paths, in place."""
    problems = []
    for field in FOLDERS:
        value = url_from_latex(entry.get(field)) if entry.get(field) else ""
        if not value:
            continue
        path, problem = site_file(field, value, content_root)
        if problem:
            problems.append(problem)
        if field == "preview":
            if path:
                meta["image"] = path
            continue
        links, label = meta.get("links", {}), LINK_FIELDS[field]
        if links.get(label) != value:  # the link came from another field ('paper' before 'pdf')
            continue
        if path:
            links[label] = path
        else:
            del links[label]
    return problems


def _year_and_date(year: str, date: str) -> dict[str, Any]:
    """'year' (a number, or 'forthcoming' when there is none), and biblatex's 'date'
    (2019-08-23, 2019-08 or 2019, a range from its start) as 'date' or 'month'."""
    start = _DATE_START.match(date)
    fields: dict[str, Any] = {}
    if re.fullmatch(r"\d{4}", year):
        fields["year"] = int(year)
    else:
        fields["year"] = int(start.group(1)) if start and not year else FORTHCOMING
    if start and start.group(3):
        fields["date"] = date.partition("/")[0]  # checked as a Markdown file's date is
    elif start and start.group(2):
        fields["month"] = str(int(start.group(2)))
    return fields


def topics(value: str) -> list[str]:
    """Keywords as topics: split at commas and semicolons, LaTeX spelled out, and ADS's numeric
    subject codes (594, 734) left out."""
    words = (latex_to_text(word) for word in re.split(r"[,;]", value) if word.strip())
    return list(dict.fromkeys(word for word in words if word and not word.isdigit()))


def venue_name(value: str) -> str:
    """The venue as written, with an AAS journal macro (`\\mnras`) spelled out."""
    match = _MACRO_ONLY.fullmatch(value.strip())
    if match and match.group(1).lower() in AAS_JOURNALS:
        return AAS_JOURNALS[match.group(1).lower()]
    return value


def author_list(value: str) -> list[Any]:
    """BibTeX names ("Last, First", "First Last", braces, accents, "and others") as display names.

    al-folio's marks are understood: `Song*` is an equal contribution, `Einstein†` corresponding.
    """
    from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

    authors: list[Any] = []
    for raw in split_multiple_persons_names(value):
        raw = raw.strip().strip(",").strip()
        if not raw:
            continue
        if raw.lower() == "others":
            authors.append("others")
            continue
        equal, corresponding = "*" in raw, "†" in raw
        raw = raw.replace("*", "").replace("†", "").strip()
        try:
            name = parse_single_name_into_parts(raw, strict=False).merge_first_name_first
        except Exception:  # a name bibtexparser cannot split is shown as written
            name = raw
        name = latex_to_text(name)
        if equal or corresponding:
            author: dict[str, Any] = {"name": name}
            if equal:
                author["equal"] = True
            if corresponding:
                author["corresponding"] = True
            authors.append(author)
        else:
            authors.append(name)
    return authors


def load_bib_papers(paths: list[Path], warnings: list[str], content_root: Path | None = None) -> dict[str, BibPaper]:
    """Every paper of these .bib files by slug; problems are added to warnings."""
    papers: dict[str, BibPaper] = {}
    for path in paths:
        entries, problems = read_bib(path)
        found, skipped = bib_papers(entries, earlier=papers, content_root=content_root)
        warnings.extend(problems + skipped)
        papers.update((paper.slug, paper) for paper in found)
    return papers


def with_override(paper: BibPaper, markdown: SourceFile) -> tuple[SourceFile, frozenset[str]]:
    """The entry's fields with a same-slug Markdown file's fields on top (its body, if any, wins)."""
    meta = {**paper.meta, **markdown.meta}
    return replace(markdown, meta=meta), frozenset(markdown.meta)


def bib_source(paper: BibPaper) -> SourceFile:
    return SourceFile(path=paper.entry.path, meta=paper.meta, body="", body_line=paper.entry.line)


def entry_publication(paper: BibPaper, markdown: MarkdownRenderer, owner: Owner, warnings: list[str],
                      override: SourceFile | None = None) -> tuple[Publication, BibPaper]:
    """The entry's record, under a same-slug Markdown file's fields when `override` is given,
    and the entry as used. A field of the entry that fails its check is dropped with a warning
    that names it, and the paper is kept; a problem with the title, or with a field the Markdown
    file sets, raises ContentError."""
    while True:
        source, overridden = with_override(paper, override) if override else (bib_source(paper), frozenset())
        attempt: list[str] = []  # a failed attempt's warnings are not kept: the next one repeats them
        try:
            pub = publication_from_source(source, markdown, owner, attempt, paper, overridden)
            warnings.extend(attempt)
            return pub, paper
        except ContentError as exc:
            key = exc.field.partition(".")[0]
            if not key or key == "title" or key in overridden or key not in paper.meta:
                raise
            warnings.append(f"{paper.entry.place}: entry '{paper.entry.key}': {exc.message}; field "
                            f"'{_bib_field(paper.entry, exc.field)}' dropped, the paper is kept")
            paper = replace(paper, meta=_without(paper.meta, exc.field))


def _without(meta: dict[str, Any], field: str) -> dict[str, Any]:
    """The front matter without one field ('links.pdf': one link)."""
    key, _, label = field.partition(".")
    meta = dict(meta)
    if label and isinstance(meta.get(key), dict):
        meta[key] = {name: value for name, value in meta[key].items() if name != label}
        if meta[key]:
            return meta
    meta.pop(key, None)
    return meta


def _bib_field(entry: BibEntry, field: str) -> str:
    """The BibTeX field a front-matter field came from ('links.website' <- website, html or url)."""
    key, _, label = field.partition(".")
    if label:
        names = [name for name, mapped in LINK_FIELDS.items() if mapped == label] + ["url"]
    else:
        names = [name for name, mapped in COPIED.items() if mapped == key] + {
            "venue": list(VENUE_FIELDS), "tags": ["keywords", "tags"], "award": ["award_name", "award"],
            "arxiv": ["arxiv", "eprint"]}.get(key, [key])
    return next((name for name in names if entry.get(name)), key)
