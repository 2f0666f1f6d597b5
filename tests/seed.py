"""Reader for the seed publications page (``000_a1c6060f4cc7113f.txt``).

This module is a test helper, not a test: it holds no test functions.

The seed is plain text: a first line ``publications``, then year headings
(``2024`` ... ``2019``), each followed by its papers. A paper is two lines:

* ``- `` + title + authors + venue [+ award] + ``, YEAR`` with no separator
  between title, authors and venue;
* the abstract.

The parser deliberately does not try to split the paper line into its
parts: tests compare the whole ``line`` with what the site renders
(title + authors + venue + award + ", " + year), after ``normalise``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

#: shared/ sits beside the checkout (CI always has it there).
SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT_SEED_PATH = SHARED / "seeds" / "000_a1c6060f4cc7113f.txt"

_YEAR = re.compile(r"\d{4}")
_TRAILING_YEAR = re.compile(r" ?, (\d{4})$")
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class SeedPaper:
    year: int
    #: The full paper line without its ``- `` prefix; the stray space some
    #: venues have before ``, YEAR`` (``(ICASSP) , 2021``) is removed.
    line: str
    abstract: str
    #: 1-based position of the paper inside its year, in seed order.
    order: int = 0


def normalise(text: str) -> str:
    """Collapse runs of whitespace and turn ``" , "`` into ``", "``.

    Apply it to both a rendered line and ``SeedPaper.line`` before
    comparing them.
    """
    return _WS.sub(" ", text).strip().replace(" , ", ", ")


def load_seed(path: str | os.PathLike[str] = DEFAULT_SEED_PATH) -> list[SeedPaper]:
    """Parse the seed into its papers, in seed order."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != "publications":
        raise ValueError(f"{path}: first line should be 'publications'")
    papers: list[SeedPaper] = []
    year: int | None = None
    order = 0
    i = 1
    while i < len(lines):
        text = lines[i]
        if not text.strip():
            i += 1
            continue
        if _YEAR.fullmatch(text.strip()):
            year = int(text.strip())
            order = 0
            i += 1
            continue
        if not text.startswith("- "):
            raise ValueError(f"{path}:{i + 1}: expected a year or a '- ' paper line")
        if year is None:
            raise ValueError(f"{path}:{i + 1}: paper before any year heading")
        if i + 1 >= len(lines):
            raise ValueError(f"{path}:{i + 1}: paper without an abstract line")
        line = _TRAILING_YEAR.sub(r", \1", text[2:].rstrip())
        order += 1
        papers.append(
            SeedPaper(
                year=year,
                line=line,
                abstract=lines[i + 1],
                order=order,
            )
        )
        i += 2
    return papers
