"""LaTeX in titles, names and abstracts becomes proper text, links and MathML."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from browser import browser, serve_folder  # noqa: F401
from conftest import need_shared, run_cli
from site_builder.latex import has_latex, latex_paragraphs, latex_to_rich, latex_to_text, markdown_with_latex
from site_builder.markup import MarkdownRenderer

MATHML = "{http://www.w3.org/1998/Math/MathML}"


def visible_text(fragment: str) -> str:
    """Text a reader sees, with MathML left out (it is checked separately)."""
    soup = BeautifulSoup(fragment, "html.parser")
    for math in soup.find_all("math"):
        math.decompose()
    return soup.get_text()


@pytest.mark.parametrize("tex, text", [
    (r"{{\"U}ber einen Zusammenhang}", "Über einen Zusammenhang"),
    (r"Sa{\'u}l and Fern{\'a}ndez-Ram{\'\i}rez", "Saúl and Fernández-Ramírez"),
    (r"{\aa}ngstr{\"o}m, {Hu{\v{s}}ko}", "ångström, Huško"),
    (r"Methuen \& Co, 58\% and 27.9% of it", "Methuen & Co, 58% and 27.9% of it"),
    (r"pages 1--10 --- an aside", "pages 1–10 — an aside"),
    (r"``Effective robustness'' measures", "“Effective robustness” measures"),
    (r"{BERT} and {I}ndia{P}olice{E}vents", "BERT and IndiaPoliceEvents"),
    ("D.~M. White", "D.\u00a0M. White"),
])
def test_accents_specials_quotes_and_braces_become_text(tex, text):
    assert latex_to_text(tex) == text
    assert latex_to_rich(tex).html.replace("&amp;", "&") == text


def test_emphasis_bold_and_links():
    rich = latex_to_rich(r"\emph{a} \textit{b} {\em c d} \textbf{e} \url{https://PaperCode.cc/Go\_Attack} "
                         r"\href{https://example.org/x}{the \emph{site}}")
    assert rich.html == ('<em>a</em> <em>b</em> <em>c d</em> <strong>e</strong> '
                         '<a href="https://PaperCode.cc/Go_Attack">https://PaperCode.cc/Go_Attack</a> '
                         '<a href="https://example.org/x">the <em>site</em></a>')
    assert rich.text == "a b c d e https://PaperCode.cc/Go_Attack the site"


def test_unsafe_link_schemes_become_plain_text():
    assert latex_to_rich(r"\href{javascript:alert(1)}{click}").html == "click"
    assert "href" not in latex_to_rich(r"\url{javascript:alert(1)}").html


def test_html_in_latex_is_escaped_except_paired_sub_and_sup():
    assert latex_to_rich("M<sub>vir</sub> kpc<sup>-2</sup>").html == "M<sub>vir</sub> kpc<sup>-2</sup>"
    assert latex_to_rich("<script>alert(1)</script>").html == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert latex_to_rich("an open <sub> only").html == "an open &lt;sub&gt; only"


@pytest.mark.parametrize("tex", [r"$\ell_\infty$", r"\(t\bar{t}t\bar{t}\)", r"$$\sqrt{s}=13$$", r"$a & b$"])
def test_math_becomes_mathml_that_parses(tex):
    rich = latex_to_rich(f"before {tex} after")
    math = re.search(r"<math.*?</math>", rich.html).group()
    root = etree.fromstring(math)
    assert root.tag == f"{MATHML}math"
    assert "$" not in visible_text(rich.html) and "\\" not in visible_text(rich.html)
    assert rich.problems == ()
    assert "\\" not in rich.text and "$" not in rich.text


def test_display_math_is_a_block():
    assert 'display="block"' in latex_to_rich(r"$$x^2$$").html
    assert 'display="inline"' in latex_to_rich(r"$x^2$").html


def test_a_formula_latex2mathml_cannot_convert_is_shown_as_tex_with_a_problem():
    rich = latex_to_rich(r"decay $4j/\ell^-\ell^+\slashed{E}$ seen")
    assert '<code class="tex">$4j/\\ell^-\\ell^+\\slashed{E}$</code>' in rich.html
    assert len(rich.problems) == 1 and "slashed" in rich.problems[0]


def test_seed_abstracts_render_cleanly():
    seed = need_shared("seeds", "004_aa38129ad0672688.txt").read_text(encoding="utf-8")
    abstracts = [line.removeprefix("Abstract:") for line in seed.splitlines() if line.startswith("Abstract:")]
    assert len(abstracts) == 10
    for abstract in abstracts:
        rich = latex_paragraphs(abstract)
        shown = visible_text(rich.html)
        assert not re.search(r"\\[A-Za-z%&$]|[{}$]|``|''", shown), shown
        assert not re.search(r"\\[A-Za-z]|[{}$]", rich.text)
        assert rich.problems == ()
        BeautifulSoup(rich.html, "html.parser")  # well-formed enough to parse
    converted = {a: latex_paragraphs(a) for a in abstracts}
    quotes, percent, url, math = (next(r for a, r in converted.items() if marker in a)
                                  for marker in ("``Effective", r"58\%", r"\url", r"$\ell_\infty$"))
    assert "“Effective robustness”" in quotes.text
    assert "58% of the AlphaGo Zero" in percent.text and "2% runtime" in converted[abstracts[1]].text
    assert '<a href="https://PaperCode.cc/GoAttack">https://PaperCode.cc/GoAttack</a>' in url.html
    assert etree.fromstring(re.search(r"<math.*?</math>", math.html).group()).tag == f"{MATHML}math"


def test_markdown_markers_leave_plain_text_alone():
    assert not has_latex("A plain abstract -- with a dash, 50% and ~3 tricks.")
    assert not has_latex(r"this is \em generic, i.e. as written on the original page")
    assert has_latex(r"$x$") and has_latex(r"\emph{x}") and has_latex("{x}") and has_latex("``x''")


def test_markdown_with_latex_keeps_markdown_and_converts_latex_pieces():
    markdown = MarkdownRenderer()
    rich = markdown_with_latex(r"A *Markdown* [link](http://a.org/%7Eu_x) with $\ell_\infty$, \emph{emph}, "
                               r"50% and \% and costs $5 and $10. A bare \em stays.", markdown.to_html)
    soup = BeautifulSoup(rich.html, "html.parser")
    assert soup.find("a")["href"] == "http://a.org/%7Eu_x"
    assert [e.get_text() for e in soup.find_all("em")] == ["Markdown", "emph"]
    assert soup.find("math") is not None
    text = visible_text(rich.html)
    assert "50% and % and costs $5 and $10. A bare \\em stays." in text


def test_latex_placed_inside_a_markdown_link_target_never_becomes_markup():
    rich = markdown_with_latex(r"[a](http://x/{\url{ onmouseover=alert(1) }})", MarkdownRenderer().to_html)
    link = BeautifulSoup(rich.html, "html.parser").find("a")
    assert list(link.attrs) == ["href"]


def test_title_and_abstract_latex_in_markdown_paper_and_formula_warning(make_site, tmp_path):
    content = make_site({"papers/tev.md": (
        "---\ntitle: 'Top quarks at $\\sqrt{s}$=13 TeV with \\emph{style}'\nyear: 2024\n"
        "authors:\n  - 'Kr{\\\"a}mer, M.'\n  - Ada Lovelace\n---\n"
        "We see $4j\\slashed{E}$ and ``quotes''.\n")})
    result = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "paper 'tev': formula '$4j\\slashed{E}$' could not be converted" in result.stderr
    page = BeautifulSoup((tmp_path / "out/papers/tev/index.html").read_text(encoding="utf-8"), "html.parser")
    heading = page.select_one("h1.p-name")
    assert heading.find("math") is not None and heading.find("em").get_text() == "style"
    assert page.title.get_text().startswith("Top quarks at √(s)=13 TeV with style")
    assert "Krämer, M." in page.select_one(".pub-authors").get_text()
    summary = page.select_one(".p-summary")
    assert summary.find("code").get_text() == "$4j\\slashed{E}$"
    assert "“quotes”" in summary.get_text()
    listing = BeautifulSoup((tmp_path / "out/publications/index.html").read_text(encoding="utf-8"), "html.parser")
    assert listing.select_one("#tev .p-name math") is not None
    bib = (tmp_path / "out/papers/tev/cite.bib").read_text(encoding="utf-8")
    assert r"title = {Top quarks at $\sqrt{s}$=13 TeV with \emph{style}}" in bib


def test_mathml_is_laid_out_by_chromium(browser, make_site, tmp_path):  # noqa: F811
    content = make_site({"papers/m.md": ("---\ntitle: 'Bounds on $\\ell_\\infty$ norms'\nyear: 2024\n---\n"
                                         "Display: $$\\frac{a}{b}=\\sqrt{x^2}$$ done.\n")})
    result = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    with serve_folder(tmp_path / "out") as base:
        page = browser.new_page()
        page.goto(base + "papers/m/")
        boxes = page.eval_on_selector_all(
            "math", "els => els.map(e => [e instanceof MathMLElement, e.getBoundingClientRect().width, "
                    "e.getBoundingClientRect().height])")
        page.close()
    assert len(boxes) == 2
    for is_mathml, width, height in boxes:
        assert is_mathml and width > 5 and height > 5


LATEX_PIECES = [r"\href", r"\url", r"\emph", r"\em", "{", "}", "$", "$$", r"\(", r"\)", r"\begin{itemize}",
                r"\end{itemize}", r"\item", "\\'", '\\"', "~", "--", "``", "''", "%", "&", "#", "_", "^", r"\frac",
                r"\sqrt", "a", "b c", "\n\n", r"\textbf", "\\\\", r"\verb|x|", r"\input", r"\ensuremath",
                r"\cite{x}", r"\footnote{", r"\v", r"\i", r"\%", "<sub>", "</sub>", "<script>", "javascript:",
                r"\newcommand", "\\begin{", r"\left(", "\"", "<b onclick=x>"]
ALLOWED_TAGS = {"em", "strong", "code", "sup", "sub", "a", "i", "b", "p"}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LATEX_PIECES), min_size=1, max_size=14).map("".join))
def test_any_latex_gives_inert_html_and_never_raises(value):
    """Malformed LaTeX (pylatexenc raises on some) still converts: escaped text, known tags only."""
    for markdown, rich in ((False, latex_to_rich(value)),
                           (True, markdown_with_latex(value, MarkdownRenderer().to_html))):
        soup = BeautifulSoup(rich.html, "html.parser")
        for tag in soup.find_all(True):
            if tag.find_parent("math") is not None or tag.name == "math":
                continue
            assert markdown or tag.name in ALLOWED_TAGS, rich.html  # Markdown adds its own (h1, ul ...)
            assert not any(name.startswith("on") for name in tag.attrs), rich.html
            href = tag.get("href", "")
            assert href.startswith(("http://", "https://", "mailto:")) or ":" not in href, rich.html


def test_a_link_in_a_title_stays_text_because_the_title_is_a_link(make_site, tmp_path):
    content = make_site({"papers/u.md": "---\ntitle: 'Code at \\url{https://example.org/x} for \\emph{all}'\n"
                                        "year: 2024\n---\nAbstract.\n"})
    result = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    listing = BeautifulSoup((tmp_path / "out/publications/index.html").read_text(encoding="utf-8"), "html.parser")
    title = listing.select_one("#u .p-name")
    assert [a["href"] for a in title.find_all("a")] == ["../papers/u/"]
    assert title.get_text() == "Code at https://example.org/x for all" and title.find("em")
