"""al-folio (Jekyll): _config.yml, _bibliography/*.bib, _pages, _news, _posts, _projects,
_data/socials.yml, _data/cv.yml or assets/json/resume.json, and the assets they use."""

from __future__ import annotations

import collections
import json
import re
from typing import Any

from site_builder.bibtex_in import bib_papers, read_bib
from site_builder.migrate import jekyll, jekyll_items
from site_builder.migrate.bodies import SiteLinks
from site_builder.migrate.mappings import ALFOLIO_FILE_FIELDS, ALFOLIO_SOCIALS
from site_builder.migrate.plan import Item, Migration, dump_yaml, file_slug, name_variants
from site_builder.migrate.source import (OldFile, Unreadable, as_date, is_false, is_true, line_of,
                                         load_data_file, markdown_files, read_old_text, text_of)

_OWN_COLLECTIONS = {"news", "projects", "posts", "talks", "teachings", "teaching"}


def read_alfolio(migration: Migration) -> SiteLinks:
    source = migration.source
    config = jekyll.read_config(migration)
    links = jekyll.site_links(config)
    jekyll.copy_tree(migration, links, "assets/pdf", "files/pdf", "PDF files")
    jekyll.copy_tree(migration, links, "assets/img", "files/img", "images")
    jekyll.copy_tree(migration, links, "assets/html", "files/html", "HTML files")
    name = " ".join(text_of(config.get(k)) for k in ("first_name", "middle_name", "last_name") if text_of(config.get(k)))
    jekyll.site_basics(config, migration, name)
    migration.site["owner"]["variants"] = list(dict.fromkeys(_name_variants(config, name) + name_variants(name)))
    bibliography_papers(migration)
    _profiles(migration, config)
    structured_cv = _cv(migration)

    def home(old: OldFile) -> None:
        profile = old.meta.get("profile") if isinstance(old.meta.get("profile"), dict) else {}
        image = text_of(profile.get("image"))
        if image:
            photo = links.files.get(f"assets/img/{image}")
            if photo:
                migration.site["photo"] = photo
                migration.carried["profile photo"] += 1
            else:
                migration.leave(old.path, old.line_of("image"), f"profile photo assets/img/{image} not found")
        subtitle = re.sub(r"<[^>]+>", " ", text_of(old.meta.get("subtitle") or old.meta.get("description")))
        if subtitle.strip():
            migration.site["affiliation"] = " ".join(subtitle.split())
        if isinstance(profile.get("more_info"), str) and profile["more_info"].strip():
            migration.leave(old.path, old.line_of("more_info"), "the profile's 'more_info' block: not carried over")
        item = Item("pages", "about", {"title": text_of(old.meta.get("title")) or "About"}, old.body,
                    migration.relative(old.path), depth=0, body_line=old.body_line)
        migration.add(item, "home page")

    own = {"projects": "projects/", "blog": "blog/", "publications": "publications/"}
    jekyll.pages(migration, links, jekyll.page_files(source / "_pages"), structured_cv, own, home)
    _news(migration)
    jekyll.posts(migration, links, config)
    _projects(migration, links)
    jekyll_items.talks(migration, links)
    for folder in ("_teachings", "_teaching"):
        jekyll_items.teaching(migration, links, folder)
    _collections(migration, config)
    _left_behind(migration)
    jekyll.config_left_behind(config, migration)
    return links


def _name_variants(config: dict[str, Any], name: str) -> list[str]:
    scholar = config.get("scholar") if isinstance(config.get("scholar"), dict) else {}
    last = text_of(scholar.get("last_name")) or text_of(config.get("last_name"))
    firsts = scholar.get("first_name") or [text_of(config.get("first_name"))]
    firsts = [firsts] if isinstance(firsts, str) else firsts
    variants = []
    for last_name in ([last] if isinstance(last, str) else list(last)):
        for first in firsts:
            first = text_of(first)
            if first and last_name:
                variants += [f"{first} {last_name}", f"{first[0]}. {last_name}", f"{last_name}, {first}"]
    return [v for v in dict.fromkeys(variants) if v != name]


