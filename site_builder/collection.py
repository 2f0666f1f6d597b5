"""Collections beyond papers: posts, talks, projects and teaching. Each kind is declared once in
KINDS (its folder, fields, address, templates, order and menu title); one loader reads every
kind, and collection_pages.py lists the pages of every kind with one loop."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from site_builder.content import content_files, slug_for
from site_builder.errors import ContentError, ManyErrors, SiteError, did_you_mean
from site_builder.frontmatter import as_date, read_text, split_front_matter
from site_builder.markup import MarkdownRenderer, html_to_text
from site_builder.models import Item, Page, Publication
from site_builder.papers import _Fields


def _newest_first(item: Item) -> tuple:
    return (item.date is None, -(item.date.toordinal() if item.date else 0), item.order is None,
            item.order or 0, item.slug)


def _by_order(item: Item) -> tuple:
    return (item.order is None, item.order or 0, item.title.casefold(), item.slug)


@dataclass(frozen=True)
class Kind:
    """One kind of collection: content/<folder>/<slug>.md, listed at /<section>/."""

    folder: str
    section: str  # the address: /<section>/ lists the items, /<section>/<slug>/ shows one
    title: str  # heading of the list page and title in the menu
    fields: tuple[str, ...]  # the front-matter fields it takes ('title' is always required)
    required: tuple[str, ...]
    list_template: str
    item_template: str
    order: Callable[[Item], tuple]
    page_needs_body: bool = False  # an item gets its own page only when it has a body
    tag_pages: bool = False  # /<section>/tags/<tag>/ for each tag
    feed: bool = False  # /<section>/feed.xml, an Atom feed of the items


KINDS = (
    Kind("posts", "blog", "Blog", ("title", "date", "tags", "summary", "draft", "image"),
         ("title", "date"), "blog.html", "post.html", _newest_first,
         tag_pages=True, feed=True),
    Kind("talks", "talks", "Talks", ("title", "date", "event", "location", "kind", "links", "paper"),
         ("title", "date"), "talks.html", "talk.html", _newest_first, page_needs_body=True),
    Kind("projects", "projects", "Projects",
         ("title", "summary", "image", "links", "tags", "order", "papers"),
         ("title",), "projects.html", "project.html", _by_order),
    Kind("teaching", "teaching", "Teaching",
         ("title", "date", "term", "institution", "location", "kind", "links", "order"),
         ("title",), "teaching.html", "course.html", _newest_first, page_needs_body=True),
)
KIND_BY_FOLDER = {kind.folder: kind for kind in KINDS}


def load_items(root: Path, markdown: MarkdownRenderer, warnings: list[str],
               drafts: bool = False) -> tuple[Item, ...]:
    """Every item of every kind, each kind in its display order. Posts marked `draft: true`
    are left out unless `drafts` (the preview server shows them)."""
    items: list[Item] = []
    errors: list[SiteError] = []
    for kind in KINDS:
        found: dict[str, Item] = {}
        for path in content_files(root / kind.folder, ".md"):
            try:
                item = _read_item(kind, path, markdown, warnings)
            except SiteError as exc:
                errors.append(exc)
                continue
            if item.slug in found:
                errors.append(ContentError(path, f"duplicate slug '{item.slug}': {found[item.slug].source} "
                                                 "has the same name; rename one of the files"))
            elif drafts or not item.draft:
                found[item.slug] = item
        items.extend(sorted(found.values(), key=kind.order))
    if errors:
        raise errors[0] if len(errors) == 1 else ManyErrors(errors)
    return tuple(items)


def _read_item(kind: Kind, path: Path, markdown: MarkdownRenderer, warnings: list[str]) -> Item:
    text = read_text(path)
    source, lines = split_front_matter(path, text), _field_lines(text)
    fields = _Fields(path, source.meta)
    for key in source.meta:
        if key not in kind.fields:
            close = did_you_mean(str(key), kind.fields)
            hint = f"; did you mean '{close}'?" if close else f"; {kind.folder} take {', '.join(kind.fields)}"
            warnings.append(f"{path}:{lines.get(str(key), 2)}: unknown field '{key}'{hint}")
    values: dict[str, Any] = {}
    for key in kind.fields:
        try:
            values[key] = _READERS[key](fields, key)
            if key in kind.required and not values[key]:
                raise fields.fail(f"'{key}' is missing; add '{key}: {_EXAMPLES[key]}' to the front matter")
        except ContentError as exc:
            raise ContentError(path, exc.message, lines.get(key, 2)) from None
    html = markdown.to_html(source.body) if source.body.strip() else ""
    slug = slug_for(path)
    if slug != path.stem:
        warnings.append(f"{path}: file name is not a safe URL; the address uses '{slug}'")
    return Item(collection=kind.folder, section=kind.section, slug=slug, source=path, html=html,
                text=html_to_text(html), has_page=bool(html) or not kind.page_needs_body, **values)


def _field_lines(text: str) -> dict[str, int]:
    """The line of each top-level front-matter key, for error messages."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines()[1:], 2):
        if line.rstrip() in ("---", "..."):
            break
        match = re.match(r"([A-Za-z_][\w-]*)\s*:", line)
        if match:
            lines.setdefault(match.group(1), number)
    return lines


