"""Property-based tests: random front matter either builds into pages that parse and show the
text escaped, or fails with a SiteError. Any other exception is a bug."""

from __future__ import annotations

import datetime as dt

import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL_CONFIG
from site_builder.build import load_site, render_site
from site_builder.errors import SiteError

EXAMPLES = 300  # per test: 900 random sites in all, about 40 s on 2 cores

scalars = st.one_of(
    st.text(max_size=40), st.integers(-10**6, 10**6), st.floats(allow_nan=False), st.booleans(),
    st.none(), st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 1, 1)),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) |
                      st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)
hostile_text = st.text(alphabet=st.sampled_from(list("<>&\"'/ =:;()!#[]{}*_`\\$%|~abcxyz01 \t\né€\u202e")),
                       min_size=1, max_size=60)
links = st.dictionaries(st.sampled_from(["pdf", "code", "arxiv", "doi", "x"]),
                        st.one_of(hostile_text, st.sampled_from(["javascript:alert(1)", "https://a.b/c",
                                                                  "data:text/html,x", "/local/", "mailto:a@b"])),
                        max_size=3)
# Math that tries to carry markup, a script URL or CSS (latex2mathml copies \text{} unescaped).
math_text = st.builds(lambda command, inner: f"${command}{{{inner}}}$",
                      st.sampled_from(["\\text", "\\mathrm", "\\mbox", "\\href{javascript:alert(1)}",
                                       "\\style{background:url(javascript:alert(2))}", "\\color{red\" onload=\"x}", ""]),
                      hostile_text.map(lambda t: t.replace("$", "").replace("{", "").replace("}", "")))
MATH_MARKUP = ["$\\text{<img src=x onerror=alert(1)>}$", "$\\text{<img/src/onerror=alert(1)>}$",
               "$\\text{</mtext></math><script>alert(1)</script>}$"]


def mostly(good, bad=values):
    """Usually a well-formed value, sometimes anything at all."""
    return st.integers(0, 9).flatmap(lambda n: bad if n == 0 else good)


front_matter = st.fixed_dictionaries(
    {"title": mostly(hostile_text | math_text | st.sampled_from(MATH_MARKUP)),
     "year": mostly(st.integers(1900, 2100), st.integers(1890, 2110) | values)},
    optional={"authors": mostly(st.lists(mostly(hostile_text), max_size=4)),
              "venue": mostly(hostile_text), "award": hostile_text, "links": mostly(links),
              "tags": mostly(st.lists(hostile_text, max_size=3)), "date": mostly(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))), "order": mostly(st.integers()),
              "selected": mostly(st.booleans()), "venu": values},
)


def _write_site(root, meta, body):
    content = root / "content"
    (content / "papers").mkdir(parents=True, exist_ok=True)
    (content / "site.yaml").write_text(MINIMAL_CONFIG)
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    (content / "papers" / "p.md").write_text(text, encoding="utf-8")
    return content


def _check_pages(pages, expected_title):
    for path, text in pages:
        if not path.endswith(".html"):
            continue
        doc = BeautifulSoup(text, "html5lib")
        for tag in doc.find_all(True):
            assert not any(attr.startswith("on") for attr in tag.attrs), (path, tag)
            href = tag.get("href") or tag.get("src") or ""
            assert not href.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (path, href)
            if tag.name == "math" or tag.find_parent("math") is not None:
                assert not {"style", "href", "src", "class", "id"} & set(tag.attrs), (path, tag)
                assert tag.name not in ("script", "img", "svg", "iframe", "style"), (path, tag)
        if path == "publications/index.html" and expected_title is not None:
            shown = doc.select_one("article .p-name").get_text()
            assert " ".join(shown.split()) == " ".join(expected_title.split())


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(meta=front_matter, body=st.one_of(hostile_text, math_text, st.sampled_from(MATH_MARKUP),
                                         st.just("<script>alert(1)</script> [x](javascript:y)")))
