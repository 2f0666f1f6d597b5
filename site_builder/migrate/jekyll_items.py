"""Jekyll collections of talks, teaching and projects (academicpages' _talks, _teaching,
_portfolio and added collections; al-folio sites that add _talks or _teachings), as the
content kinds talks/, teaching/ and projects/."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from site_builder.migrate import jekyll
from site_builder.migrate.bodies import SiteLinks
from site_builder.migrate.mappings import COMMON_FIELDS, TALK_FIELDS, TEACHING_FIELDS
from site_builder.migrate.plan import Item, Migration, file_slug
from site_builder.migrate.source import OldFile, as_date, dated_name, markdown_files, text_of

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def clean(value: Any) -> str:
    return html.unescape(text_of(value).replace("\ufeff", "")).strip()


def year_in(stem: str) -> int:
    match = re.match(r"(\d{4})", stem)
    return int(match.group(1)) if match else 0


def talks(migration: Migration, links: SiteLinks, folder: str = "_talks") -> None:
    for path in markdown_files(migration.source / folder):
        old = jekyll.read_or_report(path, migration)
        if old is None:
            continue
        meta = _dated(old, path, migration)
        if meta is None:
            continue
        _mapped(old, meta, TALK_FIELDS, links, migration)
        if meta.get("kind"):
            meta["kind"] = meta["kind"].lower()
        _add(migration, links, "talks", path, old, meta)


def teaching(migration: Migration, links: SiteLinks, folder: str = "_teaching") -> None:
    for path in markdown_files(migration.source / folder):
        old = jekyll.read_or_report(path, migration)
        if old is None:
            continue
        meta: dict[str, Any] = {"title": clean(old.meta.get("title")) or path.stem}
        date = as_date(old.meta.get("date"))
        if date:
            meta["date"] = date
        _mapped(old, meta, TEACHING_FIELDS, links, migration)
        _add(migration, links, "teaching", path, old, meta)


def _mapped(old: OldFile, meta: dict[str, Any], table: dict[str, str], links: SiteLinks,
            migration: Migration) -> None:
    """Fields by the table (a 'links.x' target is a link); any other field with a value is reported."""
    for field, value in old.meta.items():
        new = table.get(field)
        text = clean(value)
        if new is None:
            if field not in COMMON_FIELDS and text:
                migration.leave(old.path, old.line_of(field), f"field '{field}' has no counterpart; not carried over")
        elif text and new.startswith("links."):
            meta.setdefault("links", {})[new[6:]] = links.new_address(text) or text
        elif text:
            meta.setdefault(new, text)


def projects(migration: Migration, links: SiteLinks, folder: str, label: str) -> None:
    for path in markdown_files(migration.source / folder):
        old = jekyll.read_or_report(path, migration)
        if old is None:
            continue
        meta: dict[str, Any] = {"title": clean(old.meta.get("title")) or path.stem}
        excerpt = clean(old.meta.get("excerpt"))
        image = re.search(r"<img[^>]*src=['\"]([^'\"]+)", excerpt)
        if image:
            meta["image"] = links.new_address(image.group(1)) or image.group(1)
        summary = " ".join(re.sub(r"<[^>]+>", " ", excerpt).split())
        if summary:
            meta["summary"] = summary
        if label != "portfolio":
            meta["tags"] = [label]
        for field in old.meta:
            if field not in ("title", "excerpt", "collection", "permalink", "date", "layout"):
                migration.leave(path, old.line_of(field), f"field '{field}' has no counterpart; not carried over")
        _add(migration, links, "projects", path, old, meta)


def _dated(old: OldFile, path: Path, migration: Migration) -> dict[str, Any] | None:
    bold = _BOLD.search(old.body)
    title = clean(old.meta.get("title")) or (re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", bold.group(1)).strip(" :")
                                             if bold else path.stem)
    meta: dict[str, Any] = {"title": title}
    date = as_date(old.meta.get("date")) or dated_name(path.stem)[0]
    if date is None and year_in(path.stem):
        date = as_date(str(year_in(path.stem)))
        migration.convert(f"{migration.relative(path)}: no date, the year of its file name is used")
    if date is None:
        migration.leave(path, None, "talk without a date: not carried over")
        return None
    meta["date"] = date
    return meta


def _add(migration: Migration, links: SiteLinks, folder: str, path: Path, old: OldFile,
         meta: dict[str, Any]) -> None:
    jekyll.report_layout(old, migration)
    item = Item(folder, file_slug(path.stem) or folder, meta, old.body, migration.relative(path), depth=2,
                body_line=old.body_line)
    migration.add(item, folder)
    item.address = f"{folder}/{item.slug}/"
    permalink = text_of(old.meta.get("permalink")).strip("/")
    old_folder = path.parent.name.lstrip("_")
    for address in (permalink, f"{old_folder}/{path.stem}"):
        if address:
            links.pages.setdefault(address + "/", item.address)
