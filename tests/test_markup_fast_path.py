"""The fast path for plain paragraphs (markup.plain_paragraphs) gives Python-Markdown's HTML byte
for byte: checked against Python-Markdown itself over every abstract and Markdown body of the
corpus and the example, and over generated text full of near-syntax."""

from __future__ import annotations

import re

import pytest
from conftest import EXAMPLE_CONTENT, SHARED
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.frontmatter import read_source
from site_builder.markup import MarkdownRenderer, plain_paragraphs

_RENDERERS = {allow: MarkdownRenderer(allow_html=allow) for allow in (False, True)}


def python_markdown(text: str, allow_html: bool = False) -> str:
    md = _RENDERERS[allow_html]._md()  # the converter itself, without the fast path
    md.reset()
    return md.convert(text)


def check(text: str) -> bool:
    """True when the fast path took the text; either way nothing differs from Python-Markdown."""
    fast = plain_paragraphs(text)
    if fast is None:
        return False
    assert fast == python_markdown(text) == python_markdown(text, allow_html=True), repr(text)
    return True


def corpus_texts() -> list[str]:
    texts = [read_source(path).body for path in sorted(EXAMPLE_CONTENT.rglob("*.md"))]
    corpus = SHARED / "corpus"
    if not corpus.exists():
        pytest.skip(f"{corpus} is absent (shared/ is not beside this checkout)")
    for path in sorted(corpus.rglob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        texts.append(text.split("\n---\n", 1)[-1])
        texts.extend(re.findall(r"^(?:abstract|excerpt|summary):\s*['\"]?(.+?)['\"]?$", text, re.M))
    from site_builder.bibtex_in import read_bib

    for path in sorted(corpus.glob("*.bib")):
        entries, _ = read_bib(path)
        texts.extend(value for entry in entries for key, value in entry.fields if key == "abstract")
    return texts


def test_every_abstract_of_the_corpus_and_the_example():
    texts = corpus_texts()
    taken = sum(check(text) for text in texts)
    assert len(texts) > 500 and taken > 200  # half are plain; each one taken was checked


def test_what_the_fast_path_takes_and_leaves():
    assert plain_paragraphs("We show that\nit works.\n\nSecond paragraph.\n") == (
        "<p>We show that\nit works.</p>\n<p>Second paragraph.</p>")
    for text in ("Ends in a break  \nhere", "1. A list", "- item", "Title\n=====", "Term\n: definition",
                 "a *word*", "x & y", "a <b>", "    code", "cost $x$ here", "a | b", "A\n---", "Q\r\nR", "\tTab", ""):
        assert plain_paragraphs(text) is None, text


# Letters, spaces, newlines and every ASCII punctuation mark: most texts have some syntax, so
# the fast path must tell them apart; the plain ones it takes must match.
_ALPHABET = st.sampled_from(list("abcXYZ  \n\n") + list("0123456789") + list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
                            + ["é", "ß", "–", "’", "\u00a0", "\u2028", "\x85", "\t", "\r"])


@settings(max_examples=3000, deadline=None)
@given(st.text(_ALPHABET, max_size=60))
def test_generated_text(text):
    check(text)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.from_regex(r"[A-Za-zé][a-z ,.;:'()\"?!%@/0-9-]{0,30}[a-z.]", fullmatch=True),
                min_size=1, max_size=6),
       st.lists(st.sampled_from(["\n", "\n\n", "\n\n\n"]), min_size=6, max_size=6))
def test_generated_plain_paragraphs(lines, breaks):
    text = "".join(line + brk for line, brk in zip(lines, breaks))
    assert check(text)
