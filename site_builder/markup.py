"""Markdown to HTML with one reused converter. Raw HTML is escaped unless the site opts in.

Every Markdown text of the site goes through here, so math and code work the same everywhere:
`$...$`, `$$...$$`, `\\(...\\)` and `\\[...\\]` become MathML (the converter the titles use),
and fenced code is highlighted by Pygments into CSS classes (the theme's assets/code.css).
"""

from __future__ import annotations

import html
import re

import markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from site_builder.safety import is_safe_url


class _DropUnsafeLinks(Treeprocessor):
    """Remove href/src values whose scheme is not http, https, mailto or relative."""

    def run(self, root):
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and not is_safe_url(value):
                    del element.attrib[attribute]


# Math as Pandoc reads it: `$` opens before a non-space and closes after one, not before a digit,
# so "$5 and $10" stays money; `\\$` is a dollar sign. Display forms may span lines.
_MATH = re.compile(r"(?<!\\)(?:\$\$(?P<dollars>.+?)\$\$|\\\[(?P<bracket>.+?)\\\]|\\\((?P<paren>.+?)\\\)"
                   r"|\$(?P<inline>[^\s$](?:[^$]*?[^\s\\$])?)\$(?!\d))", re.DOTALL)


class _Math(InlineProcessor):
    """A formula as MathML, stashed so that no later pattern (emphasis, escapes) sees inside it.
    Runs after code spans, so `$HOME` in backticks stays code. A formula the converter cannot
    render faithfully is shown as its TeX source."""

    def handleMatch(self, m, data):
        from site_builder.mathml import safe_mathml  # the titles' converter and sanitiser

        tex = m.group("dollars") or m.group("bracket") or m.group("paren") or m.group("inline")
        display = "inline" if m.group("paren") or m.group("inline") else "block"
        markup = safe_mathml(tex.strip(), display)
        if markup is None:
            markup = f'<code class="tex">{html.escape(m.group(0), quote=False)}</code>'
        return self.md.htmlStash.store(markup), m.start(0), m.end(0)


# Hugo's way to ask for line numbers, ```python {linenos=true}, in the form fenced_code reads.
_HUGO_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})[ ]*\.?(?P<lang>[\w#.+-]+)[ ]*\{(?P<attrs>[^}\n]*)\}[ ]*$", re.M)
_LINENOS = re.compile(r"\blinenos=[\"']?(?:true|table|inline)[\"']?")


class _HugoFences(Preprocessor):
    def run(self, lines):
        text = "\n".join(lines)
        if "linenos" not in text:
            return lines
        return _HUGO_FENCE.sub(lambda m: f"{m['fence']} {{.{m['lang']} "
                               f"{_LINENOS.sub('linenos=inline', m['attrs']).strip()}}}", text).split("\n")


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
    """One configured Python-Markdown instance, reset between documents."""

    def __init__(self, allow_html: bool = False):
        self._md = markdown.Markdown(extensions=_extensions(), output_format="html")
        if not allow_html:
            self._md.preprocessors.deregister("html_block")
            self._md.inlinePatterns.deregister("html")
            self._md.inlinePatterns.deregister("entity")
        self._md.treeprocessors.register(_DropUnsafeLinks(self._md), "drop_unsafe_links", 0)
        self._md.ESCAPED_CHARS.append("$")  # \$ is a dollar sign, never math
        self._md.preprocessors.register(_HugoFences(self._md), "hugo_fences", 26)  # before fenced code
        self._md.inlinePatterns.register(_Math(_MATH.pattern, self._md), "math", 185)  # after `code`

    def to_html(self, text: str) -> str:
        self._md.reset()
        return self._md.convert(text)


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
