"""The pages of every collection, as (template, output path, context) for the renderer: a list
page per kind, a page per item, and for kinds that have them, tag pages and a feed. Data in,
data out: no rendering here."""

from __future__ import annotations

import hashlib
from typing import Any, Iterator

from site_builder.collection import KINDS, Kind
from site_builder.markup import first_sentence
from site_builder.models import Item, Site
from site_builder.safety import safe_slug


def tag_slug(tag: str) -> str:
    """A tag's address part: 'Machine learning' -> 'machine-learning'."""
    return safe_slug(tag) or "tag-" + hashlib.blake2b(tag.encode(), digest_size=4).hexdigest()


def year_groups(items: tuple[Item, ...]) -> list[tuple[int | None, list[Item]]]:
    """Items under their year, in the order given (undated ones under None)."""
    groups: dict[int | None, list[Item]] = {}
    for item in items:
        groups.setdefault(item.date.year if item.date else None, []).append(item)
    return list(groups.items())


def tags_of(items: tuple[Item, ...]) -> list[tuple[str, str, list[Item]]]:
    """(slug, tag as first written, items) for each tag, by tag name."""
    tags: dict[str, tuple[str, list[Item]]] = {}
    for item in items:
        for tag in item.tags:
            tags.setdefault(tag_slug(tag), (tag, []))[1].append(item)
    return sorted(((slug, name, found) for slug, (name, found) in tags.items()),
                  key=lambda tag: (tag[1].casefold(), tag[0]))


def collection_pages(site: Site) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every page of every kind that has items, in a fixed order."""
    owner = site.config.owner.name or site.config.title
    for kind in KINDS:
        items = site.of(kind.folder)
        if not items:
            continue
        base = f"{kind.section}/"
        common = {"kind": kind, "current": base, "feed": f"{base}feed.xml" if kind.feed else ""}
        tags = tags_of(items) if kind.tag_pages else []
        yield kind.list_template, f"{base}index.html", {
            **common, "title": kind.title, "items": items, "groups": year_groups(items),
            "tags": tags, "description": f"{kind.title} of {owner}"}
        for number, item in enumerate(items):
            if item.has_page:
                yield kind.item_template, f"{item.url_path}index.html", {
                    **common, "title": item.title, "item": item, "og_type": "article",
                    "description": _description(item),
                    "newer": items[number - 1] if number else None,
                    "older": items[number + 1] if number + 1 < len(items) else None}
        for slug, name, tagged in tags:
            yield kind.list_template, f"{base}tags/{slug}/index.html", {
                **common, "title": f"{kind.title}: {name}", "items": tuple(tagged), "tag": name,
                "groups": year_groups(tuple(tagged)), "tags": tags,
                "description": f"{kind.title} of {owner} tagged {name}"}
        if kind.feed:
            yield "collection_feed.xml", f"{base}feed.xml", {"kind": kind, "items": items}


def _description(item: Item) -> str:
    return item.summary or first_sentence(item.text) or item.title


def listing_kinds(site: Site) -> list[Kind]:
    """The kinds this site has items of, in KINDS order."""
    return [kind for kind in KINDS if site.of(kind.folder)]