def bibliography_papers(migration: Migration) -> None:
    """_bibliography/*.bib is copied as it is into content/: site-builder reads .bib files there.
    Some sites keep topic lists beside the full one (the same entries again, for a page each):
    an entry already in a bigger file is left out of the copy, so no paper is published twice."""
    read = [(path, *read_bib(path)) for path in sorted((migration.source / "_bibliography").glob("*.bib"))]
    seen: dict[str, str] = {}  # key -> the file it is published from
    for path, entries, problems in sorted(read, key=lambda found: -len(found[1])):
        again = [entry for entry in entries if entry.key in seen]
        if entries and len(again) == len(entries):
            migration.leave(path, None, f"every entry is also in {seen[again[0].key]} (a list for a page of its "
                            "own): not copied, so that no paper is published twice")
            continue
        kept = [entry for entry in entries if entry.key not in seen]
        papers, skipped = bib_papers(kept)
        old_text = read_old_text(path)
        text = _without(migration, kept, again, old_text, {e.key: seen[e.key] for e in again})
        seen.update((entry.key, path.name) for entry in kept)
        if text == old_text:
            migration.copy(path, path.name)
        else:
            migration.data_files[path.name] = text
        migration.carried["papers"] += len(papers)
        unshown = collections.Counter(name for paper in papers for name in paper.unmapped
                                      if name not in _SHOWN_BY_THE_PAPER_PIPELINE)
        if unshown:
            listed = ", ".join(f"{name} ({count})" for name, count in sorted(unshown.items()))
            migration.leave(path, None, f"BibTeX fields kept in the BibTeX export but not shown on the pages: "
                            f"{listed}")
        for problem in problems + skipped:
            place, _, what = problem.partition(": ")
            migration.leave(path, int(place.rsplit(":", 1)[1]) if place.rsplit(":", 1)[-1].isdigit() else None,
                            what)
    if migration.carried["papers"]:
        migration.convert("_bibliography/*.bib copied into content/ as it is: the paper pages, previews "
                          "(files/img/publication_preview/), PDFs (files/pdf/), abbr, award, selected come from it")


# al-folio fields the paper pipeline handles from a .bib file besides those bibtex_in maps (bibtex_show:
# site-builder always offers the BibTeX)
_SHOWN_BY_THE_PAPER_PIPELINE = {"preview", "additional_info", "bibtex_show"}  # i14b reads the first two


def _without(migration: Migration, kept, again, text: str, published_from: dict[str, str]) -> str:
    """The .bib text without the entries published from another file, and without the fields
    that name a file the old site does not have (a broken link there too); each is reported."""
    lines = text.split("\n")
    starts = sorted({entry.line - 1 for entry in kept + again} | {len(lines)})
    spans = {entry.key: (entry.line - 1, next(n for n in starts if n > entry.line - 1)) for entry in kept + again}
    for entry in again:
        first, end = spans[entry.key]
        lines[first:end] = [None] * (end - first)
        migration.leave(entry.path, entry.line, f"'{entry.key}' is also in {published_from[entry.key]}: "
                        "published once, from there")
    for entry in kept:
        first, end = spans[entry.key]
        for field, folder in ALFOLIO_FILE_FIELDS.items():
            value = entry.get(field).strip("{} ")
            if not value or "://" in value or (migration.source / folder / value).is_file():
                continue
            span = "\n".join(lines[first:end])
            assignment = rf"""\b{field}\s*=\s*[{{"]\s*{re.escape(value)}\s*[}}"][ \t]*,?[ \t]*(\n[ \t]*(?=\n))?"""
            span, found = re.subn(assignment, "", span, count=1, flags=re.IGNORECASE)
            lines[first:end] = [span] + [None] * (end - first - 1)
            migration.leave(entry.path, entry.line, f"'{entry.key}': {field}={{{value}}} names {folder}/{value}, "
                            "which the old site does not have (a broken link there too)"
                            + ("; the field is removed from the copy in content/" if found else ""))
    return "\n".join(line for line in lines if line is not None)


