"""A build after a few paper edits: the output folder is updated in place, file by file.

Allowed only when the folder holds exactly what the last build wrote (its record says so, file
sizes and times included), in the same context (theme, configuration, pages, site-builder: the
content cache's context), and few papers changed. Then each unchanged paper's files are already
there and its pieces for the publications page and the feed come from the content cache; only
the changed papers' files and the pages that list papers are rendered. Everything is rendered
before the first file is written, so a failed build leaves the folder as it was; each file is
replaced in one atomic rename, and the build record is dropped before the first one (a build
killed half-way leaves no record, so the next build is a full one).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from site_builder import build_cache

if TYPE_CHECKING:
    from site_builder.content_cache import ContentCache
    from site_builder.render import Renderer

MOST_CHANGED = 0.1  # above this share of changed papers, a full build into a fresh folder


def update_in_place(output: Path, renderer: Renderer, cache: ContentCache,
                    static_count: int) -> tuple[int, dict[str, str]] | None:
    """Update output for this build and return (files in it, slug -> cache key of each paper's
    files), or None (nothing written) when a full build is needed."""
    from site_builder.writer import remove_folders, update_files

    previous = build_cache.untouched_build(output)
    if previous is None or previous.get("context") != cache.context:
        return None
    on_disk: dict[str, str] = previous.get("papers") or {}
    slugs = [pub.slug for pub in renderer.site.publications]
    changed = [slug for slug in slugs if on_disk.get(slug) is None or cache.rendered_key(slug) != on_disk[slug]]
    if not on_disk or len(changed) > max(10, MOST_CHANGED * len(slugs)):
        return None
    pending: list[tuple[str, str]] = []
    paper_files, keys = renderer.write_papers(lambda path, text: pending.append((path, text)), cache=cache,
                                              on_disk=on_disk, jobs=1)
    pages = list(renderer.pages())
    build_cache.forget_build(output)
    update_files(output, pending + pages)
    remove_folders(output, [f"papers/{slug}" for slug in on_disk.keys() - set(slugs)])
    return static_count + paper_files + len(pages), keys
