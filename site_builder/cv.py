"""The CV: content/cv.yaml (or a JSON Resume content/resume.json) read into sections of entries.

cv.yaml is a mapping of section key -> list of entries, in the order written; `sections:` is a
list of {title, entries} for free titles; `publications:` marks where the site's papers go (at
the end when absent); `pdf:` names a PDF version (content/files/cv.pdf is found by itself).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from pathlib import Path
from typing import Any

import yaml

from site_builder.errors import ContentError
from site_builder.frontmatter import load_yaml, read_text
from site_builder.markup import MarkdownRenderer
from site_builder.models import CV, CVEntry, CVSection
from site_builder.safety import is_safe_asset, is_safe_url, safe_slug

ENTRY_KEYS = ("title", "degree", "organization", "institution", "location", "year", "start", "end",
              "description", "url")
TITLES = {"education": "Education", "positions": "Positions", "awards": "Awards", "grants": "Grants",
          "service": "Service", "teaching": "Teaching", "skills": "Skills", "publications": "Publications"}
PUBLICATIONS = "publications"


def load_cv(content_dir: Path, markdown: MarkdownRenderer) -> CV | None:
    """The site's CV, or None when it has neither cv.yaml nor resume.json."""
    yaml_path, json_path = content_dir / "cv.yaml", content_dir / "resume.json"
    if yaml_path.is_file() and json_path.is_file():
        raise ContentError(json_path, "the site has both cv.yaml and resume.json; keep one of them")
    default_pdf = "files/cv.pdf" if (content_dir / "files" / "cv.pdf").is_file() else ""
    if yaml_path.is_file():
        return _CVReader(yaml_path, markdown).from_yaml(default_pdf)
    if json_path.is_file():
        return _CVReader(json_path, markdown).from_resume(default_pdf)
    return None


class _CVReader:
    def __init__(self, path: Path, markdown: MarkdownRenderer):
        self.path = path
        self.markdown = markdown
        self.text = read_text(path)
        self._nodes: Any = None

    def fail(self, message: str, *where: str | int) -> ContentError:
        return ContentError(self.path, message, self._line(where))

    def _line(self, where: tuple[str | int, ...]) -> int | None:
        """The line of the key or item at this path in cv.yaml (None for JSON)."""
        if self.path.suffix != ".yaml":
            return None
        node = self._nodes = self._nodes or yaml.compose(self.text, Loader=yaml.SafeLoader)
        line = None
        for step in where:
            if isinstance(node, yaml.MappingNode):
                pair = next(((k, v) for k, v in node.value if k.value == step), None)
                if pair is None:
                    break
                line, node = pair[0].start_mark.line + 1, pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line + 1
        return line

    def from_yaml(self, default_pdf: str) -> CV:
        data = load_yaml(self.text, self.path)
        if not isinstance(data, dict):
            raise self.fail("cv.yaml must be a mapping of sections, e.g. 'education:' followed by a list")
        sections: list[CVSection] = []
        pdf = default_pdf
        for key, value in data.items():
            key = str(key)
            if key == "pdf":
                pdf = self._pdf(value)
            elif key == "sections":
                if not isinstance(value, list):
                    raise self.fail("'sections' must be a list of {title, entries}", key)
                for number, section in enumerate(value):
                    sections.append(self._titled_section(section, number))
            elif key == PUBLICATIONS:
                sections.append(CVSection(PUBLICATIONS, TITLES[PUBLICATIONS], ()))
            else:
                title = TITLES.get(key, key.replace("_", " ").strip().capitalize())
                sections.append(CVSection(self._slug(key, sections), title, self._entries(value, (key,))))
        return CV(source=self.path, sections=_with_publications(sections), pdf=pdf)

    def _titled_section(self, section: Any, number: int) -> CVSection:
        where = ("sections", number)
        if not isinstance(section, dict) or not isinstance(section.get("title"), str):
            raise self.fail(f"section {number + 1} of 'sections' needs 'title:' and 'entries:'", *where)
        for key in section:
            if key not in ("title", "entries"):
                raise self.fail(f"unknown key '{key}' in a section{_hint(str(key), ('title', 'entries'))}",
                                *where, key)
        title = section["title"].strip()
        return CVSection(self._slug(title, []), title, self._entries(section.get("entries") or [], (*where, "entries")))

    def _slug(self, key: str, sections: list[CVSection]) -> str:
        return safe_slug(key) or f"section-{len(sections) + 1}"

    def _entries(self, value: Any, where: tuple) -> tuple[CVEntry, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(f"section '{where[-1]}' must be a list of entries (lines starting with '- ')", *where)
        return tuple(self._entry(item, (*where, n)) for n, item in enumerate(value))

    def _entry(self, item: Any, where: tuple) -> CVEntry:
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            return CVEntry(title=str(item))
        if not isinstance(item, dict):
            raise self.fail("an entry must be a mapping (title:, organization:, year: ...) or a line of text", *where)
        for key in item:
            if key not in ENTRY_KEYS:
                raise self.fail(f"unknown key '{key}' in an entry of '{where[0]}'{_hint(str(key), ENTRY_KEYS)}",
                                *where, key)
        text = {key: self._text(item.get(key), (*where, key)) for key in ENTRY_KEYS}
        if text["url"] and not is_safe_url(text["url"]):
            raise self.fail(f"'url' must be an http(s) or relative link (got '{text['url']}')", *where, "url")
        return CVEntry(title=text["title"], degree=text["degree"],
                       organization=text["organization"] or text["institution"], location=text["location"],
                       when=_when(text["year"], text["start"], text["end"]), url=text["url"],
                       description_html=self.markdown.to_html(text["description"]) if text["description"] else "")

    def _text(self, value: Any, where: tuple) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return value.strftime("%b %Y")
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value).strip()
        raise self.fail(f"'{where[-1]}' must be text", *where)

    def _pdf(self, value: Any) -> str:
        if not isinstance(value, str) or not is_safe_asset(value.strip()):
            raise self.fail("'pdf' must be a site path like files/cv.pdf or an https:// URL", "pdf")
        return value.strip()

    def from_resume(self, default_pdf: str) -> CV:
        """A JSON Resume (schema v1): its sections mapped onto the CV's; 'basics' stays with site.yaml,
        'publications' come from the site's papers."""
        try:
            data = json.loads(self.text)
        except json.JSONDecodeError as exc:
            raise ContentError(self.path, f"invalid JSON: {exc.msg}", exc.lineno) from None
        if not isinstance(data, dict):
            raise self.fail("resume.json must be a JSON Resume object ({\"work\": [...], ...})")
        sections: list[CVSection] = []
        for key, value in data.items():
            if key in ("basics", "meta", "$schema", "references"):
                continue
            if key == PUBLICATIONS:
                sections.append(CVSection(PUBLICATIONS, TITLES[PUBLICATIONS], ()))
                continue
            if key not in _RESUME:
                raise self.fail(f"unknown JSON Resume section '{key}'{_hint(key, tuple(_RESUME))}")
            title, mapping = _RESUME[key]
            if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
                raise self.fail(f"'{key}' must be a list of objects")
            entries = tuple(self._entry(mapping(item), (key, n)) for n, item in enumerate(value))
            sections.append(CVSection(safe_slug(title), title, entries))
        return CV(source=self.path, sections=_with_publications(sections), pdf=default_pdf)


