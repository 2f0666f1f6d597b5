"""`site-builder import FILE.bib`: one readable Markdown file per entry, safe to run again.

Each file records a hash of the text the importer wrote (`import_hash`). On a later import a
file whose text still matches its hash is updated from the .bib file; a file that was edited by
hand no longer matches, so it is reported and left alone unless --force is given.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from site_builder.bibtex_in import BibPaper, bib_papers, entry_publication, read_bib
from site_builder.errors import ContentError, SiteError, quoted
from site_builder.markup import MarkdownRenderer
from site_builder.models import BADGE_FIELDS, Owner

FIELD_ORDER = ("title", "authors", "year", "date", "month", "venue", "venue_short", "volume", "issue", "pages",
               "publisher", "doi", "arxiv", "note", "award", "additional_info", "annotation", "selected", "tags",
               "image", "links", *BADGE_FIELDS, "bibtex_type", "bibtex_key", "bibtex")
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter is ~10x faster
_HASH_LINE = re.compile(r"^import_hash: *([0-9a-f]+) *\n", re.MULTILINE)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml's emitter is ~10x faster
    """Writes a value used twice out twice: content files refuse YAML aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


def run_import(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    source: Path = args.bibfile
    if not source.is_file():
        raise ContentError(source, "no such file; give the path of a .bib file")
    entries, problems = read_bib(source)
    papers, skipped = bib_papers(entries)
    warnings = problems + skipped
    papers = _checked(papers, warnings)
    if args.strict and warnings:
        _print_warnings(warnings)
        raise SiteError(f"{source}: {len(warnings)} problem(s) listed above; nothing was imported "
                        "(--strict); fix them, or import without --strict to skip those entries")
    args.into.mkdir(parents=True, exist_ok=True)
    counts: collections.Counter[str] = collections.Counter()
    progress = _Progress(len(papers))
    for number, paper in enumerate(papers, 1):
        outcome = write_paper(args.into / f"{paper.slug}.md", markdown_file(paper, source.name), args.force)
        counts[outcome] += 1
        if outcome == "kept":
            warnings.append(f"{args.into / (paper.slug + '.md')}: edited by hand, left as it is "
                            "(use --force to overwrite it)")
        progress.show(number)
    progress.done()
    _print_warnings(warnings)
    _print_unmapped(papers)
    print(f"imported {source.name} into {args.into} in {time.perf_counter() - started:.2f} s: "
          f"{counts['added']} added, {counts['updated']} updated, {counts['unchanged']} unchanged, "
          f"{counts['kept']} kept (edited by hand), {len(entries) - len(papers)} skipped, "
          f"{len(warnings)} warnings")
    return 0


def _checked(papers: list[BibPaper], warnings: list[str]) -> list[BibPaper]:
    """The papers that would build, each without the fields a build would drop; the others are
    reported and skipped, as in a build."""
    markdown = MarkdownRenderer()
    good = []
    for paper in papers:
        try:
            _, paper = entry_publication(paper, markdown, Owner(""), warnings)
        except ContentError as exc:
            warnings.append(f"{paper.entry.place}: entry {quoted(paper.entry.key)}: {exc.message}; it is skipped")
            continue
        good.append(paper)
    return good


def markdown_file(paper: BibPaper, origin: str) -> str:
    """The paper as a Markdown file: front matter in a fixed order, the abstract as the body."""
    meta: dict[str, Any] = {key: paper.meta[key] for key in FIELD_ORDER if key in paper.meta}
    front = yaml.dump(meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                      default_flow_style=False)
    text = (f"---\n# Imported from {origin} by `site-builder import`. Edit freely: once edited, a later\n"
            f"# import leaves this file alone (unless --force). While 'import_hash' is here, the text is\n"
            f"# read as BibTeX writes it: -- and --- are dashes, ~ is a no-break space.\n{front}---\n")
    abstract = paper.abstract.strip()
    if abstract.startswith("{") and abstract.endswith("}") and abstract.count("{") == 1:
        abstract = abstract[1:-1].strip()  # braces around a whole abstract mean nothing
    if abstract:
        text += abstract + "\n"
    return _with_hash(text)


def _with_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return text.replace("\n---\n", f"\nimport_hash: {digest}\n---\n", 1)


def is_untouched(text: str) -> bool:
    """Whether a file is exactly as the importer wrote it (its hash still matches)."""
    match = _HASH_LINE.search(text)
    if match is None:
        return False
    original = text[:match.start()] + text[match.end():]
    return hashlib.sha256(original.encode("utf-8")).hexdigest()[:16] == match.group(1)


def write_paper(target: Path, text: str, force: bool) -> str:
    """Write one paper file; returns 'added', 'updated', 'unchanged' or 'kept' (edited by hand)."""
    if target.exists():
        try:
            current = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = ""
        if current == text:
            return "unchanged"
        if not force and not is_untouched(current):
            return "kept"
        outcome = "updated"
    else:
        outcome = "added"
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, target)
    return outcome


def _print_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def _print_unmapped(papers: list[BibPaper]) -> None:
    counts = collections.Counter(name for paper in papers for name in paper.unmapped)
    if counts:
        listed = ", ".join(f"{name} ({count})" for name, count in sorted(counts.items()))
        print(f"kept under 'bibtex:' (exported, not shown on the page): {listed}", file=sys.stderr)


class _Progress:
    """A one-line progress bar on stderr, only on a terminal and only for large files."""

    def __init__(self, total: int):
        self.total = total
        self.active = total >= 200 and sys.stderr.isatty()

    def show(self, number: int) -> None:
        if self.active and (number % 25 == 0 or number == self.total):
            filled = 30 * number // self.total
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {number}/{self.total} papers")
            sys.stderr.flush()

    def done(self) -> None:
        if self.active:
            sys.stderr.write("\n")
