"""The default theme in a real Chromium: search and filters, URL state, dark mode, author lists,
accessibility (axe-core), keyboard use and phone-width layout, on the built example site."""

from __future__ import annotations

import os
import re
import statistics
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser import browser, serve_folder  # noqa: F401  (the fixture is used by name)
from conftest import MIGRATED_KINDS, REPO, migrated_pages, need_shared, run_cli

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
# The new kinds of page (issue 16): a list and an item of each collection, and a tag page.
COLLECTION_PAGES = ["blog/", "blog/what-a-generalization-bound-says/", "blog/tags/llms/", "talks/",
                    "talks/binoculars-icml-2024/", "projects/", "projects/trustworthy-language-models/",
                    "teaching/", "teaching/deep-learning-spring-2024/"]
CONTENT_PAGES = ["", "publications/", "papers/neftune/", "cv/", *COLLECTION_PAGES]


@pytest.fixture(scope="module")
def base_url(example_output):
    with serve_folder(example_output) as url:
        yield url


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def open_publications(page, base_url, query=""):
    page.goto(f"{base_url}publications/{query}")  # waits for 'load': the deferred scripts have run


def visible_ids(page) -> list[str]:
    return page.eval_on_selector_all("article.publication", "els => els.filter(e => e.offsetParent)"
                                     ".map(e => e.id)")


def visible_years(page) -> list[str]:
    return page.eval_on_selector_all("section.year", "els => els.filter(e => e.offsetParent)"
                                     ".map(e => e.querySelector('h2').textContent)")


def test_search_narrows_the_list_and_keeps_year_headings(page, base_url):
    open_publications(page, base_url)
    assert len(visible_ids(page)) == 62
    page.fill("#f-q", "binoculars")
    assert visible_ids(page) == ["spotting-llms-with-binoculars"]
    assert visible_years(page) == ["2024"]
    assert page.inner_text("#filter-status") == "1 of 62 publications shown."
    page.fill("#f-q", "poisoning")  # in titles and abstracts across several years
    years = visible_years(page)
    assert len(years) >= 2 and years == sorted(years, reverse=True)
    for section in page.query_selector_all("section.year"):
        shown = section.eval_on_selector_all("article", "els => els.filter(e => e.offsetParent).length")
        assert section.is_visible() == (shown > 0)  # a year is shown exactly when it has a match
        if shown:
            assert section.query_selector("h2").is_visible()
    page.fill("#f-q", "Schwarzschild goldblum")  # every word must match: authors here
    ids = visible_ids(page)
    assert "spotting-llms-with-binoculars" in ids and "neftune" in ids
    page.fill("#f-q", "no such paper anywhere")
    assert visible_ids(page) == [] and visible_years(page) == []
    assert page.inner_text("#filter-status") == "No publications match."


# What a reader sees in each entry: the year, the venue badge (else the venue) and the topics.
ENTRY_VALUE = {
    "#f-year": "e => [e.querySelector('.dt-published').textContent]",
    "#f-venue": "e => [(e.querySelector('.badge') || e.querySelector('.p-publication')).textContent]",
    "#f-tag": "e => (e.dataset.tags || '').split('|')",
}


@pytest.mark.parametrize("control, value", [("#f-year", "2022"), ("#f-venue", "ICLR"),
                                            ("#f-tag", "Tabular data")])
def test_each_select_filter_shows_exactly_its_papers(page, base_url, control, value):
    open_publications(page, base_url)
    expected = page.eval_on_selector_all(
        "article.publication", f"(els, v) => els.filter(e => ({ENTRY_VALUE[control]})(e).includes(v))"
        ".map(e => e.id)", value)
    assert expected
    page.select_option(control, value)
    assert visible_ids(page) == expected
    page.click("button[type=reset]")
    expect(page.locator("article.publication:visible")).to_have_count(62)
    expect(page).to_have_url(f"{base_url}publications/")