def _resume_description(item: dict, *keys: str) -> str:
    """Summary text and highlights (as a Markdown list) of a JSON Resume item."""
    parts = [str(item[key]) for key in keys if item.get(key)]
    highlights = item.get("highlights") or item.get("keywords") or item.get("courses") or []
    if highlights:
        parts.append("\n".join(f"- {h}" for h in highlights) if keys else ", ".join(map(str, highlights)))
    return "\n\n".join(parts)


def _year(value: Any) -> str | None:
    return str(value)[:4] if value else None


_RESUME = {
    "work": ("Positions", lambda i: {"title": i.get("position"), "organization": i.get("name"),
                                     "location": i.get("location"), "url": i.get("url"),
                                     "start": _year(i.get("startDate")), "end": _year(i.get("endDate")),
                                     "description": _resume_description(i, "summary")}),
    "volunteer": ("Service", lambda i: {"title": i.get("position"), "organization": i.get("organization"),
                                        "url": i.get("url"), "start": _year(i.get("startDate")),
                                        "end": _year(i.get("endDate")),
                                        "description": _resume_description(i, "summary")}),
    "education": ("Education", lambda i: {"degree": ", ".join(p for p in (i.get("studyType"), i.get("area")) if p),
                                          "organization": i.get("institution"), "url": i.get("url"),
                                          "start": _year(i.get("startDate")), "end": _year(i.get("endDate")),
                                          "description": _resume_description(i, "score")}),
    "awards": ("Awards", lambda i: {"title": i.get("title"), "organization": i.get("awarder"),
                                    "year": _year(i.get("date")), "description": i.get("summary")}),
    "certificates": ("Certificates", lambda i: {"title": i.get("name"), "organization": i.get("issuer"),
                                                "year": _year(i.get("date")), "url": i.get("url")}),
    "skills": ("Skills", lambda i: {"title": i.get("name"), "description": _resume_description(i)}),
    "languages": ("Languages", lambda i: {"title": i.get("language"), "description": i.get("fluency")}),
    "interests": ("Interests", lambda i: {"title": i.get("name"), "description": _resume_description(i)}),
    "projects": ("Projects", lambda i: {"title": i.get("name"), "organization": i.get("entity"),
                                        "url": i.get("url"), "start": _year(i.get("startDate")),
                                        "end": _year(i.get("endDate")),
                                        "description": _resume_description(i, "description")}),
}


def _with_publications(sections: list[CVSection]) -> tuple[CVSection, ...]:
    """The sections, with the publications one at the end unless the file placed it."""
    if not any(s.key == PUBLICATIONS for s in sections):
        sections.append(CVSection(PUBLICATIONS, TITLES[PUBLICATIONS], ()))
    return tuple(sections)


def _when(year: str, start: str, end: str) -> str:
    """'2020', '2018 – 2022', '2022 – present'."""
    if year:
        return year
    if start:
        return f"{start} – {end or 'present'}" if end != start else start
    return end


def _hint(word: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"; did you mean '{close[0]}'?" if close else f"; the known keys are {', '.join(choices)}"
