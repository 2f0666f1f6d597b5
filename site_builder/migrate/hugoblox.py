"""Hugo Blox / Wowchemy (Hugo): publications (bundles with cite.bib), events or talks, posts,
projects, the owner's profile, config in YAML or TOML, and static/ and bundle files."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from site_builder.bibtex_in import front_matter, read_bib
from site_builder.migrate import hugo_site
from site_builder.migrate.bodies import SiteLinks
from site_builder.migrate.mappings import HUGO_ITEM_KEYS, HUGO_LINKS, HUGO_PAPER_KEYS, HUGO_SECTIONS, HUGO_TYPES
from site_builder.migrate.plan import Item, Migration, file_slug, name_variants
from site_builder.migrate.source import OldFile, Unreadable, as_date, is_true, read_old, text_of

_BIB_EXTRAS = ("volume", "issue", "pages", "publisher", "month", "bibtex_type", "bibtex_key", "note")
_EMPHASIS = re.compile(r"^\s*(?:In\s+)?[*_]+(.*?)[*_]+\s*$|^\s*In\s+(.*)$")


def read_hugoblox(migration: Migration) -> SiteLinks:
    config = hugo_site.read_config(migration)
    hugo_site.site_settings(config, migration)
    url = migration.site.get("url", "")
    host = url.rstrip("/").rsplit("/", 1)[0] if url.count("/") > 3 else url.rstrip("/")
    links = SiteLinks(hosts=(host,) if host else ())
    static = migration.source / "static"
    for path in sorted(static.rglob("*")) if static.is_dir() else []:
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(static).parts):
            relative = path.relative_to(static).as_posix()
            new = migration.copy(path, f"files/{relative}", "files")
            if new:
                links.files[relative] = new
    usernames = hugo_site.owner(migration, links.files)
    variants = name_variants(migration.site["owner"]["name"])
    if variants:
        migration.site["owner"]["variants"] = variants
    content = migration.source / "content"
    for folder in sorted(p for p in content.iterdir() if p.is_dir()) if content.is_dir() else []:
        kind = HUGO_SECTIONS.get(folder.name)
        if kind is None:
            if folder.name not in ("authors", "home"):
                count = len(list(folder.rglob("*.md")))
                migration.leave(folder, None, f"section '{folder.name}' ({count} files): no counterpart in "
                                "site-builder; not carried over")
            continue
        for index, bundle in _pages_of(folder):
            try:
                old = read_old(index)
            except Unreadable as exc:
                migration.leave(index, exc.line, f"not carried over: {exc.message}")
                continue
            if is_true(old.meta.get("draft")):
                migration.leave(index, old.line_of("draft"), "a draft: not carried over")
                continue
            _item(kind, index, bundle, old, migration, links, usernames)
    _root_pages(migration, content, links)
    for path in sorted(migration.source.rglob("*.ipynb")):
        migration.leave(path, None, "Jupyter notebook: not carried over (export it to HTML into files/)")
    hugo_site.home_widgets(migration)
    hugo_site.menus(config, migration)
    return links


def _root_pages(migration: Migration, content: Path, links: SiteLinks) -> None:
    """content/*.md: landing pages built from blocks are reported; others become pages."""
    for path in sorted(content.glob("*.md")) if content.is_dir() else []:
        try:
            old = read_old(path)
        except Unreadable as exc:
            migration.leave(path, exc.line, f"not carried over: {exc.message}")
            continue
        blocks = [text_of(s.get("block")) for s in old.meta.get("sections") or [] if isinstance(s, dict)]
        if blocks:
            migration.leave(path, old.line_of("sections"), f"page built from blocks ({', '.join(blocks)}): "
                            "site-builder generates its home page, and the CV comes from cv.yaml")
        elif path.name != "_index.md" and old.body.strip():
            slug = file_slug(path.stem) or "page"
            item = Item("pages", slug, {"title": text_of(old.meta.get("title")) or path.stem}, old.body,
                        migration.relative(path), depth=1, body_line=old.body_line)
            migration.add(item, "pages")
            item.address = f"{item.slug}/"
            links.pages.setdefault(f"{path.stem}/", item.address)


def _pages_of(folder: Path) -> list[tuple[Path, Path | None]]:
    """(index file, bundle folder or None) for each page of a section, leaf .md files included."""
    found = []
    for path in sorted(folder.rglob("*.md")):
        if path.name == "_index.md" or any(p.startswith(".") for p in path.relative_to(folder).parts):
            continue
        if path.name == "index.md":
            found.append((path, path.parent))
        elif not (path.parent / "index.md").is_file():
            found.append((path, None))
    return found


def _item(kind: str, index: Path, bundle: Path | None, old: OldFile, migration: Migration, links: SiteLinks,
          usernames: dict[str, str]) -> None:
    slug = file_slug(bundle.name if bundle else index.stem) or kind
    files = _bundle_files(bundle, kind, slug, migration) if bundle else {}
    meta: dict[str, Any] = {"title": text_of(old.meta.get("title")) or slug}
    date = as_date(old.meta.get("date") or old.meta.get("event_start") or old.meta.get("publishDate"))
    if kind == "papers":
        meta.update(_paper(old, files, migration, usernames, date, links))
        if "year" not in meta:
            migration.leave(index, None, "publication without a date: not carried over")
            return
    elif date and kind == "projects":  # they are listed by 'order', and have no date
        migration.leave(index, old.line_of("date"), f"date {date}: projects have no date; not carried over")
    elif date:
        meta["date"] = date
    elif kind in ("talks", "posts"):
        migration.leave(index, None, f"no date: not carried over ({kind} need one)")
        return
    summary = text_of(old.meta.get("summary") or old.meta.get("Summary"))
    if kind in ("posts", "projects") and summary:
        meta["summary"] = summary
    if kind == "talks" and summary:  # 'Conference Poster', 'Invited Lecture': the kind of talk
        if len(summary.split()) <= 4:
            meta["kind"] = summary.lower()
        else:
            old = replace(old, body=f"{summary}\n\n{old.body}")
    if kind == "talks":
        event = text_of(old.meta.get("event") or old.meta.get("event_name"))
        if event:
            meta["event"] = event
        address = old.meta.get("address") if isinstance(old.meta.get("address"), dict) else {}
        place = [text_of(old.meta.get("location"))] + [text_of(address.get(k)) for k in ("city", "country")]
        if any(place):
            meta["location"] = ", ".join(dict.fromkeys(p for p in place if p))
    if kind != "papers":
        for key in old.meta:
            if key.lower() not in HUGO_ITEM_KEYS and old.meta[key] not in (None, "", [], {}, False):
                migration.leave(index, old.line_of(key), f"field '{key}' has no counterpart; not carried over")
        item_links = _links(old, files, links)
        if item_links:
            meta["links"] = item_links
        tags = [text_of(t) for t in old.meta.get("tags") or [] if text_of(t)]
        if tags and kind in ("posts", "projects"):
            meta["tags"] = tags
        elif tags:
            migration.leave(index, old.line_of("tags"), f"tags {', '.join(tags)}: {kind} have no tags; "
                            "not carried over")
    image = next((new for name, new in files.items() if name.startswith("featured.")), "")
    picture = old.meta.get("image") if isinstance(old.meta.get("image"), dict) else {}
    media = migration.source / "assets" / "media" / text_of(picture.get("filename"))
    if not image and text_of(picture.get("filename")) and media.is_file():
        image = migration.copy(media, f"files/media/{media.name}", "images")
    if image and kind in ("papers", "posts", "projects"):
        meta["image"] = image
    body = old.body
    if kind == "papers" and meta.get("abstract"):
        body = meta.pop("abstract") + ("\n\n" + body.strip() if body.strip() else "")
    if kind == "talks" and text_of(old.meta.get("abstract")):
        body = str(old.meta["abstract"]).strip() + ("\n\n" + body.strip() if body.strip() else "")
    for name, new in files.items():
        body = re.sub(rf"(\]\(|src=[\"']){re.escape(name)}(?=[)\"'\s])", rf"\g<1>{new}", body)
    item = Item(kind, slug, meta, body, migration.relative(index), depth=2, body_line=old.body_line)
    migration.add(item, kind)
    item.address = f"{ {'posts': 'blog'}.get(kind, kind)}/{item.slug}/"
    section = index.relative_to(migration.source / "content").parts[0]
    for old_section in {section, {"event": "talk"}.get(section, section)}:
        links.pages.setdefault(f"{old_section}/{bundle.name if bundle else index.stem}/", item.address)


def _bundle_files(bundle: Path, kind: str, slug: str, migration: Migration) -> dict[str, str]:
    """The bundle's own files (featured image, PDFs), copied to files/<kind>/<slug>/."""
    found = {}
    for path in sorted(bundle.iterdir()):
        if path.is_file() and path.suffix.lower() not in (".md", ".bib") and not path.name.startswith("."):
            new = migration.copy(path, f"files/{kind}/{slug}/{path.name}", "page-bundle files")
            if new:
                found[path.name] = new
    return found


def _paper(old: OldFile, files: dict[str, str], migration: Migration, usernames: dict[str, str], date,
           links: SiteLinks) -> dict[str, Any]:
    """A publication's fields; `files`: its bundle's files (name -> new path)."""
    index = old.path
    bundle = index.parent if index.name == "index.md" else None
    meta: dict[str, Any] = {}
    migration.convert("publications: 'authors' user names (admin, me) became names, 'Last, First' was turned "
                      "round, '~' became a space, 'author_notes' of equal contribution became 'equal: true'; "
                      "'date' (RFC 3339) gave year and date; 'publication' and 'publication_short' became "
                      "venue and venue_short without 'In' and '*'; 'featured' became 'selected'; url_* and "
                      "the 'links:' list became 'links:'")
    bib = _cite_bib(bundle, migration) if bundle else {}
    authors = _authors(old.meta.get("authors"), old.meta.get("author_notes"), usernames)
    if authors or bib.get("authors"):
        meta["authors"] = authors or bib["authors"]
    if date is None and bib.get("year"):
        meta["year"] = bib["year"]
    elif date:
        meta["year"], meta["date"] = date.year, date
    publication = old.meta.get("publication")
    short = old.meta.get("publication_short")
    if isinstance(publication, dict):
        publication, short = publication.get("name"), short or publication.get("short_name")
    if _plain(publication):
        meta["venue"] = _plain(publication)
    elif bib.get("venue"):
        meta["venue"] = bib["venue"]
    if _plain(short) and _plain(short) != meta.get("venue"):
        meta["venue_short"] = _plain(short)
    if is_true(old.meta.get("featured")):
        meta["selected"] = True
    ids = (old.meta.get("hugoblox") or {}).get("ids") if isinstance(old.meta.get("hugoblox"), dict) else None
    doi = text_of(old.meta.get("doi")) or text_of((ids or {}).get("doi")) or text_of(bib.get("doi"))
    if doi:
        meta["doi"] = re.sub(r"^https?://(dx\.)?doi\.org/", "", doi)
    arxiv = text_of((ids or {}).get("arxiv")) or text_of(bib.get("arxiv"))
    if arxiv:
        meta["arxiv"] = arxiv
    types = old.meta.get("publication_types") or []
    code = text_of(types[0] if isinstance(types, list) and types else types)
    if code in HUGO_TYPES:
        meta["bibtex_type"] = HUGO_TYPES[code]
    elif code:
        migration.leave(index, old.line_of("publication_types"), f"publication type '{code}' is not a known "
                        "one; the type is guessed from the venue")
    tags = [text_of(t) for t in old.meta.get("tags") or [] if text_of(t)]
    if tags:
        meta["tags"] = tags
    paper_links = _links(old, files, links)
    if paper_links:
        meta["links"] = paper_links
    for key in _BIB_EXTRAS:
        if bib.get(key) and key not in meta:
            meta[key] = bib[key]
    for key in old.meta:
        if key not in HUGO_PAPER_KEYS:
            migration.leave(index, old.line_of(key), f"field '{key}' has no counterpart; not carried over")
    abstract = text_of(old.meta.get("abstract")) and str(old.meta["abstract"]).strip()
    if abstract:
        meta["abstract"] = abstract
    return meta


def _cite_bib(bundle: Path, migration: Migration) -> dict[str, Any]:
    path = bundle / "cite.bib"
    if not path.is_file():
        return {}
    entries, problems = read_bib(path)
    if not entries:
        migration.leave(path, None, "cite.bib has no readable entry" + (f": {problems[0]}" if problems else ""))
        return {}
    meta, _, _ = front_matter(entries[0])
    migration.convert("each bundle's cite.bib gave the BibTeX details (type, key, volume, pages, publisher)")
    return meta


def _authors(value: Any, notes: Any, usernames: dict[str, str]) -> list[Any]:
    names = value if isinstance(value, list) else [value] if text_of(value) else []
    notes = notes if isinstance(notes, list) else []
    authors: list[Any] = []
    for number, raw in enumerate(names):
        name = usernames.get(text_of(raw), text_of(raw))
        name = _first_last(name.replace("~", " "))
        name = " ".join(name.split())
        if not name:
            continue
        note = text_of(notes[number]).lower() if number < len(notes) else ""
        if "equal" in note:
            authors.append({"name": name, "equal": True})
        elif "corresponding" in note:
            authors.append({"name": name, "corresponding": True})
        else:
            authors.append(name)
    return authors


def _first_last(name: str) -> str:
    """'Fellows Yates, James A' -> 'James A Fellows Yates' (one comma only)."""
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        return f"{first} {last}".strip()
    return name


def _plain(value: Any) -> str:
    text = text_of(value)
    match = _EMPHASIS.match(text)
    if match:
        text = (match.group(1) or match.group(2) or "").strip().strip("*_")
    return text.strip()


def _links(old: OldFile, files: dict[str, str], links: SiteLinks) -> dict[str, str]:
    found: dict[str, str] = {}
    listed = old.meta.get("links") if isinstance(old.meta.get("links"), list) else []
    for entry in listed:
        if isinstance(entry, dict) and text_of(entry.get("url")):
            label = (text_of(entry.get("type")) or text_of(entry.get("name")) or "link").lower()
            found.setdefault(label, text_of(entry.get("url")))
    for key, label in HUGO_LINKS.items():
        url = text_of(old.meta.get(key))
        if url:
            found.setdefault(label, url)
    for label, url in list(found.items()):
        name = url.rsplit("/", 1)[-1]
        if "://" not in url and name in files:
            found[label] = files[name]
        else:
            found[label] = _own_upload(url, links) or links.new_address(url) or url
    return found


def _own_upload(url: str, links: SiteLinks) -> str:
    """A link to the owner's own static file through GitHub (…/raw/main/uploads/x.pdf): the copy."""
    path = urlsplit(url).path
    match = re.search(r"/(?:raw|blob)/[^/]+/(.+)$", path) if "github" in url else None
    if match:
        relative = match.group(1).removeprefix("static/")
        return links.files.get(relative, "")
    return ""
