"""LaTeX math -> MathML that can hold nothing but math.

latex2mathml builds an element tree and then serialises it with its text un-escaped (so that its
own character references survive), which lets `\\text{<img onerror=...>}` through as markup; and
it copies `\\href{...}` and `\\style{...}` into `href` and `style` attributes. So the tree is
written out here instead: only MathML elements and presentation attributes on the lists below,
attribute values of letters, digits and a few signs (never a URL, never CSS), and every text
escaped. `safe_mathml` is the one way any text of the site becomes MathML.
"""

from __future__ import annotations

import functools
import html
import re
from xml.etree.ElementTree import Element

MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML"

# MathML Core's elements, and <menclose> (which latex2mathml uses for \boxed and \cancel).
ELEMENTS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup", "mfrac",
    "msqrt", "mroot", "mover", "munder", "munderover", "mmultiscripts", "mprescripts", "none",
    "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose", "merror", "semantics",
    "annotation",
})
# Presentation attributes only: nothing that holds a URL (href, src), CSS (style), script (on*),
# or names other parts of the page (id, class).
ATTRIBUTES = frozenset({
    "display", "displaystyle", "scriptlevel", "mathvariant", "mathsize", "mathcolor",
    "mathbackground", "dir", "form", "fence", "separator", "stretchy", "symmetric", "largeop",
    "movablelimits", "accent", "accentunder", "lspace", "rspace", "minsize", "maxsize",
    "linethickness", "width", "height", "depth", "voffset", "notation", "columnalign", "rowalign",
    "columnspacing", "rowspacing", "columnlines", "rowlines", "columnspan", "rowspan", "frame",
    "framespacing", "equalrows", "equalcolumns", "linebreak", "encoding",
})
# Lengths, colours and keywords ("0.167em", "#ff0000", "double-struck", "center left").
_ATTRIBUTE_VALUE = re.compile(r"[\w#.%+\- ]{0,64}")


def safe_mathml(tex: str, display: str = "inline") -> str | None:
    """MathML for one formula (without its $ delimiters); display is "inline" or "block".
    None when latex2mathml cannot convert it faithfully: the caller shows the TeX as text."""
    return _converted(tex, "block" if display == "block" else "inline")


@functools.lru_cache(maxsize=2048)
def _converted(tex: str, display: str) -> str | None:
    if not tex or re.search(r"(?<!\\)\$", tex):  # a '$' inside math: the delimiters are confused
        return None
    from latex2mathml.converter import convert_to_element

    try:
        tree = convert_to_element(tex, display=display)
        parts: list[str] = []
        _write(tree, parts)
    except Exception:  # latex2mathml raises many kinds of errors on bad input (and RecursionError)
        return None
    mathml = "".join(parts)
    if "\\" in re.sub(r"<[^>]+>", "", mathml):  # an unknown command left as text: not faithful
        return None
    return mathml


def _write(element: Element, parts: list[str]) -> None:
    """The element as allowlisted MathML; an element not on the list becomes an <mrow> around
    its (checked) children, which keeps the number of children that <msub> and the like need."""
    tag = element.tag if element.tag in ELEMENTS else "mrow"
    attributes = "".join(f' {name}="{html.escape(value)}"' for name, value in _attributes(element))
    if tag == "math":
        attributes = f' xmlns="{MATHML_NAMESPACE}"' + attributes
    parts.append(f"<{tag}{attributes}>")
    parts.append(_text(element.text))
    for child in element:
        _write(child, parts)
        parts.append(_text(child.tail))
    parts.append(f"</{tag}>")


def _attributes(element: Element):
    for name, value in element.attrib.items():
        value = html.unescape(value)
        if name in ATTRIBUTES and _ATTRIBUTE_VALUE.fullmatch(value):
            yield name, value


def _text(text: str | None) -> str:
    """latex2mathml writes symbols as character references ("&#x0003C;") in its text: read
    those, then escape everything, so a '<' typed in \\text{} stays a character."""
    return html.escape(html.unescape(text), quote=False) if text else ""
