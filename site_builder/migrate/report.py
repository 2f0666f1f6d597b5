"""The migration report: printed and written to MIGRATION.md in the new site."""

from __future__ import annotations

from site_builder.migrate.plan import Migration


def report_markdown(migration: Migration, target_name: str, remarks: list[str] | None = None) -> str:
    """`remarks`: what a build of the new site warns about, each explained by the old site's
    problem listed above it (a duplicate BibTeX key, a field with no counterpart ...)."""
    lines = [f"# Migration from {migration.kind}", "",
             f"`site-builder migrate` read the {migration.kind} site in `{migration.source.name}/` and "
             f"wrote this site. Nothing in the old site was changed.", "", "## Carried over", ""]
    for label, count in sorted(migration.carried.items()):
        lines.append(f"- {label}: {count}")
    if not migration.carried:
        lines.append("- nothing")
    lines += ["", "## Converted", ""]
    lines += [f"- {note}" for note in migration.converted] or ["- nothing needed converting"]
    if migration.unpublished:
        lines += ["", "## Kept, not published", "",
                  "Not published on the old site (drafts, `published: false`) or the text of a page that "
                  "site-builder now generates; kept under `unpublished/`, outside `content/`:", ""]
        lines += [f"- `unpublished/{i.folder}/{i.slug}.md` from `{i.origin}`" for i in migration.unpublished]
    lines += ["", f"## Not carried over ({len(migration.left)})", ""]
    lines += [f"- `{entry.place}`: {entry.what}" for entry in migration.left] or ["- nothing"]
    if remarks:
        lines += ["", f"## Warnings at build ({len(remarks)})", "",
                  "`site-builder build` will say these about the new site; each comes from the old site as "
                  "it was (see above), and goes away once you fix it in `content/`:", ""]
        lines += [f"- {remark}" for remark in remarks]
    lines += ["", "## Next", "", f"    cd {target_name}", "    site-builder serve    # look at every page",
              "    site-builder check    # every internal link", ""]
    return "\n".join(lines)


def summary_line(migration: Migration) -> str:
    carried = ", ".join(f"{count} {label}" for label, count in sorted(migration.carried.items()))
    return f"carried over: {carried or 'nothing'}; not carried over: {len(migration.left)} (see MIGRATION.md)"