def test_selected_filter_and_combined_filters(page, base_url):
    open_publications(page, base_url)
    page.check("#f-selected")
    assert set(visible_ids(page)) == {"battle-of-the-backbones", "bayesian-model-selection-marginal-likelihood",
                                      "no-free-lunch-kolmogorov-complexity", "spotting-llms-with-binoculars"}
    page.select_option("#f-year", "2024")
    assert set(visible_ids(page)) == {"no-free-lunch-kolmogorov-complexity", "spotting-llms-with-binoculars"}
    assert visible_years(page) == ["2024"]


def test_url_holds_the_state_and_restores_the_view(page, base_url):
    open_publications(page, base_url)
    page.fill("#f-q", "diffusion")
    page.select_option("#f-venue", "NeurIPS")
    expect(page).to_have_url(re.compile(r"\?q=diffusion&venue=NeurIPS$"))  # once typing pauses
    shown = visible_ids(page)
    assert shown
    shared = page.url
    other = page.context.new_page()  # as if the link was opened by someone else
    other.goto(shared)
    assert other.input_value("#f-q") == "diffusion"
    assert other.input_value("#f-venue") == "NeurIPS"
    assert visible_ids(other) == shown
    page.fill("#f-q", "poisoning")
    page.locator("article.publication:visible a.u-url").first.click()  # away before the pause
    page.go_back()
    assert page.input_value("#f-q") == "poisoning" and "q=poisoning" in page.url
    other.goto(f"{base_url}publications/?year=1850&tag=Privacy")  # an unknown year is ignored
    assert other.input_value("#f-year") == ""
    assert all(other.eval_on_selector_all("article.publication:not([hidden])",
                                          "els => els.map(e => e.dataset.tags.includes('Privacy'))"))


def test_without_javascript_the_full_list_is_there(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}publications/")
    assert len(visible_ids(page)) == 62
    for control in ("#pub-filters", "#theme-toggle", ".toggle-all"):  # no dead controls
        assert not page.is_visible(control)
    page.locator("#neftune").scroll_into_view_if_needed()
    # innerText is the text as laid out: names past the limit are shown too
    expect(page.locator("#neftune .pub-authors")).to_contain_text("Bhavya Kailkhura", use_inner_text=True)
    assert not page.query_selector(".more-toggle")
    context.close()


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_dark_mode_follows_the_system_and_the_toggle_is_remembered(browser, base_url):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(base_url)
    toggle = page.locator("#theme-toggle")
    assert background(page) == "rgb(15, 20, 25)"
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    assert background(page) == "rgb(255, 255, 255)"
    assert toggle.get_attribute("aria-pressed") == "false"
    # The choice survives a reload, and is applied by the inline <head> script before the page
    # paints: it holds even when the deferred site.js never arrives.
    page.route("**/assets/site.js", lambda route: route.abort())
    page.goto(f"{base_url}publications/")
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    assert background(page) == "rgb(255, 255, 255)"
    context.close()


def test_stored_dark_choice_wins_over_a_light_system(browser, base_url):
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.goto(base_url)
    assert background(page) == "rgb(255, 255, 255)"
    page.keyboard.press("Tab")  # skip link
    page.locator("#theme-toggle").focus()
    page.keyboard.press("Enter")
    page.goto(f"{base_url}cv/")
    assert background(page) == "rgb(15, 20, 25)"
    assert page.locator("#theme-toggle").get_attribute("aria-pressed") == "true"
    context.close()


def test_long_author_list_is_cut_and_expands(page, base_url):
    open_publications(page, base_url)
    page.locator("#neftune").scroll_into_view_if_needed()  # entries far off screen are not laid out
    authors = page.locator("#neftune .pub-authors")
    expect(authors).to_contain_text("and 4 more", use_inner_text=True)
    names = "els => els.filter(e => e.offsetParent).map(e => e.textContent)"
    shown = authors.locator(".p-author").evaluate_all(names)
    assert len(shown) == 9  # the first 8 authors, then the owner, who stays visible
    assert shown[-1] == "Micah Goldblum"
    button = authors.locator(".more-toggle")
    assert button.inner_text() == "and 4 more"
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert len(authors.locator(".p-author").evaluate_all(names)) == 13
    assert button.get_attribute("aria-expanded") == "true"
    assert "Tom Goldstein" in authors.inner_text()
    page.fill("#f-q", "kailkhura")  # folded names are still searched
    assert visible_ids(page) == ["neftune"]


