"""Page context -> HTML string. No file I/O: the writer puts the strings on disk."""

from __future__ import annotations

import os
import re
import traceback
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from site_builder import metadata
from site_builder.bibtex import bibtex_string
from site_builder.collection_pages import collection_pages, listing_kinds, tag_slug
from site_builder.errors import ThemeError
from site_builder.fragments import Fragments
from site_builder.markup import first_sentence, html_to_text
from site_builder.models import LINK_ORDER, NavItem, Publication, Site
from site_builder.parallel import map_on_two_cores


def relative_root(output_path: str) -> str:
    """The prefix that leads from a page back to the site root: '' or '../../'."""
    depth = output_path.count("/")
    return "../" * depth


_SITE_ROOT_LINK = re.compile(r'(href|src)="(?:/(?!/)|(?=files/))')


def root_links(fragment: str, root: str) -> Markup:
    """Rewrite site-root links in rendered Markdown ("/cv/") to page-relative ones ("../cv/"), and
    links into the researcher's files ("files/cv.pdf") too, which mean the same from every page."""
    return Markup(_SITE_ROOT_LINK.sub(lambda m: f'{m.group(1)}="{root or "./"}', fragment))


def site_path(url: str, root: str) -> str:
    """A link as the page should write it: a site-root path ('/files/x.pdf') or a link into the
    researcher's files ('files/x.pdf', the same from every page) made page-relative
    ('../../files/x.pdf'), so that it works under a project sub-path too; others unchanged."""
    if url.startswith("/") and not url.startswith("//"):
        return root + url[1:] or "./"
    if url.startswith("files/"):
        return root + url
    return url


def ordered_links(pub: Publication):
    rank = {label: n for n, label in enumerate(LINK_ORDER)}
    return sorted(pub.links, key=lambda link: (rank.get(link.label, len(rank)), link.label))


# The default menu order of the sections a site has. Content pages (pages/*.md, by nav_order)
# come as one group just before News.
NAV_ORDER = ("", "publications/", "blog/", "talks/", "projects/", "teaching/", "cv/", "news/")


def site_nav(site: Site) -> tuple[NavItem, ...]:
    """The menu: site.yaml's 'nav', else every section the site has in NAV_ORDER, with the pages."""
    if site.config.nav:
        return site.config.nav
    rank = {path: number for number, path in enumerate(NAV_ORDER)}
    pages_rank = rank["news/"] - 0.5
    sections = [NavItem("Home", ""), NavItem("Publications", "publications/"),
                *(NavItem(kind.title, f"{kind.section}/") for kind in listing_kinds(site))]
    if site.cv:
        sections.append(NavItem("CV", "cv/"))
    if site.news:
        sections.append(NavItem("News", "news/"))
    ranked = [(rank.get(item.path, pages_rank), item) for item in sections]
    ranked += [(pages_rank, NavItem(page.title, page.url_path)) for page in site.pages]
    return tuple(item for _, item in sorted(ranked, key=lambda pair: pair[0]))


class Renderer:
    """Renders every page of one site with one Jinja environment."""

    def __init__(self, site: Site, env: jinja2.Environment, previous: Fragments | None = None):
        self.site = site
        self.env = env
        self.fragments = Fragments(previous)
        self._macros: dict[str, Any] = {}
        env.globals.update(site=site, config=site.config, ordered_links=ordered_links, metadata=metadata,
                           nav=site_nav(site), listing_entry=self.listing_entry,
                           feed_entry=self.feed_entry)
        env.filters["root_links"] = root_links
        env.filters["tag_slug"] = tag_slug
        env.filters["site_path"] = site_path
        self.image = metadata.absolute_url(site.config.image, site.config)  # og:image must be absolute
        self.listed: list[str] = []  # address of every HTML page rendered so far, for the sitemap
        self._papers_written = False
        # JSON-LD keeps its keys in schema order, its text readable and no spaces between tokens;
        # tojson still escapes <, >, &.
        env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False, "separators": (",", ":")}

    def pages(self) -> Iterator[tuple[str, str]]:
        """(output path, content) for every generated file, in a fixed order."""
        yield "index.html", self.home()
        yield "publications/index.html", self.publications()
        for pub in self.site.publications:
            if self._papers_written:
                self.listed.append(pub.url_path)
            else:
                yield from self.paper_files(pub)
        for page in self.site.pages:
            yield f"{page.slug}/index.html", self.page(page)
        for template, path, context in collection_pages(self.site):
            yield path, self.render(template, path, **context)
        if self.site.cv:
            yield "cv/index.html", self.render("cv.html", "cv/index.html", title="CV", cv=self.site.cv,
                                               description=f"Curriculum vitae of {self.site.config.owner.name}",
                                               current="cv/")
        if self.site.news:
            yield "news/index.html", self.render("news.html", "news/index.html", title="News",
                                                 description=f"News from {self.site.config.title}",
                                                 current="news/")
        yield "publications.bib", bibtex_string(self.site.publications, self.fragments)
        yield "404.html", self.not_found()
        yield "feed.xml", self.render("feed.xml", "feed.xml")
        if self.site.config.url:  # a sitemap lists absolute URLs only
            yield "sitemap.xml", self.render("sitemap.xml", "sitemap.xml",
                                             entries=metadata.sitemap_entries(self.site, self.listed))
        yield "robots.txt", self.render("robots.txt", "robots.txt")

    def paper_files(self, pub: Publication) -> Iterator[tuple[str, str]]:
        """A paper's own files: its page and its cite.bib."""
        bibtex = bibtex_string([pub], self.fragments)
        yield f"papers/{pub.slug}/index.html", self.paper(pub, bibtex)
        yield f"papers/{pub.slug}/cite.bib", bibtex

    def write_papers(self, write: Callable[[str, str], None]) -> int:
        """Render and write every paper's own files now, half of them in a forked child on large
        sites, so that pages() leaves them out. The pieces the publications page and the feed
        reuse (the paper's listing entry as the default theme asks for it, its feed entry and
        BibTeX) are made alongside and kept. Returns the number of files written."""
        listing_root = relative_root("publications/index.html")
        in_feed = {id(pub) for pub in self.site.publications[:self.site.config.feed_count]}

        def one_paper(pub: Publication) -> tuple[int, list]:
            files = 0
            for path, text in self.paper_files(pub):
                write(path, text)
                files += 1
            self.listing_entry(pub, listing_root, limit=self.site.config.author_limit)
            if id(pub) in in_feed:
                self.feed_entry(pub)
            return files, self.fragments.pieces_of(pub)

        listed = len(self.listed)
        done = map_on_two_cores(one_paper, self.site.publications)
        del self.listed[listed:]  # pages() lists the papers in their place
        for pub, (_, pieces) in zip(self.site.publications, done):
            self.fragments.add(pub, pieces)
        self._papers_written = True
        return sum(files for files, _ in done)

    def listing_entry(self, pub: Publication, root: str, limit: int = 0, heading: str = "h3") -> Markup:
        """A paper's entry in the publications list: the theme's `publication` macro, whose
        output depends on nothing else, so the entry is reused while the paper is unchanged."""
        return self.fragments.get(pub, ("entry", root, limit, heading), lambda: self._macro(
            "partials/macros.html", "publication")(pub, root, heading=heading, limit=limit))

    def feed_entry(self, pub: Publication) -> Markup:
        """A paper's entry in feed.xml, reused in the same way."""
        return self.fragments.get(pub, "feed", lambda: self._macro("partials/feed_entry.xml", "feed_entry")(pub))

    def _macro(self, template: str, name: str):
        if template not in self._macros:
            self._macros[template] = self.env.get_template(template).make_module()
        return getattr(self._macros[template], name)

    def home(self) -> str:
        home = self.site.home
        return self.render("home.html", "index.html", title=self.site.config.title,
                           description=self.site.config.description, page=home, current="")

    def publications(self) -> str:
        from site_builder.listing import paper_groups

        return self.render("publications.html", "publications/index.html", title="Publications",
                           description=f"Publications of {self.site.config.owner.name}",
                           current="publications/", groups=paper_groups(self.site))

    def paper(self, pub: Publication, bibtex: str | None = None) -> str:
        return self.render("paper.html", f"papers/{pub.slug}/index.html", title=pub.title,
                           description=first_sentence(pub.abstract_text) or pub.title, pub=pub,
                           bibtex=bibtex_string([pub]) if bibtex is None else bibtex, current="publications/", og_type="article",
                           image=metadata.absolute_url(pub.image, self.site.config) or self.image)

    def page(self, page) -> str:
        return self.render("page.html", f"{page.slug}/index.html", title=page.title,
                           description=first_sentence(html_to_text(page.html)), page=page,
                           current=page.url_path)

    def not_found(self) -> str:
        """404.html is served at any missing address, so its relative links start from <base href>:
        the site's own path ('/' or '/repo/'), so that its files come from the same host."""
        url = self.site.config.url
        return self.render("404.html", "404.html", title="Page not found", description="",
                           canonical="", current=None, base_href=urlsplit(url).path or "/" if url else "")

    def render(self, template_name: str, output_path: str, **context: Any) -> str:
        root = relative_root(output_path)
        url_path = output_path.removesuffix("index.html")
        config = self.site.config
        context = {"root": root, "url_path": url_path,
                   "canonical": config.url + url_path if config.url else "",
                   "og_type": "website", "image": self.image, **context}
        if output_path.endswith("index.html"):
            self.listed.append(url_path)
        try:
            return _with_code_stylesheet(self.env.get_template(template_name).render(**context), root)
        except jinja2.TemplateSyntaxError as exc:
            raise ThemeError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: "
                             f"{exc.message}") from None
        except jinja2.TemplateNotFound as exc:
            raise ThemeError(f"{_template_place(exc)}: template '{exc.name}' not found (needed for "
                             f"{output_path}); check the name in {{% extends %}} or {{% include %}}") from None
        except Exception as exc:  # raised by the template's code or by what it called
            raise ThemeError(_render_failure(exc, output_path)) from exc  # --debug shows exc


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_HIGHLIGHTED = 'codehilite"><pre>'  # what markup.py's Pygments blocks start with