def test_random_front_matter_builds_or_fails_cleanly(tmp_path_factory, meta, body):
    content = _write_site(tmp_path_factory.mktemp("p"), meta, body)
    try:
        site, theme = load_site(content)
        pages = render_site(site, theme)
    except SiteError as exc:
        assert str(exc).strip()
        assert "\n" not in str(exc)
        event("fails with SiteError: " + str(exc).split(": ", 1)[-1][:25])
        return
    event("builds")
    pub = site.publications[0]  # a title with LaTeX shows its HTML rendering (emphasis, MathML)
    _check_pages(pages, BeautifulSoup(pub.title_html, "html5lib").get_text() if pub.title_html else pub.title)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(alphabet=st.sampled_from(list("-:[]{}'\"!&*#|>%@` \n\tabc12é")), max_size=80))
def test_random_yaml_text_never_crashes(tmp_path_factory, raw):
    content = tmp_path_factory.mktemp("y") / "content"
    (content / "papers").mkdir(parents=True)
    (content / "site.yaml").write_text(MINIMAL_CONFIG)
    (content / "papers" / "p.md").write_text("---\ntitle: T\nyear: 2020\n" + raw + "\n---\nBody\n")
    try:
        site, theme = load_site(content)
        render_site(site, theme)
    except SiteError as exc:
        assert str(exc).startswith(str(content / "papers" / "p.md"))


bib_values = st.lists(st.sampled_from(list("{}\\\"$%&#_^~@,=<>/ 'abcXYZ019é\n") +
                                      ["\\'e", "\\\"u", "\\emph{", "\\url{", "$x^2$", "--", *MATH_MARKUP]),
                      max_size=25).map("".join)
_bib_extra = st.dictionaries(
    st.sampled_from(["author", "journal", "booktitle", "abstract", "doi", "url", "eprint", "month", "pages",
                     "keywords", "selected", "abbr", "pdf", "note", "x-odd", "year", "title"]),
    st.one_of(bib_values, st.integers(1800, 2200).map(str)), max_size=6)
_bib_required = st.fixed_dictionaries({"title": bib_values.filter(str.strip),
                                       "year": st.integers(1900, 2100).map(str)})
bib_fields = st.tuples(_bib_extra, mostly(_bib_required, st.just({}))).map(lambda t: {**t[0], **t[1]})


def _bib_entry(kind: str, key: str, fields: dict[str, str]) -> str:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    return f"@{kind}{{{key},\n{body}\n}}\n"


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(st.tuples(st.sampled_from(["article", "inproceedings", "misc", "weird", "Article"]),
                                  st.text(alphabet=st.sampled_from(list("abc12:/&.-_")), min_size=1, max_size=12),
                                  bib_fields), min_size=1, max_size=3),
       garbage=st.sampled_from(["", "@article{broken,\n title = {x\n", "}}}", "@comment{x}", "% note\n"]))
def test_random_bibtex_builds_or_fails_cleanly(tmp_path_factory, entries, garbage):
    content = tmp_path_factory.mktemp("b") / "content"
    content.mkdir()
    (content / "site.yaml").write_text(MINIMAL_CONFIG)
    text = "".join(_bib_entry(*entry) for entry in entries) + garbage
    (content / "papers.bib").write_text(text, encoding="utf-8")
    try:
        site, theme = load_site(content)
        pages = render_site(site, theme)
    except SiteError as exc:
        assert "\n" not in str(exc)
        event("fails with SiteError")
        return
    event(f"builds {len(site.publications)} papers")
    for pub in site.publications:
        page = dict(pages)[f"papers/{pub.slug}/index.html"]
        doc = BeautifulSoup(page, "html5lib")
        heading = " ".join(doc.select_one("h1.p-name").get_text().split())
        if not pub.title_html:  # plain text shows as written; formatted titles (math) differ
            assert heading == " ".join(pub.title.split())
    first = site.publications[0] if site.publications else None
    _check_pages(pages, first.title if first and not first.title_html else None)