@pytest.fixture(scope="module")
def axe_source() -> Path:
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{AXE} is missing; `make test` installs it with npm")
        pytest.skip(f"{AXE} is missing; run `npm install --no-save axe-core@4` (make test does)")
    return AXE


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_axe_finds_no_violations(browser, base_url, axe_source, path, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(base_url + path)
    page.add_script_tag(path=str(axe_source))
    violations = page.evaluate("axe.run().then(r => r.violations.map(v => v.id + ': ' + v.nodes.length"
                               " + ' x ' + v.nodes[0].target.join(' ')))")
    context.close()
    assert violations == []


def focus_ring(page) -> str:
    return page.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                         " return s.outlineStyle + ' ' + s.outlineWidth; })()")


def test_every_control_is_reachable_by_keyboard_with_a_visible_focus_ring(page, base_url):
    open_publications(page, base_url)
    wanted = {"f-q", "f-year", "f-venue", "f-tag", "f-selected", "theme-toggle"}
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        element = page.evaluate("[document.activeElement.id, document.activeElement.className]")
        reached.add(element[0] or element[1])
        assert focus_ring(page).startswith("solid"), element
        if wanted <= reached and "btn" in reached:
            break
    assert wanted <= reached
    page.focus("#f-q")
    page.keyboard.type("tabular")
    assert 0 < len(visible_ids(page)) < 10
    page.focus("#f-selected")
    page.keyboard.press("Space")
    assert page.is_checked("#f-selected")
    toggle = page.locator("#neftune .more-toggle")
    page.keyboard.press("Escape")
    page.goto(f"{base_url}publications/")
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert focus_ring(page).startswith("solid")


@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_no_horizontal_scrolling_at_phone_width(browser, base_url, path):
    context = browser.new_context(viewport={"width": 375, "height": 780})
    page = context.new_page()
    page.goto(base_url + path)
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 375


def test_search_keeps_up_with_typing_at_1000_papers(browser, tmp_path):
    """Each keystroke (filter + style and layout of the list) stays under 50 ms with 1,000 papers."""
    generator = need_shared("bench", "gen_corpus.py")
    content = make_bench_site(generator, tmp_path, 1000)
    output = tmp_path / "output"
    result = run_cli("build", "--content", str(content), "--output", str(output))
    assert result.returncode == 0, result.stderr
    with serve_folder(output) as url:
        page = browser.new_page()
        page.goto(f"{url}publications/")
        timings = page.evaluate(KEYSTROKES_JS, "learning robust")
        page.close()
    # The median: single steps can wait on other processes of a busy test machine.
    assert statistics.median(timings) < 50, [round(t) for t in timings]


# Types text one character at a time (then deletes it): each step sets the value, fires 'input',
# and forces style and layout, as the browser must before it can paint the next frame.
KEYSTROKES_JS = """text => {
  const input = document.getElementById('f-q');
  input.focus();
  const times = [];
  const step = value => {
    const start = performance.now();
    input.value = value;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    document.body.offsetHeight;
    times.push(performance.now() - start);
  };
  for (let i = 1; i <= text.length; i++) step(text.slice(0, i));
  for (let i = text.length - 1; i >= 0; i--) step(text.slice(0, i));
  return times;
}"""


def make_bench_site(generator: Path, work: Path, n: int) -> Path:
    """The shared synthetic corpus, mapped to site-builder's fields (as benchmarks/run.py does)."""
    import subprocess
    import sys

    corpus = work / "corpus"
    subprocess.run([sys.executable, str(generator), "--n", str(n), "--out", str(corpus), "--format", "md"],
                   check=True, stdout=subprocess.DEVNULL)
    content = work / "content"
    (content / "papers").mkdir(parents=True)
    for paper in sorted((corpus / "papers").glob("*.md")):
        text = paper.read_text().replace("\npub_type:", "\nbibtex_type:")
        lines = [line for line in text.split("\n") if not line.startswith("bibkey:")]
        (content / "papers" / paper.name).write_text("\n".join(lines))
    (content / "site.yaml").write_text("title: Bench\nurl: https://example.org/\nauthor_limit: 8\n"
                                       "owner:\n  name: Ada Lovelace\n")
    return content


