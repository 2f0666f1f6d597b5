"""What a migration will write, as plain records: the adapters fill a Migration, the writer
writes it and the report describes it. Nothing here touches a file."""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from site_builder.safety import safe_slug

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter, as `import` uses


@dataclass
class Item:
    """One content file: content/<folder>/<slug>.md with this front matter and Markdown body."""

    folder: str  # papers, news, pages, posts, talks, projects, teaching
    slug: str
    meta: dict[str, Any]
    body: str
    origin: str  # the old file, relative to the old site
    depth: int | None = None  # folders below the site root the page lives at; None: body is final
    body_line: int = 1  # the body's first line in the old file
    address: str = ""  # the new page's address ('blog/x/'), '' when it has no page of its own


@dataclass(frozen=True)
class LeftBehind:
    place: str  # old file[:line]
    what: str


@dataclass
class Migration:
    """Everything one adapter read from the old site."""

    source: Path
    kind: str  # al-folio, academicpages, hugo-blox
    site: dict[str, Any] = field(default_factory=dict)  # content/site.yaml
    items: list[Item] = field(default_factory=list)
    unpublished: list[Item] = field(default_factory=list)  # kept outside content/: not published before
    data_files: dict[str, str] = field(default_factory=dict)  # path under content/ -> text (cv.yaml ...)
    copies: dict[str, Path] = field(default_factory=dict)  # path under content/ -> old file
    carried: collections.Counter = field(default_factory=collections.Counter)
    converted: list[str] = field(default_factory=list)
    left: list[LeftBehind] = field(default_factory=list)

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.source).as_posix()
        except ValueError:
            return str(path)

    def leave(self, path: Path, line: int | None, what: str) -> None:
        """Record something that could not be carried over, with its old file and line."""
        place = self.relative(path) + (f":{line}" if line else "")
        entry = LeftBehind(place, what)
        if entry not in self.left:
            self.left.append(entry)

    def convert(self, note: str) -> None:
        if note not in self.converted:
            self.converted.append(note)

    def add(self, item: Item, label: str) -> None:
        """Add a content file under a slug no other file of its folder has."""
        taken = {i.slug for i in self.items if i.folder == item.folder}
        base, number = item.slug, 2
        while item.slug in taken:
            item.slug, number = f"{base}-{number}", number + 1
        self.items.append(item)
        self.carried[label] += 1

    def copy(self, old: Path, target: str, label: str | None = None) -> str:
        """Copy an old file to content/<target>; returns target ('' when not copied: a symbolic
        link that leads out of the old site is not followed but reported)."""
        if not old.resolve().is_relative_to(self.source.resolve()):
            self.leave(old, None, "a link to a file outside the old site: not copied")
            return ""
        if target.startswith("files/") and target.lower().endswith(".bib"):
            self.leave(old, None, "a .bib file: not copied into content/, where it would be read as papers "
                       "(each paper page offers its own BibTeX)")
            return ""
        if target not in self.copies:
            self.copies[target] = old
            if label:
                self.carried[label] += 1
        return target


def name_variants(name: str) -> list[str]:
    """Spellings of the owner's name that old author lists use: 'P.-F. Gimenez', 'P. F. Gimenez',
    'PF Gimenez', 'Gimenez, P. F.', the name without dots ..."""
    words = name.replace(",", " ").split()
    if len(words) < 2:
        return []
    firsts, last = words[:-1], words[-1]
    parts = [p for word in firsts for p in word.split("-") if p]
    hyphened = " ".join("-".join(f"{p[0]}." for p in word.split("-") if p) for word in firsts)
    spaced = " ".join(f"{p[0]}." for p in parts)
    variants = [f"{hyphened} {last}", f"{spaced} {last}", f"{spaced.replace(' ', '')} {last}",
                f"{''.join(p[0] for p in parts)} {last}", f"{last}, {spaced}", f"{last}, {' '.join(firsts)}",
                name.replace(".", ""), f"{firsts[0]} {last}"]
    return [v for v in dict.fromkeys(variants) if v != name]


def dump_yaml(data: Any) -> str:
    """YAML as PyYAML's safe dumper writes it: keys in the given order, Unicode as it is."""
    return yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def file_slug(name: str) -> str:
    """A new file's name from an old one: kept when site-builder takes it as it is (lower-case
    letters, digits, '-' and '_'), else made safe ('MLSG' -> 'mlsg', 'My Post' -> 'my-post')."""
    if re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,199}", name):
        return name
    return safe_slug(name)
