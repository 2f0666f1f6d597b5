"""LaTeX in titles, names, venues and abstracts -> plain text and safe HTML.

pylatexenc parses the LaTeX and spells accents and symbols; `\\emph`, `\\textbf`, `\\url`,
`\\href` become <em>, <strong> and links; math becomes MathML (mathml.py). Both libraries
are imported on first use, so a site without LaTeX never loads them.

Two modes:
- `latex_to_rich(value)`: the whole value is LaTeX (a BibTeX field, a title with LaTeX in it).
- `markdown_with_latex(text, to_html)`: Markdown with LaTeX pieces in it (an abstract in a
  Markdown file). Only complete LaTeX constructs are converted: math, `{...}` groups, known
  commands with their arguments, escapes and ``quotes''. Anything else is left to Markdown, so
  a stray `\\em` outside braces stays as written.
"""

from __future__ import annotations

import functools
import html
import logging
import re
from dataclasses import dataclass
from typing import Callable

from site_builder.errors import quoted
from site_builder.mathml import safe_mathml
from site_builder.safety import is_safe_url

# Text that may hold LaTeX; plain text without these never goes near pylatexenc.
# A bare declaration such as "\\em" outside braces is not enough: in Markdown it stays as written.
_MARKERS = re.compile(r"\\(?!(?:em|it|bf|sl)\b)|[{$]|``|</?(?:sub|sup|i|b)>")
# Full mode: values with none of these only need their protective braces removed.
_NEEDS_PARSER = re.compile(r"[\\$~%&<>]|--|``|''")
# '%' and '&' are plain characters in BibTeX abstracts ("58% of"), never comments or
# alignment: they are swapped for private-use characters of the same length before parsing.
_SWAPS = {"%": "\ue010", "&": "\ue011"}
_UNSWAP = str.maketrans({v: k for k, v in _SWAPS.items()})
_UNESCAPED = re.compile(r"(?<!\\)[%&]")
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&#?\w+;)|([^<&]+)")
_SIMPLE_TAG = re.compile(r"&lt;(/?)(sub|sup|i|b)&gt;")
_TAG_TEXT = re.compile(r"</?(?:sub|sup|i|b)>")
_URL_TILDE = re.compile(r"\\(?:~|textasciitilde)\s*(\{\})?")
_SPACES = re.compile(r"[ \t\r\n]+")

_SMALL_CAPS = 'span class="smallcaps"'
_WRAPS = {"emph": "em", "textit": "em", "textsl": "em", "textbf": "strong", "texttt": "code",
          "textsuperscript": "sup", "textsubscript": "sub", "textsc": _SMALL_CAPS}
_PLAIN = ("textrm", "textsf", "textup", "textnormal", "textmd", "mbox", "text")
_DECLARATIONS = {"em": "em", "it": "em", "itshape": "em", "sl": "em", "slshape": "em",
                 "bf": "strong", "bfseries": "strong", "sc": _SMALL_CAPS, "scshape": _SMALL_CAPS}
_CASES = {"lowercase": str.lower, "MakeLowercase": str.lower, "uppercase": str.upper, "MakeUppercase": str.upper}
# Commands whose arguments are layout or references, not text: they leave nothing behind.
_SILENT = {"vspace": "*{", "hspace": "*{", "phantom": "{", "hphantom": "{", "vphantom": "{", "rule": "[{{",
           "label": "{", "ref": "*{", "eqref": "{", "cite": "*[[{", "citep": "*[[{", "citet": "*[[{",
           "footnote": "[{", "thanks": "{", "index": "{", "smash": "[{"}
_SIZES = ("tiny", "scriptsize", "footnotesize", "small", "normalsize", "large", "Large", "LARGE", "huge", "Huge")
# TeX primitives that take a bare dimension (\kern.2em), which pylatexenc cannot parse as an argument
_DIMENSION = re.compile(r"\\(?:kern|mkern|hskip|vskip|mskip)\s*-?(?:\d+\.?\d*|\.\d+)\s*(?:em|ex|pt|mm|cm|in|mu|bp|pc|sp)")
# INSPIRE escapes a title's own LaTeX: {\textbackslash}textsc{DecADe} is \textsc{DecADe}, and
# Belle{\textasciitilde}II is Belle~II (a tie between two letters)
_ESCAPED_COMMAND = re.compile(r"\{\\textbackslash\}(?=[A-Za-z])")
_ESCAPED_TIE = re.compile(r"(?<=[A-Za-z])\{\\textasciitilde\}(?=[A-Za-z])")


