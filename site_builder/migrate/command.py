"""`site-builder migrate PATH [--into DIR] [--force]`: recognise the old site, read it with its
adapter, check what it gives, write the new site with the one writer, report."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Callable

from site_builder.errors import ContentError, SiteError
from site_builder.migrate.bodies import SiteLinks, convert_body, has_html
from site_builder.migrate.plan import Migration
from site_builder.migrate.report import report_markdown, summary_line
from site_builder.migrate.writer import MANIFEST, write_migration


def detect(source: Path) -> str:
    """'al-folio', 'academicpages' or 'hugo-blox'; SiteError when it is none of them."""
    config = source / "_config.yml"
    if config.is_file():
        text = config.read_text(encoding="utf-8", errors="replace")
        academicpages = "academicpages" in text.lower() and "al-folio" not in text
        if (source / "_bibliography").is_dir() and not academicpages:  # academicpages with jekyll-scholar: below
            return "al-folio"
        if (source / "_publications").is_dir() or academicpages:
            return "academicpages"
        if "al-folio" in text or re.search(r"^scholar:", text, re.MULTILINE):
            return "al-folio"
        if re.search(r"^author:", text, re.MULTILINE):
            return "academicpages"
    hugo = [source / "config" / "_default", *(source / f"{n}.{s}" for n in ("hugo", "config")
                                              for s in ("yaml", "yml", "toml"))]
    if any(p.exists() for p in hugo) and (source / "content").is_dir():
        return "hugo-blox"
    raise SiteError(f"{source}: not an al-folio, academicpages or Hugo Blox site (no _config.yml with "
                    "_bibliography/ or _publications/, and no Hugo config with content/); give the folder "
                    "of the old site's checkout")


def _adapter(kind: str) -> Callable[[Migration], SiteLinks]:
    if kind == "al-folio":
        from site_builder.migrate.alfolio import read_alfolio
        return read_alfolio
    if kind == "academicpages":
        from site_builder.migrate.academicpages import read_academicpages
        return read_academicpages
    from site_builder.migrate.hugoblox import read_hugoblox
    return read_hugoblox


def run_migrate(args: argparse.Namespace) -> int:
    source = Path(args.path)
    if not source.is_dir():
        raise SiteError(f"{source}: no such folder; give the folder of the old site's checkout")
    source = source.resolve()
    target = Path(args.into) if args.into else Path(f"{source.name}-site-builder")
    resolved = target.resolve()
    if resolved == source or resolved.is_relative_to(source) or source.is_relative_to(resolved):
        raise SiteError(f"{target}: the new site cannot be inside the old one (or hold it); choose a folder "
                        "outside it with --into")
    if resolved.exists() and not resolved.is_dir():
        raise SiteError(f"{target} exists and is not a folder; choose another --into")
    if resolved.is_dir() and any(resolved.iterdir()) and not (resolved / MANIFEST).is_file() and not args.force:
        raise SiteError(f"{target} is not empty; choose a new folder, or add --force to write into it "
                        "(files already there are kept)")
    migration = migrate(source)
    text = report_markdown(migration, str(target))
    written = write_migration(migration, resolved, args.force, text)
    remarks = build_remarks(resolved)
    if remarks:  # the report explains what the first build of the new site will say
        text = report_markdown(migration, str(target), remarks)
        write_migration(migration, resolved, args.force, text)  # the same files, but MIGRATION.md
    print(text)
    for name in written.kept:
        print(f"warning: {target / name}: edited by hand (or not made by migrate), left as it is"
              + ("" if args.force else "; use --force to overwrite what migrate wrote"))
    for name in written.refused:
        print(f"warning: {name}: points outside the old site; not copied")
    counts = written.counts
    print(f"migrated {source.name} ({migration.kind}) into {target}: {summary_line(migration)}; files "
          f"{counts['added']} added, {counts['updated']} updated, {counts['unchanged']} unchanged, "
          f"{counts['removed']} removed, {len(written.kept)} kept")
    return 0


def build_remarks(site: Path) -> list[str]:
    """What reading the new site says (its warnings, or the error that stops the build), with
    paths relative to the site, so that MIGRATION.md can explain each."""
    from site_builder.build import load_site

    try:
        loaded, _ = load_site(site / "content")
    except SiteError as exc:
        found = [f"the build stops: {exc}"]
    else:
        found = list(loaded.warnings)
    return [remark.replace(f"{site}/", "") for remark in found]


def migrate(source: Path) -> Migration:
    """Read the old site into a checked Migration (nothing is written)."""
    kind = detect(source)
    migration = Migration(source=source, kind=kind)
    links = _adapter(kind)(migration)
    html = 0
    for item in migration.items + migration.unpublished:
        if item.depth is not None:
            item.body = convert_body(item.body, source / item.origin, item.body_line, migration, links)
            html += has_html(item.body)
    if html:
        migration.site["allow_html"] = True
        migration.convert(f"{html} files hold HTML, as Jekyll and Hugo allow: 'allow_html: true' in site.yaml")
    _check_papers(migration)
    _check_profiles(migration)
    return migration


def _check_papers(migration: Migration) -> None:
    """A paper that would stop the build is kept under unpublished/ and reported."""
    from site_builder.frontmatter import SourceFile
    from site_builder.markup import MarkdownRenderer
    from site_builder.models import Owner
    from site_builder.papers import publication_from_source

    markdown = MarkdownRenderer(allow_html=True)
    for item in [i for i in migration.items if i.folder == "papers"]:
        try:
            publication_from_source(SourceFile(Path(item.origin), item.meta, item.body, 1), markdown,
                                    Owner(""), [])
        except ContentError as exc:
            migration.items.remove(item)
            migration.unpublished.append(item)
            migration.carried["papers"] -= 1
            migration.leave(migration.source / item.origin, None, f"{exc.message}; kept in "
                            f"unpublished/papers/{item.slug}.md to fix by hand")


def _check_profiles(migration: Migration) -> None:
    from site_builder.profiles import load_profiles

    profiles = migration.site.get("profiles") or {}
    for kind, value in list(profiles.items()):
        problems: list[str] = []
        load_profiles({kind: value}, problems)
        if problems:
            del profiles[kind]
            migration.carried["social links"] -= 1
            migration.leave(migration.source, None, f"social link {kind}: {value}: {problems[0]}")

