"""`site-builder new post|talk|project|teaching "Title"`: a content file with every field its
kind takes (collection.KINDS), the optional ones commented out and explained."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from site_builder.collection import KIND_BY_FOLDER
from site_builder.errors import SiteError
from site_builder.safety import safe_slug

# The command's word for each collection folder.
COMMAND_KINDS = {"post": "posts", "talk": "talks", "project": "projects", "teaching": "teaching"}
# What to write for each field: an example value and what it does. A test checks that every
# field of every kind is here.
FIELD_HELP = {
    "date": ("{today}", "YYYY-MM-DD"),
    "tags": ("[topic, another topic]", "posts: each tag gets a page under blog/tags/"),
    "summary": ("One sentence.", "shown in lists, cards and link previews"),
    "draft": ("true", "shown by 'site-builder serve' only, never built or deployed"),
    "image": ("https://example.org/picture.png", "a picture: a site path or an https:// URL"),
    "event": ("Conference on Example Studies", "where the talk is given"),
    "location": ("City, Country", ""),
    "kind": ("invited", "invited, contributed, poster, keynote, seminar ... or a course's kind"),
    "links": ("{{slides: https://example.org/slides.pdf}}", "buttons: label: URL"),
    "paper": ("example-paper", "a paper's file name without .md: the two pages link each other"),
    "papers": ("[example-paper]", "papers' file names: listed on the project's page"),
    "order": ("1", "a whole number: the place in the list"),
    "term": ("Fall 2024", ""),
    "institution": ("University of Somewhere", ""),
}


def new_item(content: Path, command_kind: str, title: str, today: dt.date) -> Path:
    kind = KIND_BY_FOLDER[COMMAND_KINDS[command_kind]]
    title = " ".join(title.split())
    slug = safe_slug(title)
    if not slug:
        raise SiteError(f"'{title}' has no letters or digits to make the address from; "
                        f"use site-builder new {command_kind} \"A Title\"")
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    for key in kind.fields:
        if key == "title":
            continue
        value, help_text = FIELD_HELP[key]
        line = f"{key}: {value.format(today=today.isoformat())}"
        if key not in kind.required:
            line = "# " + line
        lines.append(f"{line.ljust(44)}  # {help_text}" if help_text else line)
    lines += ["---", "Write here in Markdown.", ""]
    path = content / kind.folder / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write("\n".join(lines))
    except FileExistsError:
        raise SiteError(f"{path} already exists; edit it, or choose another title") from None
    return path
