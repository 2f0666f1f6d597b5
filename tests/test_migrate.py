"""`site-builder migrate` on the trimmed real sites of ../shared/corpus/sites/ (al-folio,
academicpages, Hugo Blox): migrate -> build -> check -> the publications page against the
old site's papers; the report, hand edits, refusals, and the converters on their own."""

from __future__ import annotations

import collections
import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import MIGRATED_KINDS, SHARED
from site_builder.build import build, load_site
from site_builder.check import find_broken_links
from site_builder.cli import main
from site_builder.frontmatter import read_source
from site_builder.latex import latex_to_text

KINDS = MIGRATED_KINDS


def _needs(path: Path) -> None:
    if not path.is_dir():
        pytest.skip(f"{path} is absent: the shared corpus of real sites is not on this machine")


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _norm(text: str) -> str:
    return re.sub(r"\W+", "", latex_to_text(text).casefold())


def _old_papers(kind: str, source: Path) -> list[tuple[str, int]]:
    """(title, year) of every paper of the old site, read straight from its files."""
    if kind == "al-folio":
        from site_builder.bibtex_in import read_bib

        entries, _ = read_bib(source / "_bibliography" / "papers.bib")
        return [(e.get("title"), int(e.get("year"))) for e in entries]
    folder = source / ("_publications" if kind == "academicpages" else "content/publication")
    found = []
    for path in sorted(folder.glob("*.md") if kind == "academicpages" else folder.glob("*/index.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        found.append((str(meta["title"]), int(str(meta["date"])[:4])))
    return found


@pytest.fixture(scope="module", params=list(KINDS))
def migrated(request, tmp_path_factory):
    kind, source = request.param, KINDS[request.param]
    _needs(source)
    before = _tree_digest(source)
    site = tmp_path_factory.mktemp(kind) / "site"
    assert main(["migrate", str(source), "--into", str(site)]) == 0
    report = build(site / "content", site / "output")
    return kind, source, site, report, before


def test_migrated_site_builds_and_has_no_broken_internal_link(migrated):
    kind, source, site, report, _ = migrated
    assert find_broken_links(site / "output", report.site_url).broken == []
    left = (site / "MIGRATION.md").read_text(encoding="utf-8")
    # links that were broken on the old site too are listed, and unlinked in the new one
    expected = {"al-folio": ["_posts/2018-12-22-distill.md:210`: link to ../blob/master/LICENSE",
                             "poster={NeurIPS/mintnet-poster.pdf} names assets/pdf/NeurIPS/mintnet-poster.pdf, "
                             "which the old site does not have (a broken link there too); the field is removed"],
                "academicpages": ["_talks/2026-THCon.md:10`: link to https://pfgimenez.fr/files/thcon2026.pdf: "
                                  "no such page or file"], "hugo-blox": []}
    for needle in expected[kind]:
        assert needle in left, needle


def test_anchors_the_old_layout_made_still_lead_to_their_heading(migrated):
    kind, source, site, report, _ = migrated
    if kind != "al-folio":
        pytest.skip("the distill post with a table of contents is in the al-folio sample")
    page = BeautifulSoup((site / "output/blog/score/index.html").read_text(encoding="utf-8"), "html.parser")
    contents = [a["href"] for a in page.select("nav a[href^='#']")]
    assert len(contents) >= 14
    for href in contents:
        assert page.find(id=href[1:]).name in ("h2", "h3"), href


def test_the_build_warns_only_about_what_migration_md_explains(migrated):
    """Posts, talks, projects, teaching and the CV are read by the site's own readers without an
    unknown field; what the build still says comes from the old site and is in MIGRATION.md."""
    kind, source, site, report, _ = migrated
    shown = [w.replace(f"{site.resolve()}/", "").replace(f"{site}/", "") for w in report.warnings]
    expected = {"al-folio": ["duplicate key 'gao2020learning'"], "academicpages": [], "hugo-blox": []}
    assert [w for w in shown if not any(e in w for e in expected[kind])] == []
    assert len(shown) == len(expected[kind])
    left = (site / "MIGRATION.md").read_text(encoding="utf-8")
    for warning in shown:
        assert f"- {warning}" in left.split("## Warnings at build", 1)[1], warning
    loaded, _ = load_site(site / "content")
    sections = collections.Counter(item.section for item in loaded.items)
    files = {folder: len(list((site / "content" / folder).glob("*.md"))) for folder in ("posts", "talks",
                                                                                       "projects", "teaching")}
    assert sections == collections.Counter({{"posts": "blog"}.get(k, k): n for k, n in files.items() if n})
    assert bool(loaded.cv) == (kind != "academicpages")  # academicpages' CV is a page of its own


def test_every_old_paper_is_on_the_publications_page_with_authors_venue_year(migrated):
    kind, source, site, report, _ = migrated
    page = BeautifulSoup((site / "output/publications/index.html").read_text(encoding="utf-8"), "html.parser")
    entries = [name.parent for name in page.select(".p-name")]
    shown = sorted((_norm(e.select_one(".p-name").get_text()), int(e.select_one(".dt-published").get_text()))
                   for e in entries)
    old = _old_papers(kind, source)
    assert report.papers == len(old) == len(entries)
    assert shown == sorted((_norm(title), year) for title, year in old)
    for entry in entries:
        assert entry.select(".pub-authors .p-author"), f"{entry.select_one('.p-name').get_text()}: no authors"
    with_venue = [e for e in entries if e.select_one(".p-publication")]
    assert len(with_venue) >= len(old) * 0.9


def test_photo_social_links_pages_and_home_text_are_carried(migrated):
    kind, source, site, _, _ = migrated
    config = yaml.safe_load((site / "content/site.yaml").read_text(encoding="utf-8"))
    assert (site / "content" / config["photo"]).is_file()
    assert len(config["profiles"]) >= 4
    home = BeautifulSoup((site / "output/index.html").read_text(encoding="utf-8"), "html.parser")
    words = {"al-folio": "Meta Superintelligence Labs", "academicpages": "intrusion detection systems",
             "hugo-blox": "biomolecular archaeologist"}
    assert words[kind] in home.get_text()
    pages = {p.stem for p in (site / "content/pages").glob("*.md")}
    expected = {"al-folio": {"about", "repositories"}, "academicpages": {"about", "breizhctf", "curriculum-vitae"},
                "hugo-blox": {"about"}}
    assert expected[kind] <= pages
    assert (site / ".gitignore").is_file() and (site / ".github/workflows/pages.yml").is_file()


def test_news_posts_talks_follow_the_content_contract(migrated):
    kind, source, site, _, _ = migrated
    counts = {folder: len(list((site / "content" / folder).glob("*.md")))
              for folder in ("news", "posts", "talks", "projects", "teaching")}
    expected = {"al-folio": {"news": 0, "posts": 11, "talks": 0, "projects": 6, "teaching": 0},
                "academicpages": {"news": 0, "posts": 0, "talks": 64, "projects": 5, "teaching": 7},
                "hugo-blox": {"news": 0, "posts": 8, "talks": 16, "projects": 3, "teaching": 0}}
    assert counts == expected[kind]
    for path in (site / "content").glob("*/*.md"):
        meta = read_source(path).meta
        assert "title" in meta or path.parent.name == "news", path
        outside_code = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        # al-folio's demo post 'code' shows Liquid inside {% raw %}: that text is kept, literally
        assert "{%" not in outside_code or (kind, path.stem) == ("al-folio", "code"), path
    if kind == "al-folio":  # its three news items are 'published: false': kept, not published
        assert len(list((site / "unpublished/news").glob("*.md"))) == 3
        assert (site / "content/cv.yaml").is_file()


def test_migration_report_lists_what_was_left_behind(migrated):
    kind, source, site, _, before = migrated
    text = (site / "MIGRATION.md").read_text(encoding="utf-8")
    expected = {"al-folio": ["`_config.yml:93`: Google Analytics", "disqus_shortname", "_data/repositories.yml",
                             "`_pages/repositories.md:15`: Liquid tag {% include repository/repo_user.html",
                             "NeurIPS/mintnet-poster.pdf"],
                "academicpages": ["`fos-r.md:2`: redirect page", "menu link 'ANUBIS'", "archive-single.html"],
                "hugo-blox": ["`content/slides`", "home page section 'contact'", "{{< icon >}}"]}
    for needle in expected[kind]:
        assert needle in text, needle
    assert "## Carried over" in text and "papers:" in text
    assert _tree_digest(source) == before  # the old site is only read


def test_a_second_run_keeps_hand_edits_and_a_non_empty_folder_is_refused(migrated, capsys):
    kind, source, site, _, _ = migrated
    gone = site / "content/papers/from-an-earlier-run.md"  # written by a run whose old site had it
    gone.parent.mkdir(exist_ok=True)
    gone.write_text("---\ntitle: Old\n---\n", encoding="utf-8")
    manifest = json.loads((site / ".site-builder-migrate.json").read_text(encoding="utf-8"))
    manifest["content/papers/from-an-earlier-run.md"] = hashlib.sha256(gone.read_bytes()).hexdigest()
    (site / ".site-builder-migrate.json").write_text(json.dumps(manifest), encoding="utf-8")
    about = site / "content/pages/about.md"
    edited = about.read_text(encoding="utf-8") + "\nA sentence I added.\n"
    about.write_text(edited, encoding="utf-8")
    (site / "content/site.yaml").unlink()
    assert main(["migrate", str(source), "--into", str(site)]) == 0
    assert about.read_text(encoding="utf-8") == edited
    assert (site / "content/site.yaml").is_file()
    assert not gone.exists()  # untouched, and the old site no longer has it
    assert "edited by hand" in capsys.readouterr().out
    other = site.parent / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["migrate", str(source), "--into", str(other)]) == 1
    assert "is not empty" in capsys.readouterr().err
    assert [p.name for p in other.iterdir()] == ["notes.txt"]


def _tiny_jekyll(root: Path) -> Path:
    files = {
        "_config.yml": "title: Ada\nurl: https://ada.example.org\nauthor:\n  name: Ada Lovelace\n"
                       "  github: ada\n",
        "_publications/2020-x.md": "---\ntitle: 'A Note'\ndate: 2020-03-01\nvenue: 'Journal of Engines'\n"
                                   "paperurl: 'https://ada.example.org/files/note.pdf'\n"
                                   "citation: 'Lovelace, A., &amp; Babbage, C. (2020). A Note.'\n---\nThe abstract.\n",
        "_pages/about.md": "---\npermalink: /\ntitle: About\n---\n{% include base_path %}\nHello, see "
                           "[notes]({{ base_path }}/files/note.pdf).\n\n{% highlight python %}\nx = 1\n"
                           "{% endhighlight %}\n{% raw %}{{ kept }}{% endraw %}\n{% include toc %}\n",
        "files/note.pdf": "%PDF-1.4\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_liquid_is_translated_or_reported_with_its_line(tmp_path, capsys):
    old = _tiny_jekyll(tmp_path / "old")
    assert main(["migrate", str(old), "--into", str(tmp_path / "new")]) == 0
    about = (tmp_path / "new/content/pages/about.md").read_text(encoding="utf-8")
    assert "[notes](files/note.pdf)" in about
    assert "```python\nx = 1\n```" in about and "{{ kept }}" in about and "{%" not in about
    assert "`_pages/about.md:12`: Liquid tag {% include toc %}" in (tmp_path / "new/MIGRATION.md").read_text()
    paper = read_source(tmp_path / "new/content/papers/2020-x.md").meta
    assert paper["authors"] == ["A. Lovelace", "C. Babbage"] and paper["year"] == 2020
    assert paper["links"] == {"pdf": "files/note.pdf"}


def test_a_target_inside_the_old_site_and_a_folder_of_another_kind_are_refused(tmp_path, capsys):
    old = _tiny_jekyll(tmp_path / "old")
    assert main(["migrate", str(old), "--into", str(old / "new")]) == 1
    assert "cannot be inside the old one" in capsys.readouterr().err
    assert not (old / "new").exists()
    (tmp_path / "plain").mkdir()
    assert main(["migrate", str(tmp_path / "plain"), "--into", str(tmp_path / "new")]) == 1
    assert "not an al-folio, academicpages or Hugo Blox site" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("citation, authors", [
    ("Fargier, H., Gimenez, P. F., & Mengin, J. (2016, September). Title.", ["H. Fargier", "P. F. Gimenez", "J. Mengin"]),
    ("H Fargier, PF Gimenez, J Mengin - Journal of Universal Computer Science, 2020", ["H Fargier", "PF Gimenez", "J Mengin"]),
    ("Maxime Lanvin, Yufei Han, et al.. Towards Understanding Alerts.", ["Maxime Lanvin", "Yufei Han", "others"]),
    ("Totel, É., & Mé, L. (2022). Detecting APT.", ["É. Totel", "L. Mé"]),
    ("Gimenez, Pierre-François & Mengin, Jérôme. (2023). Conditionally", ["Pierre-François Gimenez", "Jérôme Mengin"]),
    ("Fabien Charmet, Harry Tanuwidjaja (2022). Explainable", ["Fabien Charmet", "Harry Tanuwidjaja"]),
    ("Your Name, You. (2009). &quot;Paper Title Number 1.&quot;", ["You Your Name"]),
])
def test_authors_come_from_the_citation_text(citation, authors):
    from site_builder.migrate.academicpages import citation_authors

    assert citation_authors(citation) == authors


def test_hugo_authors_resolve_admin_notes_and_tildes():
    from site_builder.migrate.hugoblox import _authors

    names = _authors(["admin", "Fellows Yates, James A", "P.~G. Person"], ["Equal contribution", "Equal contribution"],
                     {"admin": "Ada Lovelace"})
    assert names == [{"name": "Ada Lovelace", "equal": True}, {"name": "James A Fellows Yates", "equal": True},
                     "P. G. Person"]


@pytest.mark.parametrize("value, expected", [
    ("2019-11-01T00:00:00Z", "2019-11-01"), ("2015-10-22 15:59:00-0400", "2015-10-22"), ("2019-6-4", "2019-06-04"),
    ("2023/11/28", "2023-11-28"), ("2023", "2023-01-01"), ("someday", "None"),
])
def test_old_dates_in_the_forms_jekyll_and_hugo_accept(value, expected):
    from site_builder.migrate.source import as_date

    assert str(as_date(value)) == expected


DOC = Path(__file__).resolve().parents[1] / "docs" / "migrate.md"
_EXAMPLE = re.compile(r"^\*\*(Before|After)\*\*, `([^`]+)`((?:[^:\n]|\n(?!\n))*?):\n\n```\w*\n(.*?)```",
                      re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("section", ["al-folio", "academicpages", "Hugo Blox / Wowchemy"])
def test_the_before_and_after_examples_of_the_docs_are_what_migrate_writes(section, tmp_path, capsys):
    text = DOC.read_text(encoding="utf-8").split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    old, new = tmp_path / "old", tmp_path / "new"
    expected = {}
    for when, name, remark, body in _EXAMPLE.findall(text):
        if when == "After":
            expected[name] = body
            continue
        (old / name).parent.mkdir(parents=True, exist_ok=True)
        (old / name).write_text(body, encoding="utf-8")
        for binary in re.findall(r"`([^`]+\.(?:jpg|png|pdf))`", remark):  # photos and PDFs it names
            place = old / binary if "/" in binary else (old / name).parent / binary
            place.parent.mkdir(parents=True, exist_ok=True)
            place.write_bytes(b"\x89PNG placeholder")
    assert expected, "no After example in this section"
    assert main(["migrate", str(old), "--into", str(new)]) == 0
    for name, body in expected.items():
        assert (new / name).read_text(encoding="utf-8") == body, name


def _write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return root


def test_broken_old_files_are_listed_with_their_line_and_links_out_of_the_site_not_followed(tmp_path, capsys):
    old = _write(tmp_path / "old", {
        "_config.yml": 'title: "X"\nauthor:\n  name: Ada Lovelace\n  github: [oops\n',
        "_publications/p.md": b'\xef\xbb\xbf---\r\ntitle: "P"\r\ndate: 2020-01-01\r\nvenue: V\r\n'
                              b'citation: "Lovelace, A. (2020). P."\r\n---\r\nThe abstract.\r\n',
        "_posts/2020-1-2-off.md": "<!--\n---\ntitle: off\n---\n-->\n",
        "_posts/2020-01-03-bad.md": "---\ntitle: [broken\n---\nx\n",
        "_posts/.DS_Store": b"\x00\x01",
        "_posts/2019-6-4-fine.md": "---\ntitle: Fine\n---\nA post.\n",
    })
    _write(tmp_path, {"outside/secret.txt": "secret"})
    (old / "files").mkdir()
    (old / "files" / "s.txt").symlink_to(tmp_path / "outside" / "secret.txt")
    assert main(["migrate", str(old), "--into", str(tmp_path / "new")]) == 0
    report = (tmp_path / "new/MIGRATION.md").read_text(encoding="utf-8")
    for line in ("`_config.yml:4`: _config.yml cannot be read (invalid YAML", "`_posts/2020-01-03-bad.md:2`: not "
                 "carried over: invalid YAML", "`_posts/2020-1-2-off.md:1`: not carried over: the front matter is "
                 "wrapped in '<!-- -->'", "`files/s.txt`: a link to a file outside the old site"):
        assert line in report, line
    assert not (tmp_path / "new/content/files/s.txt").exists()
    paper = read_source(tmp_path / "new/content/papers/p.md")
    assert paper.meta["authors"] == ["A. Lovelace"] and paper.body.strip() == "The abstract."
    assert read_source(tmp_path / "new/content/posts/fine.md").meta["date"].isoformat() == "2019-06-04"
    report = build(tmp_path / "new/content", tmp_path / "new/output")
    assert report.papers == 1


def test_hugo_config_in_toml_and_toml_front_matter(tmp_path):
    old = _write(tmp_path / "old", {
        "config.toml": 'title = "Ada"\nbaseURL = "https://ada.example.org/"\n[params]\n'
                       '  google_analytics = "UA-1"\n',
        "content/authors/admin/_index.md": "+++\ntitle = \"Ada Lovelace\"\nrole = \"Analyst\"\n+++\nHello.\n",
        "content/publication/note.md": "+++\ntitle = \"A Note\"\ndate = 2013-07-01T00:00:00Z\nauthors = "
                                       "[\"admin\", \"C. Babbage\"]\npublication = \"_Engines_\"\n+++\n",
    })
    assert main(["migrate", str(old), "--into", str(tmp_path / "new")]) == 0
    site = yaml.safe_load((tmp_path / "new/content/site.yaml").read_text(encoding="utf-8"))
    assert site["title"] == "Ada" and site["url"] == "https://ada.example.org/"
    assert site["owner"]["name"] == "Ada Lovelace" and site["affiliation"] == "Analyst"
    paper = read_source(tmp_path / "new/content/papers/note.md").meta
    assert paper["authors"] == ["Ada Lovelace", "C. Babbage"] and paper["venue"] == "Engines"
    assert paper["year"] == 2013
    assert "`config.toml:4`: Google Analytics ID" in (tmp_path / "new/MIGRATION.md").read_text(encoding="utf-8")


def test_academicpages_bib_beside_gives_authors_and_a_paper_is_published_once(tmp_path, capsys):
    old = _write(tmp_path / "old", {
        "_config.yml": "title: Ada\nauthor:\n  name: Ada Lovelace\n",
        "_publications/2020-note.md": "---\ntitle: 'A Note'\ndate: 2020-03-01\nvenue: V\n---\nAbstract.\n",
        "_publications/2020-note.bib": "@article{n, title={A Note}, author={Lovelace, Ada and Babbage, Charles},"
                                       " journal={V}, year={2020}}\n",
        "_publications/2020-note-again.md": "---\ntitle: 'A note'\ndate: 2020-05-01\nvenue: V\n---\nAgain.\n",
        "files/bibtex1.bib": "@misc{x, title={Other}, year={2001}}\n",
    })
    assert main(["migrate", str(old), "--into", str(tmp_path / "new")]) == 0
    assert [p.name for p in (tmp_path / "new/content/papers").iterdir()] == ["2020-note.md"]
    assert read_source(tmp_path / "new/content/papers/2020-note.md").meta["authors"] == ["Ada Lovelace",
                                                                                          "Charles Babbage"]
    report = (tmp_path / "new/MIGRATION.md").read_text(encoding="utf-8")
    assert "`_publications/2020-note-again.md`: the same paper as _publications/2020-note.md" in report
    assert "`files/bibtex1.bib`: a .bib file: not copied" in report
    assert build(tmp_path / "new/content", tmp_path / "new/output").papers == 1


CORPUS = SHARED / "corpus"


@pytest.mark.parametrize("kind", ["academicpages", "hugoblox"])
def test_single_real_publication_files_migrate_and_build(kind, tmp_path, capsys):
    """The corpus's lone publication files (upstream demos and users' own), each in a minimal site."""
    folder = CORPUS / kind
    _needs(folder)
    old = tmp_path / "old"
    if kind == "academicpages":
        _write(old, {"_config.yml": "title: T\nauthor:\n  name: Pin Shuai\n"})
        for path in sorted(folder.glob("*.md")):
            _write(old, {f"_publications/{path.name}": path.read_bytes()})
    else:
        _write(old, {"hugo.yaml": "title: T\nbaseURL: https://t.example.org/\n",
                     "content/authors/admin/_index.md": "---\ntitle: Chris Muir\n---\n"})
        for bundle in sorted(p for p in folder.iterdir() if p.is_dir()):
            for path in bundle.iterdir():
                _write(old, {f"content/publication/{bundle.name}/{path.name}": path.read_bytes()})
    assert main(["migrate", str(old), "--into", str(tmp_path / "new")]) == 0
    papers = sorted((tmp_path / "new/content/papers").glob("*.md"))
    expected = len(list(folder.glob("*.md"))) if kind == "academicpages" else len(list(folder.iterdir()))
    assert len(papers) == expected
    report = build(tmp_path / "new/content", tmp_path / "new/output")
    assert report.papers == expected
    assert find_broken_links(tmp_path / "new/output", report.site_url).broken == []
    for path in papers:
        meta = read_source(path).meta
        assert meta["authors"] and meta["venue"] and meta["year"], path.name


def test_topic_lists_beside_the_full_bib_publish_each_paper_once(tmp_path, capsys):
    """An academicpages site with jekyll-scholar (a full list and a list per topic page)."""
    full = ("@article{a, title={First}, author={Lovelace, Ada}, journal={J}, year={2020}}\n"
            "@article{b, title={Second}, author={Lovelace, Ada}, journal={J}, year={2021}, poster={gone.pdf}}\n")
    old = _write(tmp_path / "old", {
        "_config.yml": 'repository: "academicpages.github.io"\nauthor:\n  name: Ada Lovelace\n  github: ada\n'
                       "scholar:\n  style: apa\n",
        "_bibliography/All-Pubs.bib": full,
        "_bibliography/engines.bib": full.split("\n")[1] + "\n",
        "_bibliography/mixed.bib": full.split("\n")[0] + "\n@misc{c, title={Third}, author={Lovelace, Ada}, "
                                                         "year={2022}}\n",
    })
    assert main(["migrate", str(old), "--into", str(tmp_path / "new")]) == 0
    report = (tmp_path / "new/MIGRATION.md").read_text(encoding="utf-8")
    assert "# Migration from academicpages" in report
    assert "`_bibliography/engines.bib`: every entry is also in All-Pubs.bib" in report
    assert "`_bibliography/mixed.bib:1`: 'a' is also in All-Pubs.bib: published once, from there" in report
    assert "poster={gone.pdf} names assets/pdf/gone.pdf, which the old site does not have" in report
    assert sorted(p.name for p in (tmp_path / "new/content").glob("*.bib")) == ["All-Pubs.bib", "mixed.bib"]
    built = build(tmp_path / "new/content", tmp_path / "new/output")
    assert built.papers == 3
    assert find_broken_links(tmp_path / "new/output", built.site_url).broken == []


def test_hugo_blox_profile_in_data_authors_and_dead_links_in_html(tmp_path, capsys):
    """Hugo Blox (2025) keeps the owner in data/authors/me.yaml and the photo in assets/media/authors/."""
    old = _write(tmp_path / "old", {
        "config/_default/hugo.yaml": "title: Lab\nbaseURL: https://ada.example.org/\n",
        "data/authors/me.yaml": "is_owner: true\nname:\n  display: Dr. Ada Lovelace\n  given: Ada\n"
                                "  family: Lovelace\nrole: Analyst\naffiliations:\n  - name: Engine Lab\n"
                                "bio: I study engines.\nlinks:\n  - icon: brands/github\n    url: https://github.com/ada\n"
                                "education:\n  - degree: PhD\n    institution: Cambridge\n    start: 2015-09-01\n",
        "assets/media/authors/me.png": b"\x89PNG placeholder",
        "content/publications/note/index.md": "---\ntitle: A Note\ndate: 2013-07-01\nauthors: [me, C. Babbage]\n"
                                              "publication: Engines\n---\nSee [the other](../other/) and "
                                              '<img src="/media/gone.png" alt="x"> and [intro](#intro).\n',
        "content/projects/engine/index.md": "---\ntitle: Engine\ndate: 2020-01-01\n---\n## Intro\n\nText.\n",
    })
    assert main(["migrate", str(old), "--into", str(tmp_path / "new")]) == 0
    site = yaml.safe_load((tmp_path / "new/content/site.yaml").read_text(encoding="utf-8"))
    assert site["owner"]["name"] == "Ada Lovelace" and site["affiliation"] == "Analyst, Engine Lab"
    assert site["profiles"] == {"github": "https://github.com/ada"} and site["photo"] == "files/me.png"
    assert "I study engines." in (tmp_path / "new/content/pages/about.md").read_text(encoding="utf-8")
    assert yaml.safe_load((tmp_path / "new/content/cv.yaml").read_text())["education"][0]["institution"] == "Cambridge"
    paper = read_source(tmp_path / "new/content/papers/note.md")
    assert paper.meta["authors"][0] in ("Ada Lovelace", {"name": "Ada Lovelace"})
    assert "<img" not in paper.body and "#intro" not in paper.body and "](../other/)" not in paper.body
    report = (tmp_path / "new/MIGRATION.md").read_text(encoding="utf-8")
    for needle in ("link to /media/gone.png", "link to ../other/", "link to #intro", "date 2020-01-01: projects have "
                   "no date"):
        assert needle in report, needle
    built = build(tmp_path / "new/content", tmp_path / "new/output")
    assert built.warnings == ()
    assert find_broken_links(tmp_path / "new/output", built.site_url).broken == []
