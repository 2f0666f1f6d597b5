"""Turn paper content files (front matter + Markdown abstract) into Publication records."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from site_builder.bibtex import MONTHS
from site_builder.errors import ContentError, did_you_mean, quoted
from site_builder.frontmatter import SourceFile, as_date
from site_builder.markup import MarkdownRenderer, html_to_text
from site_builder.models import BADGE_FIELDS, Author, Link, Owner, Publication
from site_builder.paper_latex import render_latex
from site_builder.safety import is_safe_asset, is_safe_url

if TYPE_CHECKING:
    from site_builder.bibtex_in import BibPaper

KNOWN_FIELDS = (
    "title", "authors", "venue", "venue_short", "year", "date", "order", "award", "selected",
    "links", "tags", "bibtex_type", "abstract", "month", "volume", "issue", "pages", "publisher",
    "doi", "arxiv", "note", "image", "bibtex_key", "bibtex", "import_hash", "additional_info", "annotation",
    *BADGE_FIELDS,
)
EXTRA_FIELDS = ("month", "volume", "issue", "pages", "publisher", "note")
_LINK_FIELDS = ("doi", "arxiv")  # also accepted at the top level, as in BibTeX
ET_AL = ("others", "and others", "et al.", "et al")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_MONTH_NAME = re.compile(r"\b(" + "|".join(MONTHS) + r")[a-z]*\b\.?", re.IGNORECASE)
FORTHCOMING = "forthcoming"  # the 'year' of a paper in press or submitted


def publication_from_source(source: SourceFile, markdown: MarkdownRenderer, owner: Owner,
                            warnings: list[str], bib: BibPaper | None = None,
                            overridden: frozenset[str] = frozenset()) -> Publication:
    """Check one paper's fields and build its record; the first problem raises ContentError.

    `bib` is the .bib entry the paper comes from; `overridden`, the fields a Markdown file
    with the same slug sets over the entry's.
    """
    meta, path = source.meta, source.path
    for key in meta:
        if key not in KNOWN_FIELDS:
            close = did_you_mean(str(key), KNOWN_FIELDS)
            hint = f"; did you mean '{close}'?" if close else "; it is ignored"
            warnings.append(f"{path}: unknown field {quoted(str(key))}{hint}")
    try:
        return _checked_publication(source, markdown, owner, warnings, bib, overridden)
    except ContentError as exc:
        if exc.line is None and exc.field and exc.path == path:  # the line of the field at fault
            exc.line = source.line_of(exc.field.partition(".")[0])
        raise


def _checked_publication(source: SourceFile, markdown: MarkdownRenderer, owner: Owner, warnings: list[str],
                         bib: BibPaper | None, overridden: frozenset[str]) -> Publication:
    meta, path = source.meta, source.path
    fields = _Fields(path, meta)
    title = fields.text("title", required=True)
    year = fields.year()
    authors, more_authors = fields.authors(owner)
    abstract_source = source.body if source.body.strip() else fields.text("abstract")
    abstract_html = markdown.to_html(abstract_source) if abstract_source.strip() else ""
    date = fields.date(year)
    pub = Publication(
        slug=bib.slug if bib else path.stem,
        title=title,
        year=year,
        source=path,
        authors=authors,
        more_authors=more_authors,
        venue=fields.text("venue"),
        venue_short=fields.text("venue_short"),
        date=date,
        month=date.month if date else fields.month(warnings),
        order=fields.whole_number("order"),
        award=fields.text("award"),
        selected=fields.flag("selected"),
        links=fields.links(),
        tags=fields.tags(),
        bibtex_type=fields.text("bibtex_type").lower(),
        abstract_html=abstract_html,
        abstract_text=html_to_text(abstract_html),
        extra=tuple((k, fields.text(k)) for k in EXTRA_FIELDS if fields.text(k)),
        image=fields.image(),
        additional_info_html=_inline_html(markdown, fields.text("additional_info")),
        annotation_html=_annotation_html(fields.text("annotation")),
        **{key: fields.badge_id(key) for key in BADGE_FIELDS},
    )
    return render_latex(pub, source, markdown, owner, warnings, bib, overridden)


class _Fields:
    """Typed access to front-matter values; each check names the field and what to write."""

    def __init__(self, path: Path, meta: dict[str, Any]):
        self.path = path
        self.meta = meta

    def fail(self, message: str, field: str = "") -> ContentError:
        return ContentError(self.path, message, field=field)

    def text(self, key: str, required: bool = False) -> str:
        value = self.meta.get(key)
        if value is None:
            if required:
                raise self.fail(f"'{key}' is missing; add '{key}: ...' to the front matter", key)
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail(f"'{key}' must be text (got {_kind(value)})", key)
        result = " ".join(str(value).split())
        if required and not result:
            raise self.fail(f"'{key}' is empty; write the paper's {key}", key)
        return result

    def badge_id(self, key: str) -> str:
        """A citation badge's id; `true` (use the paper's DOI) is kept as 'true'."""
        value = self.meta.get(key)
        if value is True:
            return "true"
        return "" if value is False else self.text(key)

    def year(self) -> int | None:
        """The year: as written, else the year of 'date'; None for `year: forthcoming`."""
        value = self.meta.get("year")
        if value is None and self.meta.get("date") is not None:
            return self.date(None).year
        if value is None:
            raise self.fail("'year' is missing; add 'year: 2024' to the front matter (or 'year: "
                            f"{FORTHCOMING}' for a paper in press)", "year")
        if isinstance(value, str) and value.strip().lower() == FORTHCOMING:
            return None
        if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
            raise self.fail(f"'year' must be a 4-digit year between 1900 and 2100 (got {quoted(value)})", "year")
        return value

    def date(self, year: int | None) -> dt.date | None:
        value = self.meta.get("date")
        if value is None:
            return None
        date = as_date(value)
        if date is None:
            raise self.fail(f"'date' must be a real day written like 2024-05-31 (got {quoted(value)})", "date")
        if year is not None and date.year != year:
            raise self.fail(f"'date' {date} is not in 'year' {year}; make them agree", "date")
        return date

    def month(self, warnings: list[str]) -> int | None:
        """The month as a number: 'may', 'May', 'Jun.', '5', '07', even '07--09 Jul'; None (with
        a warning) when it names no month."""
        text = self.text("month")
        if not text:
            return None
        name = _MONTH_NAME.search(text)
        if name:
            return MONTHS.index(name.group(1).lower()) + 1
        if text.isdigit() and 1 <= int(text) <= 12:
            return int(text)
        warnings.append(f"{self.path}: 'month' {text!r} is not a month (write may or 5); the paper is "
                        "listed after those with a month")
        return None

    def image(self) -> str:
        path = self.text("image")
        if path and not is_safe_asset(path):
            raise self.fail(f"'image' must be a site path like assets/x.png or an https:// URL (got {quoted(path)})",
                            "image")
        return path

    def whole_number(self, key: str) -> int | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"'{key}' must be a whole number (got {quoted(value)})", key)
        return value

    def flag(self, key: str) -> bool:
        value = self.meta.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(f"'{key}' must be true or false (got {quoted(value)})", key)
        return value

    def authors(self, owner: Owner) -> tuple[tuple[Author, ...], bool]:
        value = self.meta.get("authors", [])
        if value is None:
            value = []
        if not isinstance(value, list):
            raise self.fail("'authors' must be a list, one author per line starting with '- '", "authors")
        authors: list[Author] = []
        more = False
        for number, entry in enumerate(value, 1):
            if isinstance(entry, str) and entry.strip().casefold() in ET_AL and number == len(value):
                more = True
                continue
            authors.append(self._author(entry, number, owner))
        return tuple(authors), more

    def _author(self, entry: Any, number: int, owner: Owner) -> Author:
        if isinstance(entry, str) and entry.strip():
            name = " ".join(entry.split())
            return Author(name=name, is_owner=owner.matches(name))
        if isinstance(entry, dict):
            unknown = set(entry) - {"name", "url", "equal", "corresponding"}
            if unknown:
                raise self.fail(f"author {number} has unknown key {quoted(str(sorted(unknown, key=str)[0]))}; "
                                "use name, url, equal, corresponding", "authors")
            name = entry.get("name")
            if not isinstance(name, str) or not name.strip():
                raise self.fail(f"author {number} needs a 'name'", "authors")
            url = entry.get("url") or ""
            if not isinstance(url, str) or (url and not is_safe_url(url)):
                raise self.fail(f"author {number} has an unsafe or invalid 'url'; use http(s)", "authors")
            for key in ("equal", "corresponding"):
                if not isinstance(entry.get(key, False), bool):
                    raise self.fail(f"author {number}: '{key}' must be true or false", "authors")
            name = " ".join(name.split())
            return Author(name=name, url=url.strip(), equal=entry.get("equal", False),
                          corresponding=entry.get("corresponding", False),
                          is_owner=owner.matches(name))
        raise self.fail(f"author {number} must be a name or a mapping with 'name' (got {_kind(entry)})", "authors")

    def links(self) -> tuple[Link, ...]:
        value = self.meta.get("links") or {}
        if not isinstance(value, dict):
            raise self.fail("'links' must be a mapping, one 'label: URL' per line (e.g. 'pdf: https://...')", "links")
        found: dict[str, str] = {}
        field: dict[str, str] = {}  # label -> the front-matter field it was read from
        for key in _LINK_FIELDS:
            if self.meta.get(key):
                found[key], field[key] = self.text(key), key
        for label, url in value.items():
            label = str(label).strip().lower()
            if url is None or url == "":
                continue
            if isinstance(url, float) and re.fullmatch(r"\d{4}\.\d{4,5}", str(url)):
                url = str(url)  # an unquoted arXiv id that YAML read as a number
            if not isinstance(url, str):
                raise self.fail(f"link {quoted(label)} must be a URL in quotes (got {quoted(url)})", f"links.{label}")
            found[label], field[label] = url.strip(), f"links.{label}"
        links = []
        for label, url in found.items():
            url = _expand_link(label, url)
            if not is_safe_url(url):
                raise self.fail(f"link {quoted(label)} has an unsafe URL {quoted(url)}; only http(s), mailto "
                                "and relative links are allowed", field[label])
            links.append(Link(label, url))
        return tuple(links)

    def tags(self) -> tuple[str, ...]:
        value = self.meta.get("tags") or []
        if isinstance(value, str):
            value = [t for t in value.split(",")]
        if not isinstance(value, list) or not all(isinstance(t, (str, int)) for t in value):
            raise self.fail("'tags' must be a list of words", "tags")
        return tuple(dict.fromkeys(str(t).strip() for t in value if str(t).strip()))


def _inline_html(markdown: MarkdownRenderer, text: str) -> str:
    """One paragraph of Markdown as inline HTML (raw HTML escaped, unsafe links dropped)."""
    if not text:
        return ""
    rendered = markdown.to_html(text).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return rendered


def _annotation_html(text: str) -> str:
    """al-folio's annotation: plain text whose lines are separated by <br>; all else escaped."""
    return "<br>".join(html.escape(line.strip()) for line in _BR.split(text)) if text else ""


def _expand_link(label: str, url: str) -> str:
    """Bare DOIs and arXiv ids become links (10.1145/... and 2401.12345)."""
    if label == "doi" and not url.startswith(("http://", "https://")):
        return "https://doi.org/" + url.removeprefix("doi:")
    if label == "arxiv" and not url.startswith(("http://", "https://")):
        return "https://arxiv.org/abs/" + url.removeprefix("arXiv:")
    return url


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(type(value)) or quoted(value)
