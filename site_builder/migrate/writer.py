"""The one writer of a migration: content files as YAML front matter (dumped by PyYAML) and
Markdown, data files, copied files, .gitignore and the workflow that `init` writes.

Run again, it keeps hand edits as `import` does: it remembers the digest of every file it
wrote (in .site-builder-migrate.json); a file whose digest no longer matches was edited by
hand and is left alone unless --force. It never overwrites a file it did not write."""

from __future__ import annotations

import collections
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.migrate.plan import Item, Migration, dump_yaml
from site_builder.scaffold import write_skeleton

MANIFEST = ".site-builder-migrate.json"


@dataclass
class WriteReport:
    counts: collections.Counter = field(default_factory=collections.Counter)
    kept: list[str] = field(default_factory=list)  # edited by hand or not ours: left as they are
    refused: list[str] = field(default_factory=list)  # old files outside the old site (symlinks)


def content_file(item: Item) -> str:
    header = f"# Carried over from {item.origin} by `site-builder migrate`; edit freely.\n"
    return f"---\n{header}{dump_yaml(item.meta) if item.meta else ''}---\n{item.body.strip()}\n"


def planned_files(migration: Migration) -> dict[str, bytes | Path]:
    """Every file of the new site: path relative to the site folder -> text or old file."""
    header = "# Carried over by `site-builder migrate`; see MIGRATION.md. Edit freely.\n"
    files: dict[str, bytes | Path] = {"content/site.yaml": (header + dump_yaml(migration.site)).encode()}
    for item in migration.items:
        files[f"content/{item.folder}/{item.slug}.md"] = content_file(item).encode()
    for item in migration.unpublished:
        files[f"unpublished/{item.folder}/{item.slug}.md"] = content_file(item).encode()
    for name, text in migration.data_files.items():
        files[f"content/{name}"] = (header + text).encode()
    for name, old in migration.copies.items():
        files[f"content/{name}"] = old
    return files


def write_migration(migration: Migration, target: Path, force: bool, report_text: str) -> WriteReport:
    report = WriteReport()
    source_root = migration.source.resolve()
    manifest_path = target / MANIFEST
    try:
        written = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        written = {}
    files = planned_files(migration)
    files["MIGRATION.md"] = report_text.encode()
    for relative, data in files.items():
        if isinstance(data, Path):
            if not data.resolve().is_relative_to(source_root):
                report.refused.append(f"{migration.relative(data)} (a link to {data.resolve()})")
                continue
            data = data.read_bytes()
        path = target / relative
        if not path.parent.resolve().is_relative_to(target.resolve()):  # a folder linked elsewhere
            report.kept.append(relative)
            continue
        digest = hashlib.sha256(data).hexdigest()
        if path.is_file() or path.is_symlink():
            current = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
            if current == digest:
                report.counts["unchanged"] += 1
                written[relative] = digest
                continue
            if written.get(relative) != current and not (force and relative in written):
                report.kept.append(relative)
                continue
            report.counts["updated"] += 1
        else:
            report.counts["added"] += 1
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
        written[relative] = digest
    for relative in [name for name in written if name not in files]:
        _remove_if_untouched(target / relative, written.pop(relative), report)
    added, _ = write_skeleton(target, only=("gitignore", "github"))
    report.counts["added"] += len(added)
    manifest_path.write_text(json.dumps(written, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return report


def _remove_if_untouched(path: Path, digest: str, report: WriteReport) -> None:
    """A file an earlier run wrote for something the old site no longer has: removed when it is
    as written then, else left to you."""
    if path.is_file() and not path.is_symlink() and hashlib.sha256(path.read_bytes()).hexdigest() == digest:
        path.unlink()
        report.counts["removed"] += 1
