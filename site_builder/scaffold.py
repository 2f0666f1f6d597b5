"""`site-builder init DIR` writes a new site from the skeleton; `site-builder new paper|page`
adds a content file with every field present and explained."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from site_builder import __version__
from site_builder.errors import SiteError
from site_builder.papers import KNOWN_FIELDS
from site_builder.safety import safe_slug

SKELETON = Path(__file__).resolve().parent / "skeleton"
# Stored without the leading dot so that no packaging or git rule treats them as hidden files.
_DOT_NAMES = {"gitignore": ".gitignore", "github": ".github"}

PLACEHOLDER_OWNER = "Your Name"  # the skeleton's site.yaml says this until the user edits it
# Words a citation key skips to find the title's first significant word.
_MINOR_WORDS = {"a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "at", "by", "from",
                "towards", "toward"}

# Every paper field (papers.KNOWN_FIELDS), in the order a new paper file lists them: value, comment.
# A test fails when KNOWN_FIELDS gains a field that is not explained here.
PAPER_FIELDS = {
    "title": ("{title}", "required"),
    "authors": ("\n  - {owner}", "in order, one per line; your own name is shown in bold.\n"
                "#   More detail: - {{name: A. Person, url: https://..., equal: true, corresponding: true}}\n"
                "#   End with '- others' when the list is cut"),
    "year": ("{year}", "required: the year of publication"),
    "date": ("", "the exact date, like {year}-05-31; orders papers inside a year"),
    "order": ("", "a whole number that orders papers of one year that have no date"),
    "venue": ("", "where it appeared, in full: Conference on Example Studies (EXS)"),
    "venue_short": ("", "the short badge: EXS"),
    "bibtex_type": ("", "article (journal), inproceedings (conference), misc (preprint) ..."),
    "bibtex_key": ("{key}", "the citation key in the BibTeX export (empty: the file name)"),
    "bibtex": ("", "more BibTeX fields, kept as written for the export: {{eid: stag947}}"),
    "month": ("", "the month, 5 or may, when there is no date; orders papers inside a year"),
    "volume": ("", "journal volume"),
    "issue": ("", "journal issue (number)"),
    "pages": ("", "first and last page: 101--117"),
    "publisher": ("", "publisher: ACM, IEEE, Springer ..."),
    "doi": ("", "a bare DOI such as 10.1234/abcd becomes a link"),
    "arxiv": ("", "an arXiv id such as 2401.12345 becomes a link"),
    "links": ("\n  pdf:\n  code:\n  slides:\n  poster:\n  video:\n  website:",
              "buttons under the paper, 'label: https://...'; empty ones are left out"),
    "image": ("", "a preview picture: a file like files/paper.png (in content/files/), or an https:// URL"),
    "award": ("", "an award to highlight: Best Paper Award"),
    "additional_info": ("", "Markdown shown after the venue: *Oral*, [talk](https://...)"),
    "annotation": ("", "a note under the authors; <br> starts a new line"),
    "selected": ("false", "true lists the paper among the selected ones on the home page"),
    "tags": ("[]", "topics, like [vision, robustness]"),
    "note": ("", "a note kept in the BibTeX entry"),
    "altmetric": ("", "citation badges, shown when site.yaml's 'badges' turns them on: true (use the DOI)"),
    "dimensions": ("", "true (use the DOI), a DOI or a PubMed id, for the Dimensions badge"),
    "google_scholar_id": ("", "the paper's id in your Google Scholar profile (after 'citation_for_view=...:')"),
    "inspirehep_id": ("", "the paper's INSPIRE record number"),
    "import_hash": ("", "written by 'site-builder import' to notice hand edits; leave it empty"),
    "abstract": ("", "a one-line abstract here, or (better) Markdown below the closing '---'"),
}


def run_init(args: argparse.Namespace) -> int:
    target: Path = args.directory
    if target.exists() and not target.is_dir():
        raise SiteError(f"{target} exists and is not a folder; choose another name")
    if target.is_dir() and any(target.iterdir()) and not args.force:
        raise SiteError(f"{target} is not empty; choose a new folder, or add --force to add the "
                        "skeleton's files (existing files are kept)")
    written, kept = write_skeleton(target)
    print(f"created a new site in {target}/ ({len(written)} files)")
    for name in kept:
        print(f"  kept your existing {name}")
    move = "" if target.resolve() == Path.cwd().resolve() else f"cd {target} && "
    print("next:\n"
          f"  {move}site-builder serve   # preview at http://127.0.0.1:8000/ while you edit content/site.yaml\n"
          "  push the folder to a new GitHub repository (its workflow builds the site at every push)\n"
          "  on GitHub, in the repository's Settings -> Pages, set Source to 'GitHub Actions'")
    return 0


def write_skeleton(target: Path, only: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """Copy the skeleton into target, never overwriting a file; (written, kept) relative names.
    `only`: these top-level skeleton entries (e.g. 'gitignore', 'github'); all when empty."""
    written, kept = [], []
    for source in sorted(SKELETON.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        if only and source.relative_to(SKELETON).parts[0] not in only:
            continue
        parts = [_DOT_NAMES.get(p, p) for p in source.relative_to(SKELETON).parts]
        name = "/".join(parts)
        path = target.joinpath(*parts)
        if path.exists():
            kept.append(name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source.read_text(encoding="utf-8").replace("@VERSION@", __version__),
                        encoding="utf-8")
        written.append(name)
    return written, kept


def run_new(args: argparse.Namespace) -> int:
    from site_builder.config import require_site

    content: Path = args.content
    require_site(content)
    if args.kind == "paper":
        path = new_paper(content, args.name, dt.date.today().year)
        print(f"created {path}: fill in the fields, then 'site-builder serve' to see it")
    elif args.kind != "page":
        from site_builder.new_item import new_item

        path = new_item(content, args.kind, args.name, dt.date.today())
        print(f"created {path}: fill in the fields, then 'site-builder serve' to see it")
    else:
        from site_builder.config import load_config

        path = new_page(content, args.name)
        menu = "add it to 'nav' in site.yaml for the menu" if load_config(content).nav else "it is in the menu"
        print(f"created {path}: its address is {path.stem}/; {menu}")
    return 0


def new_paper(content: Path, title: str, year: int) -> Path:
    from site_builder.config import load_config

    title = " ".join(title.split())
    if not title:
        raise SiteError("the paper's title is empty; use site-builder new paper \"The Title\"")
    owner = load_config(content).owner.name
    folder = content / "papers"
    slug = safe_slug(title) or _free_slug(folder, f"paper-{year}")
    values = {"title": json.dumps(title, ensure_ascii=False), "year": year,
              "owner": _plain_or_quoted(owner or PLACEHOLDER_OWNER),
              "key": citation_key(owner, year, title)}
    lines = ["---"]
    for key, (value, comment) in PAPER_FIELDS.items():
        if key not in KNOWN_FIELDS:
            continue
        value = value.format(**values)
        comment = comment.format(**values)
        if value.startswith("\n"):  # a list or mapping: the comment goes above it
            lines.append(f"# {comment}\n{key}:{value}")
        else:
            lines.append(f"{key}: {value}".ljust(24) + f"  # {comment}")
    lines += ["---", "The abstract, in Markdown.", ""]
    return _create(folder / f"{slug}.md", "\n".join(lines))


def citation_key(owner: str, year: int, title: str) -> str:
    """The conventional BibTeX key, lastname2024firstword, or '' while the owner is not known
    (no name in site.yaml, or the skeleton's placeholder)."""
    if not owner or owner == PLACEHOLDER_OWNER:
        return ""
    last_name = safe_slug(owner.split(",")[0] if "," in owner else owner.split()[-1]).replace("-", "")
    words = [safe_slug(word).replace("-", "") for word in title.split()]
    first_word = next((w for w in words if w and w not in _MINOR_WORDS), "")
    return f"{last_name}{year}{first_word}" if last_name else ""


def new_page(content: Path, name: str) -> Path:
    slug = safe_slug(name)
    if not slug:
        raise SiteError(f"'{name}' has no letters or digits to make the page's address from; "
                        "use a name like 'teaching' or 'cv'")
    maker = next((content / name for name in _PAGE_MAKERS.get(slug, ()) if (content / name).exists()), None)
    if maker:
        raise SiteError(f"{maker} already makes the page {slug}/; edit it instead, or name the page otherwise")
    text = (f"---\ntitle: {json.dumps(page_title(name), ensure_ascii=False)}\n"
            "# nav_order: 1  # a whole number: the page's place among the pages\n"
            f"---\nWrite this page in Markdown. Its address is {slug}/.\n")
    return _create(content / "pages" / f"{slug}.md", text)


# A page's address -> the content that already makes a page there.
_PAGE_MAKERS = {"cv": ("cv.yaml", "resume.json")}


def page_title(name: str) -> str:
    """The title for a page named on the command line: 'teaching' -> 'Teaching',
    'reading-list' -> 'Reading list'; a name written with capitals is kept as it is."""
    title = " ".join(name.split())
    if title == title.lower():
        title = " ".join(title.replace("-", " ").replace("_", " ").split())
        title = title[:1].upper() + title[1:]
    return title


def _plain_or_quoted(text: str) -> str:
    """The text as a YAML list item: plain when YAML reads it back unchanged, else quoted."""
    import yaml

    try:
        if yaml.safe_load(f"- {text}") == [text]:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def _free_slug(folder: Path, stem: str) -> str:
    """stem, or stem-2, stem-3 ...: the first name no paper file has yet (for non-Latin titles)."""
    number = 1
    slug = stem
    while (folder / f"{slug}.md").exists():
        number += 1
        slug = f"{stem}-{number}"
    return slug


def _create(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise SiteError(f"{path} already exists; edit it, or choose another title or name") from None
    return path