@dataclass(frozen=True)
class RichText:
    html: str  # safe to insert into a page
    text: str  # plain Unicode, for <title>, descriptions and metadata
    problems: tuple[str, ...] = ()  # formulas that could not be converted


def has_latex(text: str) -> bool:
    """Whether text holds anything LaTeX-like: a backslash, a brace, a dollar sign, ``quotes''."""
    return bool(_MARKERS.search(text))


def latex_to_text(value: str) -> str:
    """A LaTeX value as plain Unicode text (whitespace collapsed)."""
    return latex_to_rich(value).text


@functools.lru_cache(maxsize=4096)
def latex_to_rich(value: str) -> RichText:
    """A LaTeX value (one line: title, name, venue) as inline HTML and text."""
    if not _NEEDS_PARSER.search(value):
        text = _squash(value.replace("{", "").replace("}", ""))
        return RichText(html.escape(text, quote=False), text)
    walk = _Walk(_swap(_unescaped(value)))
    markup, text = walk.nodes(walk.parse())
    return RichText(_allow_simple_tags(_squash(markup)), _squash(_TAG_TEXT.sub("", text)),
                    tuple(walk.problems))


def latex_paragraphs(value: str) -> RichText:
    """A LaTeX abstract as <p> paragraphs (split at blank lines) and text."""
    parts = [latex_to_rich(p) for p in re.split(r"\n\s*\n", value) if p.strip()]
    return RichText("\n".join(f"<p>{p.html}</p>" for p in parts), " ".join(p.text for p in parts),
                    tuple(problem for p in parts for problem in p.problems))


def markdown_with_latex(text: str, to_html: Callable[[str], str], from_bibtex: bool = False) -> RichText:
    """Markdown holding LaTeX pieces: each piece is converted, the rest goes through Markdown.

    `from_bibtex`: the text was written by `import` from a .bib file, so its dashes (`--`, `---`)
    and ties (`~`) are BibTeX's too, except a dash line (a Markdown rule) and a `~` in a URL."""
    walk = _Walk(_swap(text))
    pieces: list[str] = []
    fragments: list[tuple[str, str]] = []
    last = 0
    for node in walk.parse():
        pieces.append(text[last:node.pos])
        last = node.pos + node.len
        if _raw_in_markdown(node, text) and not (from_bibtex and _bibtex_special(node, text)):
            pieces.append(text[node.pos:last])
            continue
        fragments.append(walk.node(node))
        pieces.append(f"\ue000{len(fragments) - 1}\ue001")
    pieces.append(text[last:])
    rendered = to_html("".join(pieces))
    as_html = _allow_simple_tags(_fill_placeholders(rendered, fragments))
    as_text = _fill_placeholders(rendered, [(html.escape(t), t) for _, t in fragments])
    return RichText(as_html, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", as_text)).split()),
                    tuple(walk.problems))


def url_from_latex(value: str) -> str:
    """A URL, DOI or arXiv id as BibTeX files write them: `\\_` `\\%` `\\~{}` unescaped, braces dropped."""
    value = _URL_TILDE.sub("~", value)
    value = re.sub(r"\\([%&#_~$])", r"\1", value)
    return value.replace("{", "").replace("}", "").strip()


def _squash(text: str) -> str:
    """Collapse runs of ASCII whitespace (a no-break space from '~' stays)."""
    return _SPACES.sub(" ", text).strip(" ")


def _unescaped(value: str) -> str:
    """A BibTeX value with INSPIRE's escaped LaTeX restored and bare TeX dimensions dropped."""
    value = _ESCAPED_TIE.sub("~", _ESCAPED_COMMAND.sub(r"\\", value))
    return _DIMENSION.sub("", value)


def _swap(text: str) -> str:
    return _UNESCAPED.sub(lambda m: _SWAPS[m.group()], text)


def _fill_placeholders(rendered: str, fragments: list[tuple[str, str]]) -> str:
    """Put converted pieces back: as HTML in text, as escaped text inside a tag (never markup there)."""
    def fill(segment: str, in_tag: bool) -> str:
        def one(match: re.Match) -> str:
            index = int(match.group(1))
            if index >= len(fragments):
                return ""
            markup, text = fragments[index]
            return html.escape(text, quote=True) if in_tag else markup
        return _PLACEHOLDER.sub(one, segment)

    return "".join(fill(part, part.startswith("<")) for part in _TAG_OR_TEXT.split(rendered))