# (404.html takes its files from the site's own path, /site/, where this test server has nothing;
# test_check serves the example at that path and follows every link of every page.)
EVERY_KIND_OF_PAGE = ["", "publications/", "papers/neftune/", "cv/", "news/", *COLLECTION_PAGES]


def test_every_kind_of_page_runs_its_scripts_without_an_error(browser, base_url):
    """The shipped (minified) scripts load and run on each kind of page, with no error in the
    console, and their controls come alive: the theme switch everywhere, BibTeX's copy button.
    No page asks another host for anything (fonts, scripts, images, analytics)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on("console", lambda message: message.type == "error" and errors.append(f"{page.url}: {message.text}"))
    for path in EVERY_KIND_OF_PAGE:
        page.goto(base_url + path)
        toggle = page.locator("#theme-toggle")
        expect(toggle).to_be_visible()
        was = page.evaluate("document.documentElement.dataset.theme || ''")
        toggle.click()
        assert page.evaluate("document.documentElement.dataset.theme || ''") != was, path
        toggle.click()
    page.goto(base_url + "papers/neftune/")
    copy = page.locator("button.copy")
    expect(copy).to_be_visible()
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()").startswith("@inproceedings{")
    context.close()
    assert not errors, errors
    assert len(requested) > len(EVERY_KIND_OF_PAGE)  # the pages and their CSS, JS, images
    assert [url for url in requested if not url.startswith((base_url, "data:"))] == []


def axe_violations(browser, url: str, axe_source: Path, scheme: str) -> list[str]:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(url)
    page.add_script_tag(path=str(axe_source))
    violations = page.evaluate("axe.run().then(r => r.violations.map(v => v.id + ': ' + v.nodes.length"
                               " + ' x ' + v.nodes[0].target.join(' ')))")
    context.close()
    return violations


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(MIGRATED_KINDS))
def test_axe_finds_no_violations_on_migrated_sites(browser, migrated_outputs, axe_source, kind, scheme):
    if kind not in migrated_outputs:
        pytest.skip(f"{MIGRATED_KINDS[kind]} is absent")
    output = migrated_outputs[kind]
    with serve_folder(output) as url:
        found = {path: axe_violations(browser, url + path, axe_source, scheme) for path in migrated_pages(output)}
    assert {path: v for path, v in found.items() if v} == {}


@pytest.mark.parametrize("kind", list(MIGRATED_KINDS))
def test_migrated_pages_ask_no_other_host_but_for_what_the_user_wrote(browser, migrated_outputs, kind):
    """The theme asks no other host for anything on a migrated site either, and its scripts run
    without an error. The old sites' posts do embed images and frames from other hosts (badges,
    logos, a slide deck); those addresses are the user's own text in content/, carried over as
    written, so they are allowed, and only they: each must appear in a file of content/."""
    if kind not in migrated_outputs:
        pytest.skip(f"{MIGRATED_KINDS[kind]} is absent")
    output = migrated_outputs[kind]
    embeds = sorted(p.parent.relative_to(output).as_posix() + "/" for p in output.rglob("index.html")
                    if re.search(r'src="https?://', p.read_text(encoding="utf-8")))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requested: list[tuple[str, str]] = []
    page.on("request", lambda request: requested.append((page.url, request.url)))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    with serve_folder(output) as url:
        for path in [*migrated_pages(output), *embeds]:
            page.goto(url + path, wait_until="domcontentloaded")
            expect(page.locator("#theme-toggle")).to_be_visible()
        context.close()
    assert not errors, errors
    written = "".join(p.read_text(encoding="utf-8", errors="replace")
                      for p in (output.parent / "content").rglob("*") if p.is_file() and p.stat().st_size < 10**6)
    elsewhere = [(at, asked) for at, asked in requested if not asked.startswith((url, "data:"))]
    assert bool(elsewhere) == bool(embeds)  # the embeds are seen, so the check below has teeth
    assert [(at, asked) for at, asked in elsewhere if asked not in written] == []
