"""academicpages (Jekyll, Minimal Mistakes): _publications, _talks, _teaching, _portfolio,
_posts, other collections, _pages, _config.yml's author block, files/ and images/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from site_builder.bibtex_in import author_list, read_bib
from site_builder.migrate import jekyll, jekyll_items
from site_builder.migrate.alfolio import bibliography_papers
from site_builder.migrate.bodies import SiteLinks
from site_builder.migrate.mappings import ACADEMICPAGES_CATEGORIES, ACADEMICPAGES_LINKS, ACADEMICPAGES_PAPER_KEYS, ACADEMICPAGES_SOCIALS
from site_builder.migrate.plan import Item, Migration, file_slug, name_variants
from site_builder.migrate.source import (OldFile, Unreadable, as_date, dated_name, line_of, load_data_file,
                                         markdown_files, read_old_text, text_of)

_BOILERPLATE = re.compile(r"^\s*(\[Download (paper|slides) here\]\(.*?\)|Recommended citation:.*|"
                          r"\[Access paper here\]\(.*?\)\{:target=\"_blank\"\})\s*$", re.MULTILINE | re.IGNORECASE)
_APA_NAME = re.compile(r"\s*([^,]+?),\s*((?:[A-ZÀ-ÖØ-Þ][a-z]?\.(?:\s*-?\s*[A-ZÀ-ÖØ-Þ][a-z]?\.)*\s*))(?:,\s*|$|(?=\S))")
_KNOWN_COLLECTIONS = {"publications", "talks", "teaching", "portfolio", "posts"}


def read_academicpages(migration: Migration) -> SiteLinks:
    source = migration.source
    config = jekyll.read_config(migration)
    links = jekyll.site_links(config)
    jekyll.copy_tree(migration, links, "files", "files", "files")
    jekyll.copy_tree(migration, links, "images", "files/images", "images")
    author = config.get("author") if isinstance(config.get("author"), dict) else {}
    jekyll.site_basics(config, migration, text_of(author.get("name")) or text_of(config.get("name")))
    migration.site["owner"]["variants"] = name_variants(migration.site["owner"]["name"])
    _author(migration, author, links)
    _publications(migration, links)
    if (source / "_bibliography").is_dir() and migration.carried["papers"]:
        migration.leave(source / "_bibliography", None, "jekyll-scholar .bib files beside _publications/: not "
                        "carried over (the papers come from _publications/)")
    elif (source / "_bibliography").is_dir():  # the papers are jekyll-scholar lists, as in al-folio
        bibliography_papers(migration)
    jekyll_items.talks(migration, links)
    jekyll_items.teaching(migration, links)
    jekyll_items.projects(migration, links, "_portfolio", "portfolio")
    collections = config.get("collections") if isinstance(config.get("collections"), dict) else {}
    for name in collections:
        if name not in _KNOWN_COLLECTIONS and markdown_files(source / f"_{name}"):
            jekyll_items.projects(migration, links, f"_{name}", name)
            migration.convert(f"collection _{name}/ became projects tagged '{name}'")

    def home(old: OldFile) -> None:
        item = Item("pages", "about", {"title": text_of(old.meta.get("title")) or "About"}, old.body,
                    migration.relative(old.path), depth=0, body_line=old.body_line)
        migration.add(item, "home page")

    own = {"publications": "publications/", "talks": "talks/", "teaching": "teaching/", "portfolio": "projects/",
           "blog": "blog/", "year-archive": "blog/", **{name: "projects/" for name in collections
                                                       if name not in _KNOWN_COLLECTIONS}}
    jekyll.pages(migration, links, jekyll.page_files(source / "_pages"), False, own, home)
    jekyll.pages(migration, links, [p for p in jekyll.page_files(source) if p.suffix == ".md"], False, own, home)
    jekyll.posts(migration, links, config)
    _navigation(migration)
    jekyll.config_left_behind(config, migration)
    return links


def _author(migration: Migration, author: dict[str, Any], links: SiteLinks) -> None:
    avatar = text_of(author.get("avatar")).lstrip("/")
    if avatar:
        photo = links.files.get(avatar) or links.files.get(f"images/{avatar}")
        if photo:
            migration.site["photo"] = photo
            migration.carried["profile photo"] += 1
        else:
            migration.leave(migration.source / "_config.yml", None, f"avatar {avatar} not found in images/")
    employer = text_of(author.get("employer"))
    if employer:
        migration.site["affiliation"] = employer
    if text_of(author.get("bio")) and "description" not in migration.site:
        migration.site["description"] = text_of(author.get("bio"))
    profiles: dict[str, str] = {}
    config_text = read_old_text(migration.source / "_config.yml")
    for key, value in author.items():
        value = text_of(value)
        if not value or key in ("name", "avatar", "bio", "employer", "location", "uri"):
            continue
        if key in ACADEMICPAGES_SOCIALS:
            kind, pattern = ACADEMICPAGES_SOCIALS[key]
            if kind == "orcid":
                value = value.rsplit("/", 1)[-1]
            profiles[kind] = pattern.format(value)
        else:
            migration.leave(migration.source / "_config.yml", line_of(config_text, key),
                            f"author.{key}: {value}: no profile kind for it in site-builder; add it to a page")
    if profiles:
        migration.site["profiles"] = profiles
        migration.carried["social links"] += len(profiles)


def _publications(migration: Migration, links: SiteLinks) -> None:
    seen: dict[tuple[str, int], str] = {}
    # Of two files for the same paper, the one with a .bib beside it (authors) is kept.
    files = sorted(markdown_files(migration.source / "_publications"),
                   key=lambda p: (not p.with_suffix(".bib").is_file(), p))
    for path in files:
        old = jekyll.read_or_report(path, migration)
        if old is None:
            continue
        title = jekyll_items.clean(old.meta.get("title"))
        date = as_date(old.meta.get("date")) or dated_name(path.stem)[0]
        year = date.year if date else jekyll_items.year_in(path.stem)
        if not title or not year:
            migration.leave(path, None, "publication without a title or a date: not carried over")
            continue
        key = (re.sub(r"\W+", "", title.lower()), year)
        if key in seen:
            migration.leave(path, None, f"the same paper as {seen[key]}: published once")
            continue
        seen[key] = migration.relative(path)
        migration.convert("publications: 'date' gave year and date; paperurl, slidesurl, codeurl, bibtexurl "
                          "became links (pdf, slides, code, bibtex); the body (without the 'Download paper "
                          "here' and 'Recommended citation' lines) or 'excerpt' became the abstract")
        meta: dict[str, Any] = {"title": title, "authors": _authors(old, path, migration), "year": year}
        if date:
            meta["date"] = date
        venue = jekyll_items.clean(old.meta.get("venue"))
        if venue:
            meta["venue"] = venue
        paper_links = {}
        for field, label in ACADEMICPAGES_LINKS.items():
            url = jekyll_items.clean(old.meta.get(field))
            new = links.new_address(url) if url else None
            if label == "bibtex" and new == "":
                continue  # the old site's own .bib file: the paper page has its BibTeX
            if url:
                paper_links[label] = new or url
        if paper_links:
            meta["links"] = paper_links
        category = text_of(old.meta.get("category"))
        if category in ACADEMICPAGES_CATEGORIES:
            meta["bibtex_type"] = ACADEMICPAGES_CATEGORIES[category]
        for field in old.meta:
            if field not in ACADEMICPAGES_PAPER_KEYS:
                migration.leave(path, old.line_of(field), f"field '{field}' has no counterpart; not carried over")
        body = _BOILERPLATE.sub("", old.body).strip()
        body = re.sub(r"^\s*Abstract:\s*", "", body)
        if not body:
            body = jekyll_items.clean(old.meta.get("excerpt"))
        item = Item("papers", file_slug(path.stem) or "paper", meta, body, migration.relative(path), depth=2,
                    body_line=old.body_line)
        migration.add(item, "papers")
        item.address = f"papers/{item.slug}/"
        for address in (text_of(old.meta.get("permalink")).strip("/"), f"publication/{path.stem}"):
            if address:
                links.pages.setdefault(address + "/", item.address)


def _authors(old: OldFile, path: Path, migration: Migration) -> list[Any]:
    """A .bib beside the file, else an author list in the front matter, else parsed from 'citation'."""
    for bib in (path.with_suffix(".bib"), path.parent / f"{path.stem}.bibtex"):
        if bib.is_file():
            entries, _ = read_bib(bib)
            if entries and entries[0].get("author"):
                migration.convert("authors read from the .bib file beside a publication")
                return author_list(entries[0].get("author"))
    listed = old.meta.get("authors") or old.meta.get("author")
    if isinstance(listed, list):
        return [text_of(a) for a in listed if text_of(a)]
    if isinstance(listed, str) and listed.strip():
        return [n.strip() for n in re.split(r",|\band\b", listed) if n.strip()]
    citation = jekyll_items.clean(old.meta.get("citation"))
    authors = citation_authors(re.sub(r"<[^>]+>", "", citation))
    if authors:
        migration.convert("authors parsed from the 'citation' text (no author list in academicpages)")
        return authors
    migration.leave(path, old.line_of("citation"), "no author list and none found in 'citation'; add "
                    "'authors:' by hand")
    return []


def citation_authors(citation: str) -> list[str]:
    """The authors at the head of a citation: APA ('Last, F. M., & Other, A. (2020)'), or names up
    to the first full stop ('First Last, Other Name. Title.') or dash ('H Fargier, PF Gimenez - Venue')."""
    apa_head = re.split(r"\(\s*\d{4}", citation, maxsplit=1)[0]
    apa = _apa_authors(apa_head)
    if apa:
        return apa
    pairs = [p.strip().rstrip(".") for p in re.split(r"\s*(?:&|\band\b|;)\s*", apa_head.strip()) if p.strip()]
    if apa_head != citation and pairs and all(p.count(",") == 1 and len(p.split(",")[1].split()) == 1
                                              for p in pairs):  # 'Last, First & Other, Name. (2023)'
        return [" ".join(reversed([x.strip() for x in p.split(",")])) for p in pairs]
    words = []
    for word in apa_head.split():  # the whole citation when it has no '(2023)'
        if word in ("-", "–", "—"):
            break
        words.append(word)
        if word.endswith(".") and len(word.strip(".").strip("-")) > 1 and not word.strip(".").isupper():
            break
    head = re.sub(r"\s*(&|\band\b)\s*", ", ", " ".join(words)).strip().rstrip(".,:; ")
    more = bool(re.search(r"\bet al\.*$", head))
    head = re.sub(r",?\s*\bet al\.*$", "", head)
    names = [n.strip() for n in head.split(",") if n.strip()]
    if not names or any(not 1 < len(n.split()) < 6 or not n[0].isupper() for n in names):
        return []
    return names + (["others"] if more else [])


def _apa_authors(head: str) -> list[str]:
    head = re.sub(r",?\s*(&|\band\b)\s*", ", ", head).strip().rstrip(",: ")
    names: list[str] = []
    position = 0
    for match in _APA_NAME.finditer(head):
        if match.start() != position:
            break
        initials = " ".join(match.group(2).replace(" ", "").replace(".", ". ").replace("- ", "-").split())
        names.append(f"{initials} {match.group(1).strip()}")
        position = match.end()
    return names


def _navigation(migration: Migration) -> None:
    path = migration.source / "_data" / "navigation.yml"
    if not path.is_file():
        return
    try:
        data = load_data_file(path)
    except Unreadable as exc:
        migration.leave(path, exc.line, exc.message)
        return
    text = read_old_text(path)
    main = (data or {}).get("main") or []
    if main:
        names = ", ".join(text_of(e.get("title")) for e in main if isinstance(e, dict))
        migration.convert(f"the menu ({names}): site-builder makes its menu from the pages and content "
                          "kinds; set 'nav' in site.yaml to choose the entries")
    for entry in main:
        url = text_of(entry.get("url")) if isinstance(entry, dict) else ""
        if url.startswith("http"):
            migration.leave(path, line_of(text, url), f"menu link '{text_of(entry.get('title'))}' to {url}: "
                            "add it to 'nav' in site.yaml to keep it in the menu")
