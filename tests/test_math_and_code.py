"""Math and code in every Markdown text (issue 16, point 5): formulas become MathML and fenced code
is coloured by Pygments at build time, with no script; the colours' stylesheet is loaded only by
the pages that show code."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from browser import browser, serve_folder  # noqa: F401  (the fixture is used by name)
from conftest import paper_file
from site_builder.build import build

PAGE = """---
title: Notes
---
Energy is $E = mc^2$, and \\(a_1 * b_1\\) keeps its *stars*; it costs $5 and $10, and \\$x$ is money.

$$
\\sum_{i=1}^n x_i
$$

Inline code stays code: `$HOME` and `\\(x\\)`.

```python {linenos=true}
def square(x):
    return x * x
```
"""


def built(make_site, tmp_path, files):
    output = tmp_path / "output"
    build(make_site(files), output)
    return output


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_math_in_a_page_is_mathml_and_money_and_code_stay_text(make_site, tmp_path):
    page = soup(built(make_site, tmp_path, {"pages/notes.md": PAGE}) / "notes" / "index.html")
    prose = page.select_one(".prose")
    formulas = prose.find_all("math")
    assert [m["display"] for m in formulas] == ["inline", "inline", "block"]
    assert formulas[1].find("msub") and "stars" in prose.em.get_text()  # `*` inside math is not emphasis
    text = prose.get_text()
    assert "$5 and $10" in text and "$x$ is money" in text
    assert [c.get_text() for c in prose.select("p > code")] == ["$HOME", "\\(x\\)"]
    assert not page.find("script", src=lambda s: s and "math" in s.lower())


def test_fenced_code_is_highlighted_with_classes_and_line_numbers(make_site, tmp_path):
    page = soup(built(make_site, tmp_path, {"pages/notes.md": PAGE}) / "notes" / "index.html")
    block = page.select_one(".prose .codehilite pre")
    assert block.select_one("span.k").get_text() == "def"  # a keyword, by class, no inline style
    assert not block.find(style=True)
    assert [n.get_text() for n in block.select(".linenos")] == ["1", "2"]
    assert "def square(x):" in block.get_text()


def test_code_stylesheet_only_on_pages_with_code(make_site, tmp_path):
    output = built(make_site, tmp_path, {"pages/notes.md": PAGE, "pages/plain.md": "---\ntitle: Plain\n---\nNo code here.\n",
                                         "papers/p.md": paper_file()})
    def stylesheets(path):
        return [link["href"] for link in soup(path).find_all("link", rel="stylesheet")]
    assert "../assets/code.css" in stylesheets(output / "notes" / "index.html")
    for plain in ("plain/index.html", "index.html", "publications/index.html", "papers/p/index.html"):
        assert not any("code.css" in href for href in stylesheets(output / plain)), plain
    css = (output / "assets" / "code.css").read_text(encoding="utf-8")
    assert ".codehilite .k{" in css and "light-dark(" in css


def test_math_in_news_and_in_a_paper_abstract(make_site, tmp_path):
    output = built(make_site, tmp_path, {
        "news/2024-01-01.md": "---\ndate: 2024-01-01\n---\nOur bound is $O(\\sqrt{n})$.\n",
        "papers/p.md": paper_file(body="We prove $x^2 \\geq 0$ for all *real* $x$."),
    })
    assert soup(output / "news" / "index.html").select_one("main math msqrt")
    abstract = soup(output / "papers" / "p" / "index.html").select_one("main math msup")
    assert abstract is not None


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_highlighted_code_and_math_pass_axe(browser, make_site, tmp_path, scheme):
    """The code colours meet WCAG AA contrast on the code background, in both themes."""
    from test_site_ui import AXE

    if not AXE.exists():
        pytest.skip(f"{AXE} is missing; `make test` installs it with npm")
    code = "\n".join(f"x{n} = compute({n}, 'text', None)  # comment {n}" for n in range(3))
    output = built(make_site, tmp_path, {"pages/notes.md": PAGE + f"\n```python\n{code}\n```\n\n```bash\necho $HOME\n```\n"})
    with serve_folder(output) as base:
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(base + "notes/")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("axe.run().then(r => r.violations.map(v => v.id + ': ' + v.nodes.length"
                                   " + ' x ' + v.nodes[0].target.join(' ')))")
        context.close()
    assert violations == []