def _allow_simple_tags(markup: str) -> str:
    """<sub>, <sup>, <i>, <b> written in the source (as NASA ADS does) are kept when they pair up."""
    if "&lt;" not in markup:
        return markup
    stack: list[str] = []
    for match in _SIMPLE_TAG.finditer(markup):
        closing, name = match.groups()
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return markup
    if stack:
        return markup
    return _SIMPLE_TAG.sub(r"<\1\2>", markup)


@functools.cache
def _tools():
    """pylatexenc's parser context (with \\href and a few more) and its text converter."""
    from pylatexenc import latex2text, latexwalker, macrospec

    logging.getLogger("pylatexenc").addHandler(logging.NullHandler())
    context = latexwalker.get_default_latex_context_db()
    arguments = {"href": "{{", "textsuperscript": "{", "textsubscript": "{", "raisebox": "{[[{",
                 **{name: "{" for name in _CASES}, **_SILENT}
    context.add_context_category("site-builder", prepend=True, macros=[
        macrospec.MacroSpec(name, spec) for name, spec in arguments.items()])
    known = latex2text.get_default_latex_context_db()
    known.add_context_category("site-builder", prepend=True, macros=[
        latex2text.MacroTextSpec("rq", "\u2019"), latex2text.MacroTextSpec("lq", "\u2018"),
        latex2text.MacroTextSpec("raisebox", lambda node, l2t: l2t.nodelist_to_text([node.nodeargd.argnlist[-1]])),
        *(latex2text.MacroTextSpec(name, "") for name in (*_SILENT, *_SIZES, "sc", "scshape")),
        *(latex2text.MacroTextSpec(name, "%(1)s") for name in _CASES),
    ])
    to_text = latex2text.LatexNodes2Text(latex_context=known, math_mode="text", strict_latex_spaces=False)
    return latexwalker, context, to_text, known


def _raw_in_markdown(node, source: str) -> bool:
    """Pieces of a Markdown text that Markdown itself handles, or that are not LaTeX at all."""
    latexwalker, _, _, known = _tools()
    if isinstance(node, (latexwalker.LatexCharsNode, latexwalker.LatexCommentNode)):
        return True
    if isinstance(node, latexwalker.LatexSpecialsNode):
        return node.specials_chars not in ("``", "''")
    if isinstance(node, latexwalker.LatexMacroNode):
        name = node.macroname
        if name in _DECLARATIONS:
            return True
        return name.isalpha() and name not in _WRAPS and name not in _PLAIN and name not in ("url", "href") \
            and known.get_macro_spec(name) is None
    if isinstance(node, latexwalker.LatexMathNode) and node.delimiters[0] == "$":
        inner = source[node.pos + 1:node.pos + node.len - 1]
        # As in Pandoc, "$5 and $10" is money, not math: math starts and ends with a non-space.
        return not inner or inner[0].isspace() or inner[-1].isspace()
    return False


def _bibtex_special(node, source: str) -> bool:
    """A dash or tie of BibTeX text inside a line of words (not a rule, not in a URL)."""
    latexwalker = _tools()[0]
    if not isinstance(node, latexwalker.LatexSpecialsNode) or node.specials_chars not in ("--", "---", "~"):
        return False
    start = source.rfind("\n", 0, node.pos) + 1
    end = source.find("\n", node.pos)
    line = source[start:len(source) if end < 0 else end]
    if not line.strip(" -"):
        return False
    word = re.search(r"\S*$", source[start:node.pos]).group() + re.match(r"\S*", source[node.pos:]).group()
    return "/" not in word


