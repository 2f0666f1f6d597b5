"""Rebuilds for the preview server: a paper edit re-renders only the pages that show that paper.

`LiveSite` keeps the last good build in memory (the model and the Jinja environment with its
compiled templates). After a batch of edits to paper files it reads only those files again and
renders the changed papers' own pages, the pages that list papers (publications page, BibTeX,
feed, sitemap ...) and the home page when it shows one of them; other papers' pages and the
content pages are left alone, and only files whose bytes changed are rewritten. Any other change
(site.yaml, a theme file, a page, a post, talk, project or teaching entry) rebuilds everything,
atomically, as `build` does, with the posts marked draft. A failed
rebuild leaves the output folder and the kept build as they were.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from site_builder.build import copied_files, load_site
from site_builder.collection import KINDS, check_references
from site_builder.content import BibCache, load_publications, refuse_links_out
from site_builder.markup import MarkdownRenderer
from site_builder.models import Site
from site_builder.output_guard import OutputClaim, claim_output
from site_builder.fragments import Fragments
from site_builder.render import Renderer
from site_builder.theme import Theme, make_environment
from site_builder.writer import remove_folders, update_files, write_site

# Folders that hold only Markdown and BibTeX content files (content.load_publications / load_pages,
# collection.load_items).
_CONTENT_FOLDERS = ("papers", "pages", *(kind.folder for kind in KINDS))


@dataclass(frozen=True)
class Rebuild:
    """What one rebuild did."""

    everything: bool
    files: int  # files in the output folder that were (re)written
    written: tuple[str, ...] = ()  # for a partial rebuild: the output paths rewritten
    removed: tuple[str, ...] = ()  # output folders deleted (pages of deleted papers)
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.files or self.removed)

    def summary(self) -> str:
        took = f"{self.seconds * 1000:.0f} ms"
        if self.everything:
            return f"built the whole site ({self.files} files) in {took}"
        if not self.changed:
            return f"no page changed ({took})"
        names = [*self.written, *(f"{folder}/ (removed)" for folder in self.removed)]
        return f"rebuilt {', '.join(names)} in {took}"


class LiveSite:
    """One site's last good build, updated in place by `rebuild`."""

    def __init__(self, content_dir: Path, output_dir: Path, force: bool = False,
                 claim: OutputClaim | None = None, jobs: int | None = None):
        self.content = content_dir  # as given, so that errors name files as `build` does
        self.output = output_dir
        self.force = force  # replace an output folder holding files site-builder did not write
        self._claim = claim  # for the first full build, when the caller has claimed the output
        self.jobs = jobs  # worker processes for a full rebuild (none while the server has threads)
        self.site: Site | None = None
        self.theme: Theme | None = None
        self._env = None
        self._fragments: Fragments | None = None  # listing and BibTeX entries of the last build
        self._markdown = MarkdownRenderer()
        self._bib = BibCache()  # what the .bib files gave, while none of them changes
        self._written: dict[str, str | bytes] = {}  # output path -> what the output folder holds
        # Edits not yet in a good build (kept across failed rebuilds, so none is forgotten).
        self._stale_everything = True
        self._stale_papers: set[str] = set()

    def watched_dirs(self) -> list[Path]:
        """The content folder, the site's theme overrides and the active theme's folders."""
        dirs = [self.content.absolute()]
        theme_dirs = self.theme.watched_dirs() if self.theme else []
        for folder in (d.absolute() for d in theme_dirs):
            if not any(folder.is_relative_to(d) for d in dirs):
                dirs.append(folder)
        return dirs

    def is_source(self, path: str) -> bool:
        """Whether a change to this path can change the site (hidden and editor files cannot)."""
        target = Path(path)
        output = self.output.absolute()
        if target.is_relative_to(output) or target.name.startswith("."):
            return False
        content = self.content.absolute()
        if not target.is_relative_to(content):
            return True  # a theme file
        parts = target.relative_to(content).parts
        if any(part.startswith(".") for part in parts):
            return False
        if len(parts) > 1 and parts[0] in _CONTENT_FOLDERS:
            return target.suffix in (".md", ".bib")
        return True

    def rebuild(self, changed: Iterable[str] = ()) -> Rebuild:
        """Bring the output up to date after these files (absolute paths) changed.

        Raises SiteError when the content or a template is broken; nothing is written then."""
        started = time.perf_counter()
        papers_dir = self.content.absolute() / "papers"
        changed = set(changed)
        if any(not Path(path).is_relative_to(papers_dir) for path in changed):
            self._stale_everything = True
        self._stale_papers |= changed
        if self._stale_everything or self.site is None:
            result = self._rebuild_everything()
        else:
            result = self._rebuild_papers(self._stale_papers)
        self._stale_everything = False
        self._stale_papers = set()
        return replace(result, seconds=time.perf_counter() - started)

    def _rebuild_everything(self) -> Rebuild:
        claim = self._claim or claim_output(self.output, self.content, self.force)
        self._claim = None  # a later full build claims the folder again, as it is then
        self._bib = BibCache()
        site, theme = load_site(self.content, self._bib, drafts=True, jobs=self.jobs)
        env = make_environment(theme)
        renderer = Renderer(site, env)
        pages = list(renderer.pages())
        files = write_site(claim, pages, copied_files(theme, self.content))
        self.site, self.theme, self._env, self._fragments = site, theme, env, renderer.fragments
        self._markdown = MarkdownRenderer(allow_html=site.config.allow_html)
        self._written = dict(pages)
        return Rebuild(everything=True, files=files, warnings=site.warnings)

    def _rebuild_papers(self, changed: set[str]) -> Rebuild:
        refuse_links_out(self.content, self.content.absolute().parent, sorted(changed))
        old = self.site
        known = {pub.source: pub for pub in old.publications if os.path.abspath(pub.source) not in changed}
        if any(path.endswith(".bib") for path in changed):
            self._bib = BibCache()
        warnings: list[str] = []
        publications = load_publications(old.config, self._markdown, warnings, known, self._bib)
        check_references(old.items, publications, ())  # a talk or project may name a removed paper
        site = replace(old, publications=publications, warnings=tuple(warnings))
        before = {pub.slug: pub for pub in old.publications}
        after = {pub.slug: pub for pub in publications}
        edited = {slug for slug, pub in after.items() if before.get(slug) != pub}
        removed = sorted(before.keys() - after.keys())
        if not edited and not removed:
            self.site = site
            return Rebuild(everything=False, files=0, warnings=site.warnings)
        touched = [after[s] for s in edited] + [before[s] for s in (edited | set(removed)) if s in before]
        renderer = _PartialRenderer(site, self._env, self._fragments, papers=edited,
                                    home=len(before) != len(after) or any(p.selected for p in touched))
        pages = [(path, text) for path, text in renderer.pages()
                 if text is not None and self._written.get(path) != text]
        written = update_files(self.output, pages)
        folders = [f"papers/{slug}" for slug in removed]
        remove_folders(self.output, folders)
        self.site, self._fragments = site, renderer.fragments
        self._written.update(pages)
        for path in [p for p in self._written if p.startswith(tuple(f"{f}/" for f in folders))]:
            del self._written[path]
        return Rebuild(everything=False, files=len(written), written=tuple(written),
                       removed=tuple(folders), warnings=site.warnings)


class _PartialRenderer(Renderer):
    """Renders what a paper edit can change: the edited papers' pages, the home page when it
    shows one of them, and every page that is not one paper's or one content page's own
    (publications page, feed, sitemap, BibTeX ...). The pages left out come out as None."""

    def __init__(self, site: Site, env, previous: Fragments, papers: set[str], home: bool):
        super().__init__(site, env, previous)
        self._left_out = {"page.html"} if home else {"page.html", "home.html"}
        self._papers = {f"papers/{slug}/index.html" for slug in papers}

    def render(self, template_name: str, output_path: str, **context):
        if template_name in self._left_out or (template_name == "paper.html"
                                               and output_path not in self._papers):
            if output_path.endswith("index.html"):  # still a page of the site, for the sitemap
                self.listed.append(output_path.removesuffix("index.html"))
            return None
        return super().render(template_name, output_path, **context)