def _profiles(migration: Migration, config: dict[str, Any]) -> None:
    """_data/socials.yml (al-folio v0.12+) or the older social keys in _config.yml."""
    path = migration.source / "_data" / "socials.yml"
    values: dict[str, Any] = dict(config)
    if path.is_file():
        try:
            data = load_data_file(path)
            values = data if isinstance(data, dict) else {}
        except Unreadable as exc:
            migration.leave(path, exc.line, exc.message)
            return
    else:
        path = migration.source / "_config.yml"
    text = read_old_text(path) if path.is_file() else ""
    profiles: dict[str, str] = {}
    known_other = ("email", "contact_note", "rss_icon", "cv_pdf")
    for key, value in values.items():
        if isinstance(value, dict) and path.name == "socials.yml":  # a custom social: logo, title, url
            migration.leave(path, line_of(text, key), f"custom social link '{key}' "
                            f"{text_of(value.get('url'))}: no profile kind for it; add it to a page")
            continue
        value = text_of(value)
        if not value:
            continue
        if key in ALFOLIO_SOCIALS:
            kind, pattern = ALFOLIO_SOCIALS[key]
            profiles.setdefault(kind, pattern.format(value))
        elif (key.endswith(("_username", "_id", "_url", "_userid", "_profile")) or path.name == "socials.yml") \
                and key not in known_other:
            migration.leave(path, line_of(text, key), f"social link {key}: {value}: no profile kind for it "
                            "in site-builder; add it to a page")
    if profiles:
        migration.site["profiles"] = profiles
        migration.carried["social links"] += len(profiles)


def _cv(migration: Migration) -> bool:
    resume = migration.source / "assets" / "json" / "resume.json"
    if resume.is_file():
        try:
            json.loads(read_old_text(resume))
            migration.copy(resume, "resume.json", "CV (JSON Resume)")
            return True
        except ValueError as exc:
            migration.leave(resume, None, f"not valid JSON ({exc}); the CV is not carried over")
    path = migration.source / "_data" / "cv.yml"
    if not path.is_file():
        return False
    try:
        data = load_data_file(path)
    except Unreadable as exc:
        migration.leave(path, exc.line, f"the CV cannot be read: {exc.message}")
        return False
    sections = [_cv_section(section) for section in data or [] if isinstance(section, dict)]
    migration.data_files["cv.yaml"] = dump_yaml({"sections": sections})
    migration.carried["CV sections"] += len(sections)
    migration.convert("_data/cv.yml (title, type, contents) became cv.yaml 'sections:'")
    return True


def _cv_section(section: dict[str, Any]) -> dict[str, Any]:
    entries = []
    for entry in section.get("contents") or []:
        if isinstance(entry, str):
            entries.append({"title": entry})
        elif isinstance(entry, dict):
            new: dict[str, Any] = {}
            if "name" in entry:  # type: map
                new["title"] = text_of(entry.get("name"))
                new["description"] = text_of(entry.get("value"))
            else:
                for key in ("title", "institution", "location", "year", "url"):
                    if text_of(entry.get(key)):
                        new[key] = text_of(entry.get(key))
                described = entry.get("description") or entry.get("items") or []
                if isinstance(described, str):
                    new["description"] = described
                elif described:
                    new["description"] = "\n".join(f"- {text_of(d)}" for d in described)
            entries.append(new)
    return {"title": text_of(section.get("title")), "entries": entries}


