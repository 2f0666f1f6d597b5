"""A checked paper's LaTeX rendered (title, authors, venue, abstract) and its BibTeX export fields.

Values from a .bib file are LaTeX by definition; values from Markdown go through LaTeX only when
they hold a LaTeX marker (a backslash, a brace, a dollar sign, ``quotes''), so plain text is
left exactly as written.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from site_builder.bibtex import export_fields
from site_builder.errors import ContentError
from site_builder.frontmatter import SourceFile
from site_builder.latex import has_latex, latex_paragraphs, latex_to_rich, latex_to_text, markdown_with_latex
from site_builder.markup import MarkdownRenderer
from site_builder.models import Owner, Publication

if TYPE_CHECKING:
    from site_builder.bibtex_in import BibPaper

_LINK_TAG = re.compile(r"</?a\b[^>]*>")


def render_latex(pub: Publication, source: SourceFile, markdown: MarkdownRenderer, owner: Owner,
                 warnings: list[str], bib: BibPaper | None = None,
                 overridden: frozenset[str] = frozenset()) -> Publication:
    """The paper with its LaTeX turned into text and HTML, and its BibTeX fields filled in."""
    from_bib = {key for key in (bib.meta if bib else ()) if key not in overridden}
    # A file written by `import` holds BibTeX text: read as LaTeX even without a marker ("A -- B")
    imported = bib is None and "import_hash" in source.meta
    as_latex = set(source.meta) if imported else from_bib
    place = bib.entry.place if bib and not overridden else str(source.path)
    problems: list[str] = []
    tex: dict[str, str] = {}
    changes: dict[str, Any] = {}

    def convert(key: str, value: str):
        if not value or not (key in as_latex or has_latex(value)):
            return None
        rich = latex_to_rich(value)
        problems.extend(rich.problems)
        if key not in from_bib:
            tex[key] = value
        return rich

    title = convert("title", pub.title)
    if title is not None:
        changes["title"] = title.text
        title_html = _LINK_TAG.sub("", title.html)  # a title is itself a link in listings
        if title_html != html.escape(title.text, quote=False):
            changes["title_html"] = title_html
    for key in ("venue", "venue_short", "award"):
        rich = convert(key, getattr(pub, key))
        if rich is not None:
            changes[key] = rich.text
    if imported or any(has_latex(a.name) for a in pub.authors):
        tex["author"] = " and ".join([a.name for a in pub.authors] + (["others"] if pub.more_authors else []))
        changes["authors"] = tuple(
            replace(a, name=name, is_owner=a.is_owner or owner.matches(name))
            for a in pub.authors for name in [latex_to_text(a.name) if has_latex(a.name) or imported else a.name])
    abstract = _abstract(source, markdown, bib, imported)
    if abstract is not None:
        problems.extend(abstract.problems)
        changes.update(abstract_html=abstract.html, abstract_text=abstract.text)
    warnings.extend(f"{place}: paper '{pub.slug}': {problem}" for problem in problems)
    pub = replace(pub, **changes)
    kept = _kept_fields(source)
    entry_fields = bib.entry.fields if bib else None
    key = bib.key if bib else str(source.meta.get("bibtex_key") or "")
    return replace(pub, bibtex_key=key,
                   bibtex_fields=export_fields(pub, tex, kept, entry_fields, overridden & {*source.meta}))


def _abstract(source: SourceFile, markdown: MarkdownRenderer, bib: BibPaper | None, imported: bool):
    if source.body.strip():
        if imported or has_latex(source.body):
            return markdown_with_latex(source.body, markdown.to_html, from_bibtex=imported)
        return None
    if bib is not None and bib.abstract and "abstract" not in source.meta:
        return latex_paragraphs(bib.abstract)
    text = source.meta.get("abstract")
    if isinstance(text, str) and has_latex(text):
        return markdown_with_latex(" ".join(text.split()), markdown.to_html)
    return None


def _kept_fields(source: SourceFile) -> dict[str, str]:
    """The front matter's `bibtex:` mapping: BibTeX fields kept as written, for the export."""
    value = source.meta.get("bibtex") or {}
    if not isinstance(value, dict) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool)
                                              for v in value.values()):
        raise ContentError(source.path, "'bibtex' must be a mapping of BibTeX field names to values "
                                        "(e.g. 'eid: stag947')")
    return {str(k).lower(): str(v) for k, v in value.items()}
