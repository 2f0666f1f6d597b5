"""Find and load the content folder: papers and pages, checked, in display order."""

from __future__ import annotations

import hashlib
from collections import Counter
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from site_builder.errors import ContentError, ManyErrors, SiteError, nesting_limit, quoted
from site_builder.frontmatter import decode_text, read_source, read_text, split_front_matter
from site_builder.markup import MarkdownRenderer
from site_builder.models import BADGE_FIELDS, Page, Publication, SiteConfig
from site_builder.paper_identity import identity_keys, same_paper
from site_builder.pool import map_in_workers
from site_builder.papers import publication_from_source
from site_builder.safety import safe_slug
from site_builder.tree import SymlinkLoop, links_leaving, outside_target, walk_files

if TYPE_CHECKING:
    from site_builder.content_cache import ContentCache
    from site_builder.pool import Workers

HOME_PAGE_NAMES = ("index", "about")
_SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,199}")


def content_files(folder: Path, suffix: str) -> list[Path]:
    """Files with this suffix below folder, sorted, skipping hidden names; symlink loops are errors."""
    try:
        files = walk_files(folder, skip_dir=lambda name: name.startswith("."))
    except SymlinkLoop as loop:
        raise ContentError(loop.folder, "a symbolic link loops back to a folder above it; remove the link") from None
    return sorted(Path(f) for f in files if f.endswith(suffix) and not os.path.basename(f).startswith("."))


def refuse_links_out(folder: Path, site_root: Path, paths: list[str] | None = None) -> None:
    """A symbolic link below folder (or among `paths`) that leads out of the site folder, or into
    a .git folder, is an error: what it points at would be read, copied and published."""
    allowed = (Path(os.path.realpath(site_root)), Path(os.path.realpath(folder)))
    found = ((path, outside_target(path, allowed)) for path in paths) if paths is not None \
        else links_leaving(folder, allowed)
    for link, target in found:
        if target:
            where = "inside a .git folder" if ".git" in Path(target).parts else f"outside the site folder {site_root}"
            raise ContentError(link, f"a symbolic link to {target}, {where}; copy the file into the site "
                                     "instead of linking to it")


FILES_NOTE = "README.md"  # the note `init` leaves in content/files/; never published


def user_files(content_dir: Path) -> dict[str, Path]:
    """The researcher's own files: content/files/<path> -> output files/<path>, copied as they are.
    Symbolic links are not followed (a link could lead out of the site); hidden names are left out."""
    folder = content_dir / "files"
    found: dict[str, Path] = {}
    if folder.is_symlink() or not folder.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(folder):  # os.walk does not enter linked folders
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath, name)
            relative = path.relative_to(folder).as_posix()
            if name.startswith(".") or path.is_symlink() or relative == FILES_NOTE:
                continue
            found[f"files/{relative}"] = path
    return found


def slug_for(path: Path) -> str:
    """The file name as a URL-safe slug; names that are not already safe are cleaned."""
    if _SAFE_NAME.fullmatch(path.stem):
        return path.stem
    # A name with no Latin letters or digits (论文.md) gets a stable one made from its digest.
    return safe_slug(path.stem) or "paper-" + hashlib.blake2b(path.stem.encode(), digest_size=4).hexdigest()


class BibCache:
    """The papers of the .bib files, kept by the preview server between rebuilds while no .bib
    file changes: the parsed entries with their warnings, and the record made from each entry
    that no Markdown file overrides (None when it was skipped) with its warnings. Reusing the
    same record objects also lets the renderer reuse their listing, feed and BibTeX entries."""

    def __init__(self) -> None:
        self.parsed: tuple[dict, list[str]] | None = None
        self.key = ""  # the content cache's key of the .bib files' text
        self.records: dict[str, tuple[Publication | None, list[str]]] = {}