def _with_code_stylesheet(page: str, root: str) -> str:
    """A page that shows highlighted code gets the stylesheet of its colours; others never load it."""
    if _HIGHLIGHTED not in page:
        return page
    return page.replace("</head>", f'<link rel="stylesheet" href="{root}assets/code.css">\n</head>', 1)


def _render_failure(exc: Exception, output_path: str) -> str:
    """The one-line message for an error while rendering. Templates call site-builder's own
    functions (filters, metadata): an error raised inside one is named as such, since it may
    be a bug in site-builder rather than in the template."""
    place = _template_place(exc)
    frames = traceback.extract_tb(exc.__traceback__)
    innermost = frames[-1] if frames else None
    if innermost and innermost.filename.startswith(_PACKAGE_DIR + os.sep) and innermost.filename.endswith(".py"):
        return (f"{place}: error inside site-builder ({os.path.basename(innermost.filename)}:"
                f"{innermost.lineno}, {innermost.name}) while rendering {output_path}: {exc}; if the "
                "template's call is right, this is a bug in site-builder: run with --debug and report it")
    return f"{place}: error while rendering {output_path}: {exc}"


def _template_place(exc: Exception) -> str:
    """file:line of the innermost template frame in the traceback."""
    place = "template"
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".xml", ".txt", ".j2")):
            place = f"{frame.filename}:{frame.lineno}"
    return place
