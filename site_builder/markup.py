"""Markdown to HTML with one reused converter. Raw HTML is escaped unless the site opts in."""

from __future__ import annotations

import html
import re

import markdown
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


def _extensions() -> list:
    """'extra' (its parts, in its order) and 'sane_lists', as instances: named extensions are
    looked up among the installed packages' entry points, which costs more than the build."""
    from markdown.extensions.abbr import AbbrExtension
    from markdown.extensions.attr_list import AttrListExtension
    from markdown.extensions.def_list import DefListExtension
    from markdown.extensions.fenced_code import FencedCodeExtension
    from markdown.extensions.footnotes import FootnoteExtension
    from markdown.extensions.md_in_html import MarkdownInHtmlExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension

    return [FencedCodeExtension(), FootnoteExtension(), AttrListExtension(), DefListExtension(),
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
