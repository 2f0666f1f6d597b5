"""Markdown to HTML with one reused converter. Raw HTML is escaped unless the site opts in.

Every Markdown text of the site goes through here, so math and code work the same everywhere:
`$...$`, `$$...$$`, `\\(...\\)` and `\\[...\\]` become MathML (the converter the titles use),
and fenced code is highlighted by Pygments into CSS classes (the theme's assets/code.css).
"""

from __future__ import annotations

import html
import re

from site_builder.safety import is_safe_url


def _drop_unsafe_links(md):
    """A tree processor that removes href/src values whose scheme is not http, https, mailto or
    relative (its class made when Python-Markdown is imported)."""
    from markdown.treeprocessors import Treeprocessor

    class DropUnsafeLinks(Treeprocessor):
        def run(self, root):
            for element in root.iter():
                for attribute in ("href", "src"):
                    value = element.get(attribute)
                    if value is not None and not is_safe_url(value):
                        del element.attrib[attribute]

    return DropUnsafeLinks(md)


# Math as Pandoc reads it: `$` opens before a non-space and closes after one, not before a digit,
# so "$5 and $10" stays money; `\\$` is a dollar sign. Display forms may span lines.
_MATH = re.compile(r"(?<!\\)(?:\$\$(?P<dollars>.+?)\$\$|\\\[(?P<bracket>.+?)\\\]|\\\((?P<paren>.+?)\\\)"
                   r"|\$(?P<inline>[^\s$](?:[^$]*?[^\s\\$])?)\$(?!\d))", re.DOTALL)


def _math(md):
    """An inline processor that turns a formula into MathML, stashed so that no later pattern
    (emphasis, escapes) sees inside it. Runs after code spans, so `$HOME` in backticks stays
    code. A formula the converter cannot render faithfully is shown as its TeX source."""
    from markdown.inlinepatterns import InlineProcessor

    from site_builder.mathml import safe_mathml  # the titles' converter and sanitiser

    class Math(InlineProcessor):
        def handleMatch(self, m, data):
            tex = m.group("dollars") or m.group("bracket") or m.group("paren") or m.group("inline")
            display = "inline" if m.group("paren") or m.group("inline") else "block"
            markup = safe_mathml(tex.strip(), display)
            if markup is None:
                markup = f'<code class="tex">{html.escape(m.group(0), quote=False)}</code>'
            return self.md.htmlStash.store(markup), m.start(0), m.end(0)

    return Math(_MATH.pattern, md)


# Hugo's way to ask for line numbers, ```python {linenos=true}, in the form fenced_code reads.
_HUGO_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})[ ]*\.?(?P<lang>[\w#.+-]+)[ ]*\{(?P<attrs>[^}\n]*)\}[ ]*$", re.M)
_LINENOS = re.compile(r"\blinenos=[\"']?(?:true|table|inline)[\"']?")


def _hugo_fences(md):
    """A preprocessor that rewrites Hugo's fence options into the form fenced_code reads."""
    from markdown.preprocessors import Preprocessor

    class HugoFences(Preprocessor):
        def run(self, lines):
            text = "\n".join(lines)
            if "linenos" not in text:
                return lines
            return _HUGO_FENCE.sub(lambda m: f"{m['fence']} {{.{m['lang']} "
                                   f"{_LINENOS.sub('linenos=inline', m['attrs']).strip()}}}", text).split("\n")

    return HugoFences(md)


def _extensions() -> list:
    """'extra' (its parts, in its order) and 'sane_lists', as instances: named extensions are
    looked up among the installed packages' entry points, which costs more than the build."""
    from markdown.extensions.abbr import AbbrExtension
    from markdown.extensions.attr_list import AttrListExtension
    from markdown.extensions.codehilite import CodeHiliteExtension
    from markdown.extensions.def_list import DefListExtension
    from markdown.extensions.fenced_code import FencedCodeExtension
    from markdown.extensions.footnotes import FootnoteExtension
    from markdown.extensions.md_in_html import MarkdownInHtmlExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension

    # Fenced code: Pygments' classes (no inline styles), no guessing of unnamed languages.
    return [CodeHiliteExtension(guess_lang=False), FencedCodeExtension(), FootnoteExtension(), AttrListExtension(), DefListExtension(),
            TableExtension(), AbbrExtension(), MarkdownInHtmlExtension(), SaneListExtension()]


class MarkdownRenderer:
    """One configured Python-Markdown instance, reset between documents. It is made (and
    Python-Markdown imported) on first use: a build whose papers all come from the content
    cache needs none. Pickled without it, for worker processes."""

    def __init__(self, allow_html: bool = False):
        self.allow_html = allow_html
        self._converter = None

    def __getstate__(self) -> dict:
        return {"allow_html": self.allow_html, "_converter": None}

    def _md(self):
        if self._converter is None:
            import markdown

            md = markdown.Markdown(extensions=_extensions(), output_format="html")
            if not self.allow_html:
                md.preprocessors.deregister("html_block")
                md.inlinePatterns.deregister("html")
                md.inlinePatterns.deregister("entity")
            md.treeprocessors.register(_drop_unsafe_links(md), "drop_unsafe_links", 0)
            md.ESCAPED_CHARS.append("$")  # \$ is a dollar sign, never math
            md.preprocessors.register(_hugo_fences(md), "hugo_fences", 26)  # before fenced code
            md.inlinePatterns.register(_math(md), "math", 185)  # after `code`
            self._converter = md
        return self._converter

    def to_html(self, text: str) -> str:
        plain = plain_paragraphs(text)
        if plain is not None:
            return plain
        md = self._md()
        md.reset()
        return md.convert(text)


# Text with nothing Python-Markdown would read as syntax: no character that can start or end
# markup anywhere (emphasis, code, links, HTML, entities, tables, abbreviations, attribute lists,
# escapes, math), no tab, carriage return or other line-breaking or control character.
_PLAIN_TEXT = re.compile(r"[^\\`*_{}\[\]<>#+|~&=$\t\r\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]*")
# A line of plain text starts with a letter (not a space, a digit of '1. ', '-', ':', '>' ...)
# and ends without a space (two make a line break).
_PLAIN_LINE = re.compile(r"[^\W\d_][^\n]*(?<! )")


def plain_paragraphs(text: str) -> str | None:
    """Python-Markdown's HTML for text that is only paragraphs of plain words (what most
    abstracts are), made without it; None for anything else. tests/test_markup_fast_path.py
    checks it against Python-Markdown over every abstract of the corpus and generated text."""
    if not _PLAIN_TEXT.fullmatch(text):
        return None
    paragraphs = [block.split("\n") for block in re.split(r"\n\n+", text.strip("\n"))]
    if not all(_PLAIN_LINE.fullmatch(line) for lines in paragraphs for line in lines):
        return None
    return "\n".join(f"<p>{chr(10).join(lines)}</p>" for lines in paragraphs)


_TAGS = re.compile(r"<[^>]+>")


def html_to_text(fragment: str) -> str:
    """Plain text of a rendered fragment, whitespace collapsed (for meta descriptions)."""
    return " ".join(html.unescape(_TAGS.sub(" ", fragment)).split())


def first_sentence(text: str, limit: int = 200) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = match.group(1) if match else text
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence
