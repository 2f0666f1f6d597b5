"""Hugo Blox / Wowchemy site settings: config in YAML or TOML (config/_default/, hugo.*,
config.*), the owner's profile (content/authors/admin/_index.md), home widgets, menus."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from site_builder.migrate.hugo_cv import profile_cv, widget_cv
from site_builder.migrate.mappings import HUGO_LEFT, HUGO_SOCIAL_ICONS
from site_builder.migrate.plan import Item, Migration, dump_yaml
from site_builder.migrate.source import (OldFile, Unreadable, line_of, load_data_file, read_old, read_old_text,
                                         text_of)

CONFIG_NAMES = ("hugo", "config")
_SUFFIXES = (".yaml", ".yml", ".toml")


def config_files(source: Path) -> list[Path]:
    found = []
    for folder in (source, source / "config" / "_default"):
        for name in (*CONFIG_NAMES, "params", "menus", "languages"):
            found += [folder / f"{name}{s}" for s in _SUFFIXES if (folder / f"{name}{s}").is_file()]
    return found


def read_config(migration: Migration) -> dict[str, Any]:
    """One merged mapping: the main settings, with 'params' and 'menus' from their own files."""
    merged: dict[str, Any] = {"params": {}, "menus": {}}
    for path in config_files(migration.source):
        try:
            data = load_data_file(path) or {}
        except Unreadable as exc:
            migration.leave(path, exc.line, f"cannot be read ({exc.message}); its settings are not carried over")
            continue
        if not isinstance(data, dict):
            continue
        _left_behind(path, data, migration)
        stem = path.stem
        if stem == "params":
            merged["params"].update(data)
        elif stem == "menus":
            merged["menus"].update(data)
        elif stem != "languages":
            merged["menus"].update(data.pop("menu", None) or data.pop("menus", None) or {})
            merged["params"].update(data.pop("params", None) or {})
            merged.update(data)
    return merged


def _left_behind(path: Path, data: dict[str, Any], migration: Migration) -> None:
    text = read_old_text(path)

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in HUGO_LEFT and text_of(inner).lower() not in ("", "0", "false", "none"):
                    migration.leave(path, line_of(text, key), f"{HUGO_LEFT[key]} ({key}: {text_of(inner)}): not "
                                    "carried over, site-builder adds no tracking or comment scripts")
                visit(inner)
    visit(data)


def site_settings(config: dict[str, Any], migration: Migration) -> None:
    site = migration.site
    site["title"] = text_of(config.get("title")) or "My site"
    url = text_of(config.get("baseURL") or config.get("baseurl"))
    if url.startswith(("http://", "https://")):
        site["url"] = url.rstrip("/") + "/"
    params = config.get("params") or {}
    description = text_of(params.get("description"))
    if description:
        site["description"] = description
    for key in ("copyright", "footer"):
        if text_of(config.get(key)):
            site["footer"] = re.sub(r"\{year\}", "", text_of(config.get(key)))


def owner(migration: Migration, files: dict[str, str]) -> dict[str, str]:
    """The owner from content/authors/admin/_index.md (or the 'superuser'); returns the
    name of every author username (folder) for resolving paper authors."""
    usernames: dict[str, str] = {}
    authors = migration.source / "content" / "authors"
    chosen = None
    for folder in sorted(p for p in authors.iterdir() if p.is_dir()) if authors.is_dir() else []:
        index = next((folder / n for n in ("_index.md", "index.md") if (folder / n).is_file()), None)
        if index is None:
            continue
        try:
            old = read_old(index)
        except Unreadable as exc:
            migration.leave(index, exc.line, exc.message)
            continue
        usernames[folder.name] = text_of(old.meta.get("title")) or text_of(old.meta.get("name")) or folder.name
        if folder.name == "admin" or (old.meta.get("superuser") is True and chosen is None):
            chosen = (folder, old)
    site = migration.site
    if chosen is None:
        chosen = _data_owner(migration, usernames)
    if chosen is None:
        site["owner"] = {"name": site.get("title", "")}
        return usernames
    folder, old = chosen
    name = usernames[folder.name if folder.is_dir() else folder.stem]
    site["owner"] = {"name": name}
    for alias in ("admin", "me"):
        usernames.setdefault(alias, name)
    role = text_of(old.meta.get("role"))
    organizations = [text_of(o.get("name")) for o in old.meta.get("organizations") or old.meta.get("affiliations")
                     or [] if isinstance(o, dict)]
    affiliation = ", ".join(x for x in [role, *organizations] if x)
    if affiliation:
        site["affiliation"] = affiliation
    if text_of(old.meta.get("bio")) and "description" not in site:
        site["description"] = text_of(old.meta.get("bio"))
    avatar = next((p for p in sorted(folder.glob("avatar.*"))), None) if folder.is_dir() else _media_avatar(folder)
    if avatar and migration.copy(avatar, f"files/{avatar.name}", "profile photo"):
        site["photo"] = f"files/{avatar.name}"
    _profiles(old.meta, index_path(folder), migration)
    body = old.body.strip() or (text_of(old.meta.get("bio")) if not folder.is_dir() else "")
    if body:
        migration.add(Item("pages", "about", {"title": "About"}, body, migration.relative(index_path(folder)),
                           depth=0, body_line=old.body_line), "home page")
    cv = profile_cv(old.meta)
    widget_cv(migration.source, cv, migration)
    if cv:
        migration.data_files["cv.yaml"] = dump_yaml(cv)
        migration.carried["CV sections"] += len(cv)
        migration.convert("the profile's education, work, awards, skills (and the experience and "
                          "accomplishments widgets) became cv.yaml")
    return usernames


def index_path(folder: Path) -> Path:
    return next((folder / n for n in ("_index.md", "index.md") if (folder / n).is_file()), folder)


def _data_owner(migration: Migration, usernames: dict[str, str]) -> tuple[Path, OldFile] | None:
    """Hugo Blox (2025) keeps the profiles in data/authors/<slug>.yaml (name.display, role,
    affiliations, bio, links, education, experience ...); the owner is the one with
    'is_owner: true', else the only one. As (its file, its data as an old profile's front matter)."""
    found: list[tuple[Path, OldFile]] = []
    for path in sorted((migration.source / "data" / "authors").glob("*.*")):
        if path.suffix not in (".yaml", ".yml", ".json", ".toml"):
            continue
        try:
            meta = load_data_file(path)
        except Unreadable as exc:
            migration.leave(path, exc.line, exc.message)
            continue
        if not isinstance(meta, dict):
            continue
        name = meta.get("name")
        if isinstance(name, dict):
            name = " ".join(text_of(name.get(k)) for k in ("given", "family")).strip() or text_of(name.get("display"))
        meta["social"] = meta.get("links")
        usernames[path.stem] = text_of(name) or path.stem
        found.append((path, OldFile(meta=meta, body="", body_line=1, text=read_old_text(path), path=path)))
    owners = [entry for entry in found if entry[1].meta.get("is_owner") is True]
    return (owners or found)[0] if len(owners) == 1 or len(found) == 1 else None


def _media_avatar(path: Path) -> Path | None:
    """The photo of a data/authors/<slug>.yaml profile: assets/media/authors/<slug>.*"""
    folder = path.parents[2] / "assets" / "media" / "authors"
    return next(iter(sorted(folder.glob(f"{path.stem}.*"))), None)


def _profiles(meta: dict[str, Any], path: Path, migration: Migration) -> None:
    profiles: dict[str, str] = {}
    text = read_old_text(path)
    for entry in meta.get("social") or meta.get("profiles") or []:
        if not isinstance(entry, dict):
            continue
        icon = text_of(entry.get("icon"))
        link = text_of(entry.get("link") or entry.get("url"))
        kind = HUGO_SOCIAL_ICONS.get(icon)
        if kind == "email" and not link.startswith("mailto:"):
            link = text_of(meta.get("email"))
        if kind and link:
            profiles.setdefault(kind, link.removeprefix("mailto:") if kind == "email" else link)
        elif link:
            migration.leave(path, line_of(text, link), f"social link '{icon}' {link}: no profile kind for it; "
                            "add it to a page")
    if "email" not in profiles and text_of(meta.get("email")):
        profiles["email"] = text_of(meta.get("email"))
    if profiles:
        migration.site["profiles"] = profiles
        migration.carried["social links"] += len(profiles)


def home_widgets(migration: Migration) -> None:
    """content/home/*.md: the page builder's sections; the home page is generated instead."""
    for path in sorted((migration.source / "content" / "home").glob("*.md")):
        try:
            old = read_old(path)
        except Unreadable as exc:
            migration.leave(path, exc.line, exc.message)
            continue
        if old.meta.get("active") is False or old.meta.get("widget") in (None, "about", "experience",
                                                                          "accomplishments"):
            continue
        migration.leave(path, old.line_of("widget"), f"home page section '{old.meta.get('widget')}' "
                        f"({text_of(old.meta.get('title')) or path.stem}): site-builder's home page has its "
                        "own layout (photo, text, selected papers, news)")


def menus(config: dict[str, Any], migration: Migration) -> None:
    main = (config.get("menus") or {}).get("main") or []
    if main:
        names = ", ".join(text_of(e.get("name")) for e in main if isinstance(e, dict))
        migration.convert(f"the menu ({names}): site-builder makes its menu from the pages and content "
                          "kinds; set 'nav' in site.yaml to choose the entries")
    for path in config_files(migration.source):
        text = read_old_text(path)
        for entry in (config.get("menus") or {}).get("main") or []:
            url = text_of(entry.get("url")) if isinstance(entry, dict) else ""
            if url.startswith("http") and url in text:
                migration.leave(path, line_of(text, url), f"menu link '{text_of(entry.get('name'))}' to {url}: "
                                "add it to 'nav' in site.yaml to keep it in the menu")
