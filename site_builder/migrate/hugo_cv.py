"""The CV of a Hugo Blox / Wowchemy site as cv.yaml: the owner's profile (education, work,
awards, skills, languages, interests; old 'education.courses' and new lists alike) and the
old home widgets 'experience' and 'accomplishments'."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from site_builder.migrate.mappings import HUGO_CV_AWARDS, HUGO_CV_EDUCATION, HUGO_CV_WORK
from site_builder.migrate.plan import Migration
from site_builder.migrate.source import Unreadable, read_old, text_of


def profile_cv(meta: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Sections from the owner's profile front matter, in the order a CV reads."""
    cv: dict[str, list[dict[str, Any]]] = {}
    education = meta.get("education")
    if isinstance(education, dict):  # Wowchemy: education: {courses: [...]}
        education = education.get("courses")
    _add(cv, "education", education, HUGO_CV_EDUCATION)
    _add(cv, "positions", meta.get("work") or meta.get("experience"), HUGO_CV_WORK)
    _add(cv, "awards", meta.get("awards"), HUGO_CV_AWARDS)
    skills = [{"title": text_of(group.get("name")),
               "description": ", ".join(text_of(i.get("name") or i.get("label")) for i in group.get("items") or []
                                        if isinstance(i, dict))}
              for group in meta.get("skills") or [] if isinstance(group, dict)]
    if skills:
        cv["skills"] = skills
    for key in ("languages", "interests"):
        values = [text_of(v.get("name") if isinstance(v, dict) else v) for v in meta.get(key) or []]
        if any(values):
            cv[key] = [{"title": v} for v in values if v]
    return cv


def widget_cv(source: Path, cv: dict[str, list[dict[str, Any]]], migration: Migration) -> None:
    """Wowchemy's experience and accomplishments widgets (content/home/*.md), when active."""
    for name, key, table in (("experience", "positions", HUGO_CV_WORK), ("accomplishments", "awards", HUGO_CV_AWARDS)):
        path = source / "content" / "home" / f"{name}.md"
        if not path.is_file():
            continue
        try:
            old = read_old(path)
        except Unreadable as exc:
            migration.leave(path, exc.line, exc.message)
            continue
        if old.meta.get("active") is not False and key not in cv:
            _add(cv, key, old.meta.get("experience") or old.meta.get("item"), table)


def _add(cv: dict[str, list[dict[str, Any]]], key: str, items: Any, table: dict[str, str]) -> None:
    entries = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        entry: dict[str, Any] = {}
        for old_key, new_key in table.items():
            value = item.get(old_key)
            text = str(value).strip() if value not in (None, "") and not isinstance(value, (dict, list)) else ""
            if text and new_key not in entry:
                entry[new_key] = text[:4] if new_key == "year" and text[:4].isdigit() else text
        if entry:
            entries.append(entry)
    if entries:
        cv[key] = entries
