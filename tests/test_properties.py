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

EXAMPLES = 300  # per test; about 10 s in all on 2 cores

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
def mostly(good, bad=values):
    """Usually a well-formed value, sometimes anything at all."""
    return st.integers(0, 9).flatmap(lambda n: bad if n == 0 else good)


front_matter = st.fixed_dictionaries(
    {"title": mostly(hostile_text), "year": mostly(st.integers(1900, 2100), st.integers(1890, 2110) | values)},
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
        if path == "publications/index.html":
            shown = doc.select_one("article .p-name").get_text()
            assert " ".join(shown.split()) == " ".join(expected_title.split())


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(meta=front_matter, body=st.one_of(hostile_text, st.just("<script>alert(1)</script> [x](javascript:y)")))
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
