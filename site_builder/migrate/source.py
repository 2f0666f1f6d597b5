"""Reading the old site's files as their own tools do: lenient front matter (YAML, or TOML
between '+++'), BOMs, CRLF, '<!-- -->'-wrapped front matter, dates in the forms Jekyll and
Hugo accept. A file that cannot be read is reported by the caller, never a traceback."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_FILE_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")


class Unreadable(Exception):
    """The file's front matter or data cannot be read; the message says where and why."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class OldFile:
    path: Path
    meta: dict[str, Any]
    body: str
    body_line: int
    text: str

    def line_of(self, key: str) -> int | None:
        """The line where a front-matter key is set (1-based), for the report."""
        return line_of(self.text, key)


def line_of(text: str, needle: str) -> int | None:
    pattern = re.compile(rf"^[ \t]*{re.escape(needle)}[ \t]*[:=]", re.MULTILINE)
    match = pattern.search(text) or re.search(re.escape(needle), text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def read_old_text(path: Path) -> str:
    text = path.read_bytes().decode("utf-8", errors="replace")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def read_old(path: Path) -> OldFile:
    """Front matter and body of a Jekyll or Hugo content file (no front matter: all body)."""
    text = read_old_text(path)
    lines = text.split("\n")
    start = 0
    if lines and lines[0].strip() == "<!--":  # front matter commented out to disable a page
        raise Unreadable(1, "the front matter is wrapped in '<!-- -->', which disables the page")
    fence = lines[0].strip() if lines else ""
    if fence not in ("---", "+++"):
        return OldFile(path, {}, text, 1, text)
    for end in range(start + 1, len(lines)):
        if lines[end].strip() == fence or (fence == "---" and lines[end].strip() == "..."):
            break
    else:
        raise Unreadable(1, f"the front matter opened by '{fence}' is never closed")
    raw = "\n".join(lines[1:end])
    meta = load_data(raw, "toml" if fence == "+++" else "yaml", first_line=2)
    body = "\n".join(lines[end + 1:])
    return OldFile(path, meta if isinstance(meta, dict) else {}, body, end + 2, text)


def load_data(text: str, kind: str, first_line: int = 1) -> Any:
    """YAML or TOML text as Python data; Unreadable with the line on a syntax error."""
    if kind == "toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 0
            raise Unreadable(first_line + line - 1 if line else first_line, f"invalid TOML: {exc}") from None
    try:
        return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark else first_line
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        raise Unreadable(line, f"invalid YAML: {problem}") from None


def load_data_file(path: Path) -> Any:
    kind = "toml" if path.suffix == ".toml" else "yaml"
    return load_data(read_old_text(path), kind)


def as_datetime(value: Any) -> dt.date | dt.datetime | None:
    """A date from YAML/TOML values and the strings Jekyll and Hugo accept: 2019-6-4,
    2015-10-22 15:59:00-0400, 2023/11/28, RFC 3339 (2019-11-01T00:00:00Z), '2023'."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    if isinstance(value, int) and 1000 <= value <= 9999:
        return dt.date(value, 1, 1)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    match = _DATE.match(text)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            return None
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 1, 1)
    return None


def as_date(value: Any) -> dt.date | None:
    found = as_datetime(value)
    return found.date() if isinstance(found, dt.datetime) else found


def dated_name(stem: str) -> tuple[dt.date | None, str]:
    """Jekyll's 'YYYY-M-D-slug' file names: the date and the rest."""
    stem = unicodedata.normalize("NFC", stem)
    match = _FILE_DATE.match(stem)
    if match:
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))), match.group(4)
        except ValueError:
            pass
    return None, stem


def text_of(value: Any) -> str:
    """A front-matter value as one line of text ('' for none)."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    return " ".join(str(value).split())


def is_false(value: Any) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() in ("false", "no"))


def is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() in ("true", "yes"))


def markdown_files(folder: Path) -> list[Path]:
    """Markdown and HTML content files below folder, sorted, hidden names skipped."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (".md", ".markdown", ".html")
             and not any(part.startswith((".", "_")) and part not in ("_index.md",)
                         for part in p.relative_to(folder).parts)]
    return sorted(found)