def _news(migration: Migration) -> None:
    for path in markdown_files(migration.source / "_news"):
        old = jekyll.read_or_report(path, migration)
        if old is None:
            continue
        date = as_date(old.meta.get("date"))
        if date is None:
            migration.leave(path, old.line_of("date"), "news item without a readable date: not carried over")
            continue
        body = old.body.strip()
        title = text_of(old.meta.get("title"))
        if title and not is_true(old.meta.get("inline")):
            body = f"**{title}**\n\n{body}" if body else f"**{title}**"
        item = Item("news", file_slug(path.stem) or "news", {"date": date}, body, migration.relative(path),
                    depth=0, body_line=old.body_line)
        migration.convert("news: the date kept, its time of day dropped; a news item's 'title' (when not "
                          "inline) became its first line in bold")
        if is_false(old.meta.get("published")):
            migration.unpublished.append(item)
            migration.convert(f"{item.origin}: 'published: false', kept unpublished in unpublished/news/")
        else:
            migration.add(item, "news")


def _projects(migration: Migration, links: SiteLinks) -> None:
    for path in markdown_files(migration.source / "_projects"):
        old = jekyll.read_or_report(path, migration)
        if old is None:
            continue
        meta: dict[str, Any] = {"title": text_of(old.meta.get("title")) or path.stem}
        if text_of(old.meta.get("description")):
            meta["summary"] = text_of(old.meta.get("description"))
        image = text_of(old.meta.get("img"))
        if image and (links.files.get(image.lstrip("/")) or "://" in image):
            meta["image"] = links.files.get(image.lstrip("/"), image)
        elif image:
            migration.leave(path, old.line_of("img"), f"img {image}: the old site does not have that file (a "
                            "broken picture there too); not carried over")
        if isinstance(old.meta.get("importance"), int):
            meta["order"] = old.meta["importance"]
        if text_of(old.meta.get("category")):
            meta["tags"] = [text_of(old.meta.get("category"))]
        redirect = text_of(old.meta.get("redirect"))
        if redirect:
            meta["links"] = {"website": links.new_address(redirect) or redirect}
        jekyll.report_layout(old, migration)
        slug = file_slug(path.stem) or "project"
        item = Item("projects", slug, meta, old.body, migration.relative(path), depth=2, body_line=old.body_line)
        migration.add(item, "projects")
        item.address = f"projects/{item.slug}/"
        links.pages.setdefault(f"projects/{path.stem}/", item.address)


def _collections(migration: Migration, config: dict[str, Any]) -> None:
    collections = config.get("collections") if isinstance(config.get("collections"), dict) else {}
    for name in collections:
        if name in _OWN_COLLECTIONS:
            continue
        files = markdown_files(migration.source / f"_{name}")
        if files:
            migration.leave(migration.source / f"_{name}", None, f"collection '{name}' ({len(files)} files): "
                            "no counterpart in site-builder; not carried over")


def _left_behind(migration: Migration) -> None:
    source = migration.source
    for path in sorted(source.glob("assets/jupyter/*.ipynb")) + sorted(source.glob("_posts/**/*.ipynb")):
        migration.leave(path, None, "Jupyter notebook: not carried over (export it to HTML into files/)")
    for path in sorted(source.glob("assets/bibliography/*.bib")):
        migration.leave(path, None, "bibliography of a distill post: its citations are not carried over")
    repositories = source / "_data" / "repositories.yml"
    if repositories.is_file():
        migration.leave(repositories, None, "GitHub repository cards: not carried over")
    coauthors = source / "_data" / "coauthors.yml"
    if coauthors.is_file():
        migration.leave(coauthors, None, "co-author links: not carried over (give an author a 'url' in a "
                        "paper file to link the name)")
    venues = source / "_data" / "venues.yml"
    if venues.is_file():
        migration.leave(venues, None, "venue links and colours: not carried over")
    read = {"socials.yml", "cv.yml", "repositories.yml", "coauthors.yml", "venues.yml"}
    for path in sorted((source / "_data").glob("*")) if (source / "_data").is_dir() else []:
        if path.name not in read and path.suffix in (".yml", ".yaml", ".json", ".csv"):
            migration.leave(path, None, "data file used by the old site's own pages or layouts: not carried "
                            "over (put what it lists into a page)")