class PaperReader:
    """Reads one paper: a Markdown file (a Path) or a .bib entry no Markdown file overrides (its
    slug), as (record or ContentError-raising, warnings, cache key). Picklable, for the workers
    of pool.map_in_workers."""

    def __init__(self, config: SiteConfig, markdown: MarkdownRenderer, bib: dict,
                 cache: ContentCache | None = None, bib_key: str = "", sources: Mapping[str, bytes] = {}):
        self.config, self.markdown, self.bib, self.cache, self.bib_key = config, markdown, bib, cache, bib_key
        self.sources = sources  # paper files already read, by absolute path

    def __call__(self, item: Path | str):
        parts, read = self._source(item)
        if self.cache is None:
            return (*read(), "")
        key = self.cache.key("record", *parts)
        found = self.cache.load(key)
        if not (isinstance(found, tuple) and len(found) == 2):
            found = read()  # the caller stores what it gets
        return (*found, key)

    def cached(self, item: Path | str):
        """What __call__ gives when the cache has it, else None (nothing is parsed)."""
        try:
            parts, _ = self._source(item)
        except ContentError:
            return None
        key = self.cache.key("record", *parts)
        found = self.cache.load(key)
        return (*found, key) if isinstance(found, tuple) and len(found) == 2 else None

    def _source(self, item: Path | str):
        """What the item's record is made from, and how to make it."""
        if isinstance(item, Path):
            data = self.sources.get(os.path.abspath(item))
            text = read_text(item) if data is None else decode_text(item, data)
            slug = slug_for(item)
            return (("paper", str(item), text, self.bib_key if slug in self.bib else ""),
                    lambda: self.read_paper(item, slug, text))
        return ("entry", item, self.bib_key), lambda: self.read_entry(item)

    def read_paper(self, path: Path, slug: str, text: str) -> tuple[Publication, list[str]]:
        """One paper file's record and its warnings; raises ContentError."""
        entry, file_warnings = self.bib.get(slug), []
        source = split_front_matter(path, text)
        with nesting_limit(path):
            if entry is not None:  # a Markdown file overrides the .bib entry of the same slug
                from site_builder.bibtex_in import entry_publication

                pub, _ = entry_publication(entry, self.markdown, self.config.owner, file_warnings,
                                           override=source)
            else:
                pub = publication_from_source(source, self.markdown, self.config.owner, file_warnings)
        if slug != path.stem:
            file_warnings.append(f"{path}: file name is not a safe URL; the paper's address uses '{slug}'")
        return _with_slug(pub, slug), file_warnings

    def read_entry(self, slug: str) -> tuple[Publication | None, list[str]]:
        """The record of a .bib entry no Markdown file overrides, or None with a warning."""
        from site_builder.bibtex_in import entry_publication

        entry, entry_warnings = self.bib[slug], []
        try:
            with nesting_limit(entry.entry.path):
                return entry_publication(entry, self.markdown, self.config.owner, entry_warnings)[0], entry_warnings
        except ContentError as exc:
            return None, entry_warnings + [f"{entry.entry.place}: entry {quoted(entry.entry.key)}: "
                                           f"{exc.message}; it is skipped"]


def _parsed_bib(bib_files: list[Path], cache: ContentCache | None, content_root: Path) -> tuple[tuple[dict, list[str]], str]:
    """The papers of the .bib files with their warnings, and the key of the files' text."""
    if not bib_files:
        return ({}, []), ""
    from site_builder.bibtex_in import load_bib_papers

    key = ""
    if cache is not None:
        key = cache.key("bib", *(f"{path}\0{read_text(path)}" for path in bib_files))
        found = cache.load(key)
        if isinstance(found, tuple) and len(found) == 2:
            return found, key
    warnings: list[str] = []
    parsed = load_bib_papers(bib_files, warnings, content_root), warnings
    if cache is not None:
        cache.store(key, parsed)
    return parsed, key


def load_publications(config: SiteConfig, markdown: MarkdownRenderer, warnings: list[str],
                      known: Mapping[Path, Publication] | None = None,
                      bib_cache: BibCache | None = None, jobs: int | Workers | None = None,
                      cache: ContentCache | None = None,
                      sources: Mapping[str, bytes] | None = None) -> tuple[Publication, ...]:
    """Every paper, checked and in display order. `known` maps files that have not changed since
    they were last read to their records, which are reused (the preview server passes it), and
    `bib_cache` keeps what the .bib files gave while they do not change. `jobs`: worker
    processes (None: one per CPU); `cache`: records kept between builds; `sources`: the bytes of
    paper files already read, by absolute path."""
    errors: list[SiteError] = []
    by_slug: dict[str, Publication] = {}
    bib_cache = bib_cache or BibCache()
    bib_files = content_files(config.root, ".bib")
    if bib_cache.parsed is None:
        bib_cache.parsed, bib_cache.key = _parsed_bib(bib_files, cache, config.root)
    bib, parse_warnings = bib_cache.parsed
    warnings.extend(parse_warnings)

    paths = content_files(config.root / "papers", ".md")
    reused = {path: known[path] for path in paths
              if known and path in known and bib.get(slug_for(path)) is None}
    md_slugs = {slug_for(path) for path in paths}
    bib_only = [slug for slug in bib if slug not in md_slugs]
    fresh = [path for path in paths if path not in reused]
    fresh_entries = [slug for slug in bib_only if slug not in bib_cache.records]
    # Markdown files and .bib entries are read together, in worker processes for large sites.
    if cache is not None:
        cache.preload()
    reader = PaperReader(config, markdown, bib, cache, bib_cache.key, sources or {})
    items = [*fresh, *fresh_entries]
    # The papers the cache has are taken here; only the others are worth worker processes.
    known_results = {}
    if cache is not None and cache.has_records():
        known_results = {n: found for n, item in enumerate(items) if (found := reader.cached(item))}
    made = iter(map_in_workers(reader, [item for n, item in enumerate(items) if n not in known_results],
                               caught=ContentError, jobs=jobs))
    results = [known_results[n] if n in known_results else next(made) for n in range(len(items))]
    read = dict(zip(fresh, results))
    keys = {}
    for result in results:
        if cache is not None and not isinstance(result, ContentError):
            cache.store(result[2], result[:2])
    for slug, result in zip(fresh_entries, results[len(fresh):]):
        bib_cache.records[slug] = result[:2]
        keys[slug] = result[2]
    for path in paths:
        if path in reused:
            pub = reused[path]
        elif isinstance(read[path], ContentError):
            errors.append(read[path])
            continue
        else:
            pub, file_warnings, keys[slug_for(path)] = read[path]
            warnings.extend(file_warnings)
        if pub.slug in by_slug:
            errors.append(ContentError(path, f"duplicate slug '{pub.slug}': {by_slug[pub.slug].source} "
                                             "has the same name; rename one of the files"))
            continue
        by_slug[pub.slug] = pub
    # A Markdown file that is not an override but describes a paper of a .bib file wins over it.
    written = {key: pub for pub in by_slug.values() if pub.slug not in bib for key in identity_keys(pub)}
    for slug in bib_only:
        pub, entry_warnings = bib_cache.records[slug]
        warnings.extend(entry_warnings)
        twin = same_paper(pub, written) if pub is not None and written else None
        if twin is not None:
            entry = bib[slug].entry
            warnings.append(f"{entry.place}: entry '{entry.key}' is the same paper as {twin[0].source} "
                            f"(same {twin[1]}); only the Markdown file is published: to set fields over "
                            f"the entry's, name the file papers/{slug}.md, or remove one of the two")
        elif pub is not None:
            by_slug[slug] = pub
    if errors:
        raise errors[0] if len(errors) == 1 else ManyErrors(errors)
    if cache is not None:
        cache.record_keys = {slug: key for slug, key in keys.items() if key}
    publications = tuple(sorted(by_slug.values(), key=display_order))
    warnings.extend(_badges_not_shown(publications, config.badges))
    return publications