def _date(fields: _Fields, key: str) -> dt.date | None:
    value = fields.meta.get(key)
    if value is None:
        return None
    date = as_date(value)
    if date is None and isinstance(value, str):  # '2024-05-31 14:00' or '2024-05-31T14:00'
        try:
            date = dt.datetime.fromisoformat(value.strip()).date()
        except ValueError:
            pass
    if date is None:
        raise fields.fail(f"'{key}' must be a date like 2024-05-31 (got {value!r})")
    return date


def _slugs(fields: _Fields, key: str) -> tuple[str, ...]:
    value = fields.meta.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(slug, str) and slug.strip() for slug in value):
        raise fields.fail(f"'{key}' must be a list of paper slugs (file names in papers/ without .md)")
    return tuple(dict.fromkeys(slug.strip() for slug in value))


_READERS: dict[str, Callable[[_Fields, str], Any]] = {
    "title": _Fields.text, "summary": _Fields.text, "event": _Fields.text, "location": _Fields.text,
    "kind": _Fields.text, "term": _Fields.text, "institution": _Fields.text, "paper": _Fields.text,
    "date": _date, "tags": lambda fields, key: fields.tags(), "links": lambda fields, key: fields.links(),
    "image": lambda fields, key: fields.image(), "order": _Fields.whole_number, "draft": _Fields.flag,
    "papers": _slugs,
}
_EXAMPLES = {"title": "...", "date": "2024-05-31"}


def check_references(items: tuple[Item, ...], publications: tuple[Publication, ...],
                     pages: tuple[Page, ...]) -> None:
    """Every paper slug a talk or project names exists, and no page takes a section's address."""
    slugs = {pub.slug for pub in publications}
    errors: list[SiteError] = []
    for item in items:
        for slug in (item.paper, *item.papers):
            if slug and slug not in slugs:
                close = did_you_mean(slug, sorted(slugs))
                hint = f"did you mean '{close}'?" if close else "use a file name from papers/ without .md"
                key = "paper" if slug == item.paper else "papers"
                line = _field_lines(read_text(item.source)).get(key)
                errors.append(ContentError(item.source, f"no paper '{slug}' in papers/; {hint}", line))
    sections = {item.section for item in items}
    for page in pages:
        if page.slug in sections:
            errors.append(ContentError(page.source, f"a page cannot be named '{page.slug}' while "
                                       f"content/{_folder(page.slug)}/ has items (it uses that address); "
                                       "rename the page or move its text into the items"))
    if errors:
        raise errors[0] if len(errors) == 1 else ManyErrors(errors)


def _folder(section: str) -> str:
    return next(kind.folder for kind in KINDS if kind.section == section)
