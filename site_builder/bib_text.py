"""A .bib file's text parsed as BibTeX tools read it, with bibtexparser doing the parsing.

Two places where bibtexparser 2 reads BibTeX differently from biber and from bibtex-ruby (which
jekyll-scholar uses) are handled here:
- an `@comment{...}` block is skipped whole; bibtexparser ends it at the first line that starts
  with '@', so entries kept inside a comment were read as entries;
- a value joined with `#` (`"The " # ruby # " Programming Language"`) is put together from its
  parts; bibtexparser resolves only a value that is a single @string name.
bibtexparser is imported on first use only.
"""

from __future__ import annotations

import re

_COMMENT_START = re.compile(r"@comment\s*([{(])", re.IGNORECASE)
# BibTeX's standard styles define these month names
_MONTHS = {"jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
           "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November",
           "dec": "December"}


def parse_bib(text: str):
    """The bibtexparser Library of a .bib file's text."""
    import bibtexparser
    from bibtexparser.middlewares import RemoveEnclosingMiddleware, ResolveStringReferencesMiddleware

    stack = [_concatenation(), ResolveStringReferencesMiddleware(True), RemoveEnclosingMiddleware(True)]
    return bibtexparser.parse_string(without_comments(text), parse_stack=stack)


def without_comments(text: str) -> str:
    """The text with every `@comment{...}` block blanked out whole, its line breaks kept."""
    pieces: list[str] = []
    last = 0
    for match in _COMMENT_START.finditer(text):
        if match.start() < last:
            continue  # '@comment' inside a comment already blanked
        end = _closing(text, match.end() - 1)
        if end is None:
            break  # never closed: bibtexparser reports it
        pieces.append(text[last:match.start()])
        pieces.append(re.sub(r"[^\n]", " ", text[match.start():end]))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _closing(text: str, start: int) -> int | None:
    """The index after the delimiter that closes the one at `start`, or None."""
    opening = text[start]
    closing = "}" if opening == "{" else ")"
    depth = 0
    for index in range(start, len(text)):
        depth += {opening: 1, closing: -1}.get(text[index], 0)
        if depth == 0:
            return index + 1
    return None


def concatenated(value: str, strings: dict[str, str]) -> str | None:
    """A `#`-joined value as one braced text, or None when the value is a single part.

    Each part is a "quoted" or {braced} text, a number, or an @string name (`strings`, lower-case
    names, values as written); an unknown name stays as written."""
    parts = _parts(value)
    if len(parts) < 2:
        return None
    return "{" + "".join(_part_text(part, strings) for part in parts) + "}"


def _parts(value: str) -> list[str]:
    """The value split at each '#' outside braces and quotes."""
    parts, start, depth, quoted = [], 0, 0, False
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:index].strip())
            start = index + 1
    parts.append(value[start:].strip())
    return parts


def _part_text(part: str, strings: dict[str, str]) -> str:
    if len(part) >= 2 and (part[0], part[-1]) in (('"', '"'), ("{", "}")):
        return part[1:-1]
    if part.lower() in strings:
        return _part_text(strings[part.lower()], {})
    return _MONTHS.get(part.lower(), part)


def _concatenation():
    from bibtexparser.middlewares.middleware import LibraryMiddleware

    class Concatenation(LibraryMiddleware):
        """Joins `#`-concatenated values; runs before bibtexparser's string and enclosing steps."""

        def transform(self, library):
            strings = {key.lower(): block.value for key, block in library.strings_dict.items()}
            for entry in library.entries:
                for field in entry.fields:
                    joined = concatenated(field.value, strings) if isinstance(field.value, str) else None
                    if joined is not None:
                        field.value = joined
            return library

    return Concatenation(True)
