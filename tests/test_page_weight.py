"""Page weight (issue 7): the example's publications page with the CSS and JavaScript it loads stays
under 150 KB uncompressed, and the theme ships exactly the minified form of its readable sources."""

from __future__ import annotations

import importlib.util

from conftest import REPO

BUDGET = 150_000  # bytes, uncompressed: page + every stylesheet and script it references
THEME = REPO / "themes" / "default"


def script_module(relative: str):
    """A script of the repository outside the package, as a module: tools/minify_theme.py writes
    the shipped files; benchmarks/lighthouse.py reads which files a page loads."""
    path = REPO / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def minify_tool():
    return script_module("tools/minify_theme.py")


def test_publications_page_with_its_css_and_js_stays_under_150_kb(example_output):
    page = example_output / "publications" / "index.html"
    urls = script_module("benchmarks/lighthouse.py").stylesheets_and_scripts(page)
    assert any(u.endswith(".css") for u in urls) and any(u.endswith("search.js") for u in urls)
    sizes = {"publications/index.html": page.stat().st_size}
    for url in urls:
        target = (page.parent / url).resolve()
        assert target.is_file(), f"the page loads {url}, which the build did not write"
        sizes[url] = target.stat().st_size
    total = sum(sizes.values())
    assert total < BUDGET, f"{total:,} bytes, over the {BUDGET:,} budget: {sizes}"


def test_shipped_css_and_js_are_the_minified_sources():
    """Edit themes/default/src/, then run tools/minify_theme.py (make theme-assets)."""
    tool = minify_tool()
    sources = tool.sources()
    assert {p.name for p in sources} >= {"style.css", "pages.css", "site.js", "search.js"}
    shipped = {p.name for p in (THEME / "static" / "assets").iterdir() if p.suffix in (".css", ".js")}
    assert shipped == {p.name for p in sources}, "every shipped CSS or JS file has a readable source"
    for source in sources:
        text = (THEME / "static" / "assets" / source.name).read_text(encoding="utf-8")
        assert text == tool.minified(source), f"{source.name} is stale: run tools/minify_theme.py"
        assert len(text) < 0.9 * len(source.read_text(encoding="utf-8"))