def _badges_not_shown(publications: tuple[Publication, ...], turned_on: tuple[str, ...]) -> list[str]:
    """One line naming the badge fields the papers have whose badges the site has not turned on."""
    counts = Counter(key for pub in publications for key, _ in pub.badges if BADGE_FIELDS[key] not in turned_on)
    if not counts:
        return []
    found = ", ".join(f"{key} ({n} paper{'s' if n > 1 else ''})" for key, n in sorted(counts.items()))
    names = ", ".join(sorted({BADGE_FIELDS[key] for key in counts}))
    return [f"papers have citation badge fields that are not displayed: {found}; to show the badges, "
            f"add 'badges: [{names}]' to site.yaml (they load other hosts' scripts: see docs/themes.md)"]


def _with_slug(pub: Publication, slug: str) -> Publication:
    return pub if pub.slug == slug else replace(pub, slug=slug)


def display_order(pub: Publication):
    """Forthcoming papers first, then newest year first; inside a year, newest month first (from
    'date' or 'month', as al-folio orders), a dated paper before an undated one of the same month,
    then by 'order', then by slug."""
    return (
        -(pub.year or 10_000),
        pub.month is None,
        -(pub.month or 0),
        pub.date is None,
        -(pub.date.day if pub.date else 0),
        pub.order is None,
        pub.order or 0,
        pub.slug,
    )


def load_pages(config: SiteConfig, markdown: MarkdownRenderer) -> tuple[Page | None, tuple[Page, ...]]:
    """The home page's body (index.md or about.md) and every other page, ordered for navigation."""
    pages = []
    for path in content_files(config.root / "pages", ".md"):
        if path.parent != config.root / "pages":
            continue
        source = read_source(path)
        title = source.meta.get("title", path.stem.replace("-", " ").capitalize())
        if not isinstance(title, str) or not title.strip():
            raise ContentError(path, "'title' must be text")
        nav_order = source.meta.get("nav_order")
        if nav_order is not None and (isinstance(nav_order, bool) or not isinstance(nav_order, int)):
            raise ContentError(path, "'nav_order' must be a whole number")
        slug = slug_for(path)
        with nesting_limit(path):
            body = markdown.to_html(source.body)
        page = Page(slug=slug, title=title.strip(), html=body, source=path, nav_order=nav_order)
        pages.append(page)
    home = next((p for name in HOME_PAGE_NAMES for p in pages if p.slug == name), None)
    pages = [p for p in pages if p is not home]
    for reserved in ("publications", "papers", "assets", "news", "files"):
        clash = next((p for p in pages if p.slug == reserved), None)
        if clash:
            raise ContentError(clash.source, f"a page cannot be named '{reserved}' (the site uses that "
                                             "address); rename the file")
    pages.sort(key=lambda p: (p.nav_order is None, p.nav_order or 0, p.slug))
    return home, tuple(pages)
