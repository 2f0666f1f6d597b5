"""Page context -> HTML string. No file I/O: the writer puts the strings on disk."""

from __future__ import annotations

import os
import re
import traceback
from typing import TYPE_CHECKING, Any, Callable, Iterator
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
from site_builder.pool import map_in_workers

if TYPE_CHECKING:
    from site_builder.content_cache import ContentCache
    from site_builder.pool import Workers
    from site_builder.theme import Theme


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

    def write_papers(self, write: Callable[[str, str], None], theme: Theme | None = None,
                     jobs: int | Workers | None = None, cache: ContentCache | None = None,
                     noted: Callable[[dict], None] | None = None) -> int:
        """Render and write every paper's own files now, in worker processes on large sites, so
        that pages() leaves them out. The pieces the publications page and the feed reuse (the
        paper's listing entry as the default theme asks for it, its feed entry and BibTeX) are
        made alongside and kept. With a cache, a paper's pieces come from it when they are there;
        `noted` receives what `write` returned for each file, wherever it ran. Returns the
        number of the papers' files."""
        writer = PaperWriter(self, theme, write, cache)
        listed = len(self.listed)
        done = map_in_workers(writer, self.site.publications, jobs=jobs)
        del self.listed[listed:]  # pages() lists the papers in their place
        for pub, (key, pieces, _, made, notes) in zip(self.site.publications, done):
            self.fragments.add(pub, pieces)
            if made is not None:
                cache.store(key, made)
            elif key:
                cache.load(key)  # pieces a worker found: still in use
            if noted is not None:
                noted(notes)
        self._papers_written = True
        return sum(files for _, _, files, _, _ in done)

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


class PaperWriter:
    """Makes and writes one paper's own files (pool.map_in_workers calls it for each paper);
    returns (its cache key or '', the pieces the publications page and the feed reuse, its
    number of files, the pieces again when they were made here, for the cache, else None, and
    what `write` returned for each file).
    Picklable, for spawned workers, which make the renderer again from the site and the theme."""

    def __init__(self, renderer: Renderer, theme: Theme | None, write: Callable[[str, str], None],
                 cache: ContentCache | None):
        self.site, self.theme, self.write, self.cache = renderer.site, theme, write, cache
        self._renderer: Renderer | None = renderer
        self.in_feed = {pub.slug for pub in self.site.publications[:self.site.config.feed_count]}
        self.limit = self.site.config.author_limit

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_renderer": None}

    @property
    def renderer(self) -> Renderer:
        if self._renderer is None:
            from site_builder.theme import make_environment

            self._renderer = Renderer(self.site, make_environment(self.theme))
        return self._renderer

    def __call__(self, pub: Publication) -> tuple[str, list, int, list | None, dict]:
        key = self.cache.rendered_key(pub.slug) if self.cache is not None else None
        pieces = self.cache.load(key) if key is not None else None
        files = self.cache.load(key, files=True) if isinstance(pieces, list) else None
        made = None
        if not (isinstance(files, list) and len(files) == _PAPER_FILES):
            files, pieces = self.make(pub)
            made = pieces
        notes = {path: self.write(path, text) for path, text in files}
        if key is not None:
            self.cache.store_files(key, files)  # in a pack of this build's (see ContentCache.save)
        return key or "", pieces, len(files), made if key is not None else None, notes

    def chunk_done(self) -> None:
        """Called by the pool after each chunk, in the process that did it."""
        if self.cache is not None:
            self.cache.flush_files()

    def make(self, pub: Publication) -> tuple[list[tuple[str, str]], list]:
        renderer = self.renderer
        files = list(renderer.paper_files(pub))
        renderer.listing_entry(pub, _LISTING_ROOT, limit=self.limit)
        if pub.slug in self.in_feed:
            renderer.feed_entry(pub)
        return files, renderer.fragments.pieces_of(pub)


_LISTING_ROOT = relative_root("publications/index.html")
_PAPER_FILES = 2  # Renderer.paper_files: the page and cite.bib
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
