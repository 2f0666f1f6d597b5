"""al-folio's bare file names in a .bib entry (`preview`, `pdf`, `supp`, `poster`, `slides`, `html`) as
site paths.

al-folio keeps a paper's thumbnail in assets/img/publication_preview/ and its PDFs in assets/pdf/,
and an entry names them by file name only (`preview={brownian-motion.gif}`). In a site-builder
site these files live under content/files/ (where `migrate` copies them), so the name becomes
the site path /files/img/publication_preview/<name> or /files/pdf/<name>. A file kept instead in
al-folio's own place under content/theme/static/assets/ is used from there. A value with `://`
is a URL and stays as it is; one starting with '/' is already a site path.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

# field -> the folder below al-folio's assets/ (and below content/files/)
FOLDERS = {"preview": "img/publication_preview", "pdf": "pdf", "supp": "pdf", "poster": "pdf", "slides": "pdf",
           "html": "html"}  # al-folio: an "HTML" link to assets/html/<name>


def is_bare_name(value: str) -> bool:
    return "://" not in value and not value.startswith(("/", "mailto:"))


def site_file(field: str, value: str, content_root: Path | None) -> tuple[str, str]:
    """(site path or URL, problem or ''). The path is '' when the name leaves its folder ('../');
    when the file is missing the path is kept, so the link works once the file is added."""
    if not is_bare_name(value):
        return value, ""
    name = posixpath.normpath(value.replace("\\", "/"))
    if name.startswith(("../", "/")) or name in ("..", "."):
        return "", f"'{field}' {value!r} is not a file name inside assets/{FOLDERS[field]}/; it is dropped"
    path = f"files/{FOLDERS[field]}/{name}"
    if content_root is None or (content_root / path).is_file():
        return "/" + path, ""
    al_folio_place = f"assets/{FOLDERS[field]}/{name}"
    if (content_root / "theme" / "static" / al_folio_place).is_file():
        return "/" + al_folio_place, ""
    return "/" + path, (f"'{field}' file {name!r} is not in the site; put it at "
                        f"{content_root / path} (the {'thumbnail' if field == 'preview' else 'link'} points there)")