class _Walk:
    """Turns pylatexenc nodes into (html, text) pairs."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []

    def parse(self) -> list:
        latexwalker, context, _, _ = _tools()
        walker = latexwalker.LatexWalker(self.source, latex_context=context, tolerant_parsing=True)
        try:
            return walker.get_latex_nodes()[0]
        except latexwalker.LatexWalkerError:  # pragma: no cover - tolerant parsing reports, never raises
            return []

    def verbatim(self, node) -> str:
        return self.source[node.pos:node.pos + node.len].translate(_UNSWAP)

    def nodes(self, nodes) -> tuple[str, str]:
        latexwalker = _tools()[0]
        markup: list[str] = []
        text: list[str] = []
        for index, node in enumerate(nodes):
            if isinstance(node, latexwalker.LatexMacroNode) and node.macroname in _DECLARATIONS:
                inner_html, inner_text = self.nodes(nodes[index + 1:])
                markup.append(_wrapped(_DECLARATIONS[node.macroname], inner_html) if inner_html.strip()
                              else inner_html)
                text.append(inner_text)
                break
            node_html, node_text = self.node(node)
            markup.append(node_html)
            text.append(node_text)
        return "".join(markup), "".join(text)

    def node(self, node) -> tuple[str, str]:
        latexwalker = _tools()[0]
        if node is None:
            return "", ""
        if isinstance(node, latexwalker.LatexCharsNode):
            text = node.chars.translate(_UNSWAP)
            return html.escape(text, quote=False), text
        if isinstance(node, latexwalker.LatexGroupNode):
            return self.nodes(node.nodelist)
        if isinstance(node, latexwalker.LatexMathNode):
            return self.math(node)
        if isinstance(node, latexwalker.LatexMacroNode):
            converted = self.macro(node)
            if converted is not None:
                return converted
        if isinstance(node, latexwalker.LatexCommentNode):
            return "", ""
        text = self.spelled([node])
        return html.escape(text, quote=False), text

    def spelled(self, nodes) -> str:
        """pylatexenc's text for these nodes; for a command it cannot spell (one missing its
        arguments, say) the text of whatever arguments it has."""
        to_text = _tools()[2]
        try:
            return to_text.nodelist_to_text(nodes).translate(_UNSWAP)
        except Exception:  # pylatexenc's text conversion raises on some malformed input
            args = [arg for node in nodes if getattr(node, "nodeargd", None) is not None
                    for arg in node.nodeargd.argnlist or ()]
            return "".join(self.node(arg)[1] for arg in args)

    def argument(self, node, number: int):
        args = node.nodeargd.argnlist if node.nodeargd is not None else []
        return args[number] if number < len(args) else None

    def content(self, arg) -> tuple[str, str]:
        if arg is None:
            return "", ""
        latexwalker = _tools()[0]
        return self.nodes(arg.nodelist) if isinstance(arg, latexwalker.LatexGroupNode) else self.node(arg)

    def url(self, arg) -> str:
        if arg is None:
            return ""
        return url_from_latex(self.verbatim(arg))

    def macro(self, node) -> tuple[str, str] | None:
        name = node.macroname
        if name in _WRAPS:
            inner_html, inner_text = self.content(self.argument(node, 0))
            return _wrapped(_WRAPS[name], inner_html), inner_text
        if name in _PLAIN:
            return self.content(self.argument(node, 0))
        if name in _SILENT:
            return "", ""
        if name == "raisebox":  # \raisebox{lift}[height][depth]{text}
            return self.content(self.argument(node, 3))
        if name in _CASES:
            inner_html, inner_text = self.content(self.argument(node, 0))
            change = _CASES[name]
            return _TAG_OR_ENTITY.sub(lambda m: m.group(1) or change(m.group(2)), inner_html), change(inner_text)
        if name == "url":
            url = self.url(self.argument(node, 0))
            return _link(url, html.escape(url, quote=False)), url
        if name == "href":
            url = self.url(self.argument(node, 0))
            inner_html, inner_text = self.content(self.argument(node, 1))
            return _link(url, inner_html), inner_text
        return None

    def math(self, node) -> tuple[str, str]:
        opening, closing = node.delimiters
        verbatim = self.verbatim(node)
        if len(verbatim) < len(opening) + len(closing) or not verbatim.endswith(closing):
            return html.escape(verbatim, quote=False), verbatim  # a lone '$' is a dollar sign
        tex = verbatim[len(opening):len(verbatim) - len(closing)]
        text = " ".join(self.spelled(node.nodelist).split())
        display = "block" if node.displaytype == "display" else "inline"
        mathml = safe_mathml(tex.strip(), display)
        if mathml is None:
            self.problems.append(f"formula {quoted(opening + tex + closing)} could not be converted to MathML; "
                                 "it is shown as TeX")
            return f"<code class=\"tex\">{html.escape(verbatim, quote=False)}</code>", verbatim
        return mathml, text


def _wrapped(tag: str, inner_html: str) -> str:
    """inner_html in the element `tag` names ('em', or 'span class="smallcaps"')."""
    return f"<{tag}>{inner_html}</{tag.split()[0]}>"


def _link(url: str, label_html: str) -> str:
    if not url or not is_safe_url(url):
        return label_html
    return f'<a href="{html.escape(url, quote=True)}">{label_html or html.escape(url)}</a>'
