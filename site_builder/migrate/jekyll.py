"""What al-folio and academicpages share as Jekyll sites: _config.yml, posts, pages, drafts,
collections, config settings with no counterpart, and copying the files they link."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Callable

from site_builder.migrate.bodies import SiteLinks
from site_builder.migrate.mappings import IGNORED_FIELDS, JEKYLL_LEFT, OWN_ADDRESSES, PAGE_FIELDS, POST_FIELDS
from site_builder.migrate.plan import Item, Migration, file_slug
from site_builder.migrate.source import (OldFile, Unreadable, as_datetime, dated_name, is_false,
                                         line_of, load_data_file, markdown_files, read_old, read_old_text,
                                         text_of)

STANDARD_LAYOUTS = ("default", "page", "post", "about", "archive", "single", "talk", "distill-free",
                    "bib", "cv", "splash", "none", None)


def read_config(migration: Migration) -> dict[str, Any]:
    path = migration.source / "_config.yml"
    try:
        config = load_data_file(path)
    except Unreadable as exc:
        migration.leave(path, exc.line, f"_config.yml cannot be read ({exc.message}); title, url and "
                        "owner must be set by hand in content/site.yaml")
        return {}
    return config if isinstance(config, dict) else {}


def site_links(config: dict[str, Any]) -> SiteLinks:
    url = text_of(config.get("url")).rstrip("/")
    base = text_of(config.get("baseurl")).rstrip("/")
    hosts = []
    if url:
        host = re.sub(r"^https?://", "", url)
        hosts = [f"https://{host}", f"http://{host}", f"https://www.{host}", f"http://www.{host}"]
    return SiteLinks(hosts=tuple(hosts), base=base)


def site_basics(config: dict[str, Any], migration: Migration, owner_name: str) -> None:
    """title, description, url and owner, as site.yaml keys."""
    site = migration.site
    title = text_of(config.get("title"))
    site["title"] = (title if title != "blank" else "") or owner_name or "My site"  # al-folio: blank = the name
    if text_of(config.get("description")):
        site["description"] = text_of(config.get("description"))
    url = text_of(config.get("url")).rstrip("/")
    if url.startswith(("http://", "https://")):
        site["url"] = url + text_of(config.get("baseurl")).rstrip("/") + "/"
    site["owner"] = {"name": owner_name or site["title"]}
    language = text_of(config.get("lang") or config.get("locale"))
    if language:
        site["language"] = language.split("-")[0] if len(language) > 3 else language


def config_left_behind(config: dict[str, Any], migration: Migration, table: dict[str, str] = JEKYLL_LEFT) -> None:
    """Settings with a value and no counterpart (analytics, comments ...), with their line."""
    path = migration.source / "_config.yml"
    text = read_old_text(path) if path.is_file() else ""

    def visit(data: dict[str, Any]) -> None:
        for key, value in data.items():
            if key in table and _has_value(value):
                migration.leave(path, line_of(text, key), f"{table[key]} ({key}): not carried over")
            elif isinstance(value, dict):
                visit(value)
    visit(config)
    plugins = [str(p) for p in config.get("plugins") or config.get("gems") or []]
    if plugins:
        migration.leave(path, line_of(text, "plugins"), f"Jekyll plugins ({', '.join(plugins)}): not carried "
                        "over; the Liquid tags they add are listed one by one")


def _has_value(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_value(v) for k, v in value.items() if k not in ("provider",)) or \
            text_of(value.get("provider")) not in ("", "false")
    return bool(text_of(value)) and text_of(value).lower() not in ("false", "none")


def read_or_report(path: Path, migration: Migration) -> OldFile | None:
    try:
        return read_old(path)
    except Unreadable as exc:
        migration.leave(path, exc.line, f"not carried over: {exc.message}")
        return None


def report_layout(old: OldFile, migration: Migration) -> None:
    layout = old.meta.get("layout")
    if layout not in STANDARD_LAYOUTS:
        migration.leave(old.path, old.line_of("layout"), f"custom layout '{layout}': the text is carried "
                        "over, the layout's own design is not")


def report_fields(old: OldFile, migration: Migration, used: tuple[str, ...]) -> None:
    """One line for the front-matter fields of a file that nothing reads any more."""
    left = [key for key, value in old.meta.items()
            if key not in used and key not in IGNORED_FIELDS and value not in (None, "", [], {}, False)]
    if left:
        migration.leave(old.path, old.line_of(left[0]), f"fields not carried over: {', '.join(map(str, left))}")


def posts(migration: Migration, links: SiteLinks, config: dict[str, Any]) -> None:
    """_posts/ and _drafts/ to posts (Jekyll's 'published: false' becomes 'draft: true')."""
    permalink = text_of(config.get("permalink")) or "/:categories/:year/:month/:day/:title:output_ext"
    for folder, draft in (("_posts", False), ("_drafts", True)):
        for path in markdown_files(migration.source / folder):
            old = read_or_report(path, migration)
            if old is None:
                continue
            if path.suffix.lower() not in (".md", ".markdown"):
                migration.leave(path, None, "not Markdown (a notebook or HTML post): not carried over")
                continue
            file_date, name = dated_name(path.stem)
            date = as_datetime(old.meta.get("date")) or file_date
            if date is None:
                migration.leave(path, None, "post without a date (neither in its name nor its front matter)")
                continue
            slug = file_slug(name) or "post"
            meta: dict[str, Any] = {"title": text_of(old.meta.get("title")) or name.replace("-", " ")}
            meta["date"] = date
            tags = old.meta.get("tags") or []
            tags = tags.split() if isinstance(tags, str) else [str(t) for t in tags]
            categories = old.meta.get("categories") or []
            categories = categories.split() if isinstance(categories, str) else [str(c) for c in categories]
            if tags or categories:
                meta["tags"] = list(dict.fromkeys(tags + categories))
            summary = text_of(old.meta.get("description") or old.meta.get("excerpt") or old.meta.get("summary"))
            if summary:
                meta["summary"] = summary
            if draft or is_false(old.meta.get("published")):
                meta["draft"] = True
            image = text_of(old.meta.get("thumbnail") or old.meta.get("image"))
            if image:
                meta["image"] = links.new_address(image) or image
            report_layout(old, migration)
            report_fields(old, migration, POST_FIELDS)
            migration.convert("posts: date from the front matter or the file name; tags and categories "
                              "became tags; description became summary; 'published: false' became 'draft: "
                              "true'; old addresses of posts lead to blog/<name>/")
            item = Item("posts", slug, meta, old.body, migration.relative(path), depth=2,
                        body_line=old.body_line)
            migration.add(item, "posts")
            item.address = f"blog/{item.slug}/"
            links.posts[path.stem] = item.address
            links.pages.setdefault("blog/", "blog/")
            for address in _post_addresses(permalink, old, date, name, categories):
                links.pages.setdefault(address, item.address)


def _post_addresses(permalink: str, old: OldFile, date: dt.date, name: str, categories: list[str]) -> list[str]:
    own = text_of(old.meta.get("permalink"))
    if own:
        return [own.strip("/") + "/"]
    named = {"pretty": "/:categories/:year/:month/:day/:title/", "date": "/:categories/:year/:month/:day/:title:output_ext"}
    pattern = named.get(permalink, permalink)
    day = date if isinstance(date, dt.date) else date
    values = {":categories": "/".join(categories), ":year": f"{day.year:04d}", ":month": f"{day.month:02d}",
              ":day": f"{day.day:02d}", ":title": name, ":slug": name, ":output_ext": ".html",
              ":i_month": str(day.month), ":i_day": str(day.day), ":short_year": f"{day.year % 100:02d}"}
    for key in sorted(values, key=len, reverse=True):
        pattern = pattern.replace(key, values[key])
    address = re.sub("/+", "/", pattern).strip("/")
    return [address + ("/" if not address.endswith(".html") else ""), address.removesuffix(".html") + "/"]


def pages(migration: Migration, links: SiteLinks, files: list[Path], structured_cv: bool,
          own_sections: dict[str, str], home_found: Callable[[OldFile], None]) -> None:
    """_pages/*.md (and root pages): the home text, pages, and pages that site-builder generates
    (own_sections: old page name -> the new address that replaces it)."""
    for path in files:
        old = read_or_report(path, migration)
        if old is None:
            continue
        permalink = text_of(old.meta.get("permalink")).strip("/")
        slug = file_slug(permalink.split("/")[-1].removesuffix(".html") if permalink else path.stem)
        layout = text_of(old.meta.get("layout"))
        if text_of(old.meta.get("permalink")) == "/" or (path.stem in ("about", "index") and not permalink):
            home_found(old)
            continue
        if isinstance(old.meta.get("redirect"), str) or layout == "redirect":
            migration.leave(path, old.line_of("redirect"), f"redirect page to {text_of(old.meta.get('redirect'))}:"
                            " not carried over (add the link to 'nav' in site.yaml if you want it in the menu)")
            continue
        if slug == "cv" and (structured_cv or layout == "cv"):
            _replaced(migration, links, old, permalink or slug, "cv/", "the CV comes from cv.yaml or resume.json")
            continue
        if slug in own_sections:
            _replaced(migration, links, old, permalink or slug, own_sections[slug], "generated by site-builder")
            continue
        if slug in ("404", "sitemap", "talkmap") or layout in ("archive-taxonomy", "archive-year", "talkmap") or \
                path.stem.endswith("-archive") or not old.body.strip() and not old.meta.get("dropdown"):
            migration.leave(path, None, f"page '{slug}' is generated by Jekyll (archive, sitemap, 404, map, "
                            "empty): not carried over")
            continue
        if old.meta.get("dropdown"):
            migration.leave(path, old.line_of("dropdown"), "drop-down menu: not carried over (site-builder's "
                            "menu is one level; set 'nav' in site.yaml)")
            continue
        if slug == "cv":
            slug = "curriculum-vitae"
        elif slug in OWN_ADDRESSES:
            slug = f"{slug}-page"
        meta: dict[str, Any] = {"title": text_of(old.meta.get("title")) or slug.replace("-", " ").capitalize()}
        if isinstance(old.meta.get("nav_order"), int):
            meta["nav_order"] = old.meta["nav_order"]
        report_layout(old, migration)
        report_fields(old, migration, PAGE_FIELDS)
        item = Item("pages", slug, meta, old.body, migration.relative(path), depth=1, body_line=old.body_line)
        migration.add(item, "pages")
        item.address = f"{item.slug}/"
        for address in (permalink, path.stem, f"{path.stem}.html", permalink.removesuffix(".html")):
            if address:
                links.pages.setdefault(address.strip("/") + ("/" if not address.endswith(".html") else ""),
                                       item.address)
        for old_address in old.meta.get("redirect_from") or []:
            links.pages.setdefault(str(old_address).strip("/") + "/", item.address)


def _replaced(migration: Migration, links: SiteLinks, old: OldFile, address: str, new: str, why: str) -> None:
    """An old page that site-builder generates: its address leads to the new page; its own text
    (an introduction above a Liquid loop) is kept under unpublished/."""
    slug = new.strip("/").split("/")[-1] or "index"
    migration.convert(f"{migration.relative(old.path)}: now the page {new} ({why})")
    links.pages[address.strip("/") + "/"] = new
    if _own_text(old.body):
        migration.unpublished.append(Item("pages", slug, {"title": text_of(old.meta.get("title")) or slug},
                                          old.body, migration.relative(old.path), depth=1,
                                          body_line=old.body_line))
        migration.leave(old.path, None, f"its text is kept in unpublished/pages/{slug}.md, as {new} is "
                        "generated")


def _own_text(body: str) -> bool:
    stripped = re.sub(r"\{%.*?%\}|\{\{.*?\}\}|<[^>]+>", "", body, flags=re.DOTALL)
    return len(stripped.split()) > 3


def page_files(folder: Path) -> list[Path]:
    """The pages directly in folder (for the site root: not README, LICENSE and the like)."""
    skip = ("readme", "license", "changelog", "contributing", "code_of_conduct", "customize", "install")
    return [p for p in markdown_files(folder) if p.parent == folder and p.stem.lower() not in skip]


def copy_tree(migration: Migration, links: SiteLinks, folder: str, target: str, label: str) -> None:
    """Every file below the old folder, copied to content/<target>/ and known to the link map."""
    root = migration.source / folder
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(root).parts):
            relative = path.relative_to(root).as_posix()
            new = migration.copy(path, f"{target}/{relative}", label)
            if new:
                links.files[f"{folder}/{relative}"] = new
