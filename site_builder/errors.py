"""Errors a user can cause. Each one prints as a single line: place, problem, fix."""

from __future__ import annotations

import difflib
import functools
import reprlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

TOO_DEEP = ("the text nests too deeply to read (hundreds of braces, brackets or list levels inside one "
            "another); flatten that part")


def did_you_mean(word: str, names) -> str | None:
    """The known name a misspelt `word` most likely meant, or None when none is close.

    Case, '_' and '-' do not count (feedLimit -> feed_limit); beyond that, at most one letter in
    five of the longer word may be left over on either side (venu -> venue, titel -> title), so
    that a merely similar word is not offered (publishDate is not publisher, codeurl not order).
    Remembered: a thousand papers often share the same unknown keys.
    """
    return _closest_name(word, tuple(names))


@functools.lru_cache(maxsize=1024)  # the same unknown key in a thousand papers
def _closest_name(word: str, names: tuple[str, ...]) -> str | None:
    def plain(name: str) -> str:
        return name.lower().replace("_", "").replace("-", "")

    wanted = plain(word)
    by_plain = {plain(name): name for name in names}
    if wanted in by_plain:
        return by_plain[wanted]
    for candidate in difflib.get_close_matches(wanted, by_plain, n=3, cutoff=0.6):
        matched = sum(block.size for block in
                      difflib.SequenceMatcher(None, wanted, candidate).get_matching_blocks())
        longer = max(len(wanted), len(candidate))
        if longer - matched <= max(1, longer // 5):
            return by_plain[candidate]
    return None


QUOTE_LIMIT = 80  # characters of the user's text that a message quotes
_SHORT_REPR = reprlib.Repr()
_SHORT_REPR.maxlevel = 2
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = _SHORT_REPR.maxlong = QUOTE_LIMIT


def quoted(value: object) -> str:
    """A value from the user's file as a message quotes it: text in single quotes, anything else
    as Python writes it, and never more than about QUOTE_LIMIT characters, however big the value
    is (reprlib looks at the first few items only)."""
    if isinstance(value, str):
        shown = value if len(value) <= QUOTE_LIMIT else value[:QUOTE_LIMIT - 1] + "…"
        return f"'{shown}'"
    shown = _SHORT_REPR.repr(value)
    return shown if len(shown) <= QUOTE_LIMIT else shown[:QUOTE_LIMIT - 1] + "…"


def one_line(text: str) -> str:
    """User text quoted inside a message must not break the message over lines."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


class SiteError(Exception):
    """Any problem with the user's site that stops a build."""

    def __str__(self) -> str:
        return one_line(str(self.args[0])) if self.args else "site error"


class ContentError(SiteError):
    """A problem inside one content file, with the line when it is known."""

    def __init__(self, path: Path | str, message: str, line: int | None = None, field: str = ""):
        super().__init__(message)
        self.path = Path(path)
        self.line = line
        self.message = message
        self.field = field  # the front-matter field at fault ('links.pdf' for one link), when known

    def __str__(self) -> str:
        place = str(self.path) if self.line is None else f"{self.path}:{self.line}"
        return one_line(f"{place}: {self.message}")


@contextmanager
def nesting_limit(path: Path | str) -> Iterator[None]:
    """Reading a file whose text nests hundreds of levels deep fails with one line naming it,
    not with Python's RecursionError."""
    try:
        yield
    except RecursionError:
        raise ContentError(path, TOO_DEEP) from None


class ConfigError(SiteError):
    """One or more problems in site.yaml, reported together."""

    def __init__(self, path: Path | str, problems: list[str]):
        super().__init__("; ".join(problems))
        self.path = Path(path)
        self.problems = problems

    def __str__(self) -> str:
        return one_line(f"{self.path}: " + "; ".join(self.problems))


class ThemeError(SiteError):
    """A missing theme, or a template that fails to load or render."""


class ManyErrors(SiteError):
    """Several content errors found in one pass; the first few are shown."""

    def __init__(self, errors: list[SiteError]):
        super().__init__(str(errors[0]))
        self.errors = errors

    def __str__(self) -> str:
        lines = [str(e) for e in self.errors[:20]]
        if len(self.errors) > 20:
            lines.append(f"... and {len(self.errors) - 20} more errors")
        return "\n".join(lines)
