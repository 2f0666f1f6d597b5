"""The build pipeline: load config -> load content -> model -> render -> write."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from site_builder import build_cache

if TYPE_CHECKING:
    from site_builder.content import BibCache
    from site_builder.content_cache import ContentCache
    from site_builder.pool import Workers
    from site_builder.models import Site
    from site_builder.theme import Theme


@dataclass(frozen=True)
class BuildReport:
    papers: int
    pages: int
    files: int
    seconds: float
    warnings: tuple[str, ...]
    site_url: str = ""  # site.yaml's url, for the commands that check the built site

    def summary(self) -> str:
        return (f"built {_count(self.papers, 'paper')}, {_count(self.pages, 'page')} "
                f"({_count(self.files, 'file')}) in {self.seconds:.2f} s")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def load_site(content_dir: Path, bib_cache: BibCache | None = None, drafts: bool = False,
              jobs: int | Workers | None = None, cache: ContentCache | None = None,
              sources: dict[str, bytes] | None = None) -> tuple[Site, Theme]:
    """Read and check everything; nothing is written. `bib_cache`: see content.BibCache;
    `drafts`: include posts marked draft (the preview server does); `jobs`: worker processes
    (None: one per CPU); `cache`: records kept between builds; `sources`: paper files already
    read, by absolute path."""
    from site_builder.clock import build_day
    from site_builder.collection import check_references, load_items
    from site_builder.config import load_config
    from site_builder.content import load_pages, load_publications, refuse_links_out
    from site_builder.cv import load_cv
    from site_builder.errors import ContentError
    from site_builder.markup import MarkdownRenderer
    from site_builder.models import Site
    from site_builder.news import load_news
    from site_builder.theme import find_theme

    site_root = content_dir.absolute().parent
    refuse_links_out(content_dir, site_root)  # before anything under it is read
    config = load_config(content_dir)
    theme = find_theme(config)
    for folder in theme.theme_dirs:
        if folder.absolute().parent == site_root / "themes":  # the site's own theme, not a built-in one
            refuse_links_out(folder, site_root)
    markdown = MarkdownRenderer(allow_html=config.allow_html)
    warnings: list[str] = []
    if not config.url:
        warnings.append(f"{config.root / 'site.yaml'}: no 'url': pages get no canonical link, the feed "
                        "uses relative links and no sitemap.xml is written; add 'url: https://...'")
    publications = load_publications(config, markdown, warnings, bib_cache=bib_cache, jobs=jobs, cache=cache,
                                     sources=sources)
    home, pages = load_pages(config, markdown)
    items = load_items(config.root, markdown, warnings, drafts)
    check_references(items, publications, pages)
    cv = load_cv(config.root, markdown)
    clash = next((page for page in pages if cv and page.slug == "cv"), None)
    if clash:
        raise ContentError(clash.source, f"{cv.source.name} makes the page /cv/; delete this page or rename it")
    site = Site(config=config, publications=publications, pages=pages, home=home,
                news=load_news(config, markdown), cv=cv, warnings=tuple(warnings), items=items,
                today=build_day())
    return site, theme


def copied_files(theme: Theme, content_dir: Path) -> dict[str, Path]:
    """Output path -> source of every file copied as it is: the theme's assets and content/files/."""
    from site_builder.content import user_files
    from site_builder.theme import static_files

    return {**static_files(theme), **user_files(content_dir)}


def render_site(site: Site, theme: Theme) -> list[tuple[str, str]]:
    """Every generated page as (output path, text), rendered in one process and held in memory
    (for tests; `build` writes each page as it is rendered, the paper pages on two cores)."""
    from site_builder.render import Renderer
    from site_builder.theme import make_environment

    return list(Renderer(site, make_environment(theme)).pages())


def build(content_dir: Path, output_dir: Path, force: bool = False, jobs: int | Workers | None = None,
          cache_dir: Path | None = None, use_cache: bool = True) -> BuildReport:
    """The whole pipeline; skipped when the inputs are those of the build already in output_dir.

    Refuses, before reading anything, an output folder it may not replace (output_guard);
    `force` lets it delete files there that site-builder did not write. `jobs`: worker
    processes (None: one per CPU the process may use); `cache_dir`: the content cache's folder
    (None: the user's cache folder); `use_cache=False` reads and renders every paper afresh and
    leaves the cache alone."""
    from site_builder.output_guard import claim_output

    started = time.perf_counter()
    claim = claim_output(output_dir, content_dir, force)
    sources: dict[str, bytes] = {}  # the paper files' bytes, read once
    key, context = build_cache.input_keys(content_dir, sources)
    done = build_cache.unchanged_build(output_dir, key)
    if done is not None:
        return BuildReport(papers=done["papers"], pages=done["pages"], files=done["files"],
                           seconds=time.perf_counter() - started, warnings=tuple(done["warnings"]),
                           site_url=done.get("site_url", ""))
    from site_builder.content_cache import open_cache
    from site_builder.render import Renderer
    from site_builder.theme import make_environment
    from site_builder.writer import staged

    cache = open_cache(cache_dir, content_dir, context) if use_cache else None
    site, theme = load_site(content_dir, jobs=jobs, cache=cache, sources=sources)
    if cache is not None and not theme.builtin_only:
        cache.pages_show_every_paper()  # a template of the site's may list other papers anywhere
    renderer = Renderer(site, make_environment(theme))
    static = copied_files(theme, content_dir)
    # Each page goes into the writer's staging folder as soon as it is rendered (or taken from the
    # content cache), so the whole site is never held in memory; a template error discards the
    # staging folder, leaving the output folder as it was, and a killed build leaves the old site
    # or the new one, never a mix (so even a one-paper edit writes a whole new folder).
    with staged(claim) as folder:
        paper_files = renderer.write_papers(folder.write, theme, jobs, cache, noted=folder.noted)
        files = folder.copy_static(static) + paper_files
        for path, text in renderer.pages():
            folder.write(path, text)
            files += 1
    written = folder.final_state
    if cache is not None:
        cache.save()
    pages = len(renderer.listed) - len(site.publications)  # every HTML page but the papers' own
    summary = {"papers": len(site.publications), "pages": pages, "files": files,
               "warnings": list(site.warnings), "site_url": site.config.url}
    build_cache.record_build(output_dir, key, summary, files=written)
    return BuildReport(seconds=time.perf_counter() - started, **{**summary, "warnings": site.warnings})
