"""The site's data: plain frozen dataclasses, no file I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

# Link labels in the order their buttons appear; other labels follow alphabetically.
LINK_ORDER = ("pdf", "arxiv", "doi", "code", "slides", "poster", "video", "website")
LINK_TITLES = {
    "pdf": "PDF",
    "arxiv": "arXiv",
    "doi": "DOI",
    "code": "Code",
    "slides": "Slides",
    "poster": "Poster",
    "video": "Video",
    "website": "Website",
}


@dataclass(frozen=True)
class Owner:
    name: str
    variants: tuple[str, ...] = ()

    def matches(self, author_name: str) -> bool:
        wanted = _name_key(author_name)
        return any(wanted == _name_key(n) for n in (self.name, *self.variants))


def _casefold_first(text: str) -> tuple[str, str]:
    """Sort key: case-insensitive, then exact, so the order never depends on set order."""
    return text.casefold(), text


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class NavItem:
    title: str
    path: str  # site-relative ("publications/") or an absolute http(s) URL

    @property
    def external(self) -> bool:
        return self.path.startswith(("http://", "https://", "mailto:"))


@dataclass(frozen=True)
class Profile:
    kind: str  # 'github', 'orcid' ... (names the icon)
    label: str  # 'GitHub', for screen readers
    url: str


@dataclass(frozen=True)
class NewsItem:
    date: dt.date
    html: str  # rendered Markdown, safe to insert
    source: Path


@dataclass(frozen=True)
class SiteConfig:
    """Everything site.yaml holds, checked, with defaults applied."""

    root: Path  # the content folder
    title: str
    owner: Owner
    description: str = ""
    url: str = ""  # absolute base URL ending in '/', or '' when unknown
    nav: tuple[NavItem, ...] = ()  # as written in site.yaml; () lets the theme build it
    theme: str = "default"
    language: str = "en"
    bio: str = ""
    author_limit: int = 0  # 0: show every author
    footer: str = ""
    cname: str = ""  # custom domain for GitHub Pages ('' when none)
    image: str = ""  # default sharing image: a site path or an http(s) URL
    photo: str = ""  # portrait on the home page: a site path or an https URL
    affiliation: str = ""
    profiles: tuple[Profile, ...] = ()
    news_count: int = 5  # news items on the home page
    allow_html: bool = False  # trust raw HTML in Markdown (otherwise it is shown as text)
    feed_limit: int = 50  # the newest papers in feed.xml; 0: every paper
    forthcoming_title: str = "Forthcoming"  # the heading of papers without a year, above the newest

    @property
    def feed_count(self) -> int | None:
        """How many papers feed.xml holds, as a slice end: None for every paper."""
        return self.feed_limit or None


@dataclass(frozen=True)
class Author:
    name: str
    url: str = ""
    equal: bool = False
    corresponding: bool = False
    is_owner: bool = False


@dataclass(frozen=True)
class Link:
    label: str  # key as written in the content file, lower case
    url: str

    @property
    def title(self) -> str:
        return LINK_TITLES.get(self.label, self.label.replace("_", " ").capitalize())


@dataclass(frozen=True)
class Publication:
    slug: str
    title: str
    year: int | None  # None: forthcoming (in press, submitted), listed above the newest year
    source: Path
    authors: tuple[Author, ...] = ()
    more_authors: bool = False  # the list ends in "and others"
    venue: str = ""
    venue_short: str = ""
    date: dt.date | None = None
    order: int | None = None
    award: str = ""
    selected: bool = False
    links: tuple[Link, ...] = ()
    tags: tuple[str, ...] = ()
    bibtex_type: str = ""
    abstract_html: str = ""  # rendered Markdown, safe to insert
    abstract_text: str = ""  # plain text, for descriptions and metadata
    extra: tuple[tuple[str, str], ...] = ()  # volume, pages, publisher ... as strings
    image: str = ""  # preview image for sharing: a site path or an http(s) URL
    title_html: str = ""  # the title with LaTeX rendered (emphasis, MathML), when it had any
    bibtex_key: str = ""  # the citation key to export ('' -> the slug)
    bibtex_fields: tuple[tuple[str, str], ...] = ()  # exported BibTeX fields, display-only ones left out

    def link(self, label: str) -> str:
        return next((link.url for link in self.links if link.label == label), "")

    @property
    def url_path(self) -> str:
        return f"papers/{self.slug}/"

    @property
    def has_equal(self) -> bool:
        return any(a.equal for a in self.authors)


@dataclass(frozen=True)
class Page:
    slug: str  # '' for the home page body
    title: str
    html: str
    source: Path
    nav_order: int | None = None

    @property
    def url_path(self) -> str:
        return f"{self.slug}/" if self.slug else ""


@dataclass(frozen=True)
class YearGroup:
    year: int | None  # None: the forthcoming papers
    publications: tuple[Publication, ...]


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    publications: tuple[Publication, ...]  # newest first, in display order
    pages: tuple[Page, ...] = ()
    home: Page | None = None
    news: tuple[NewsItem, ...] = ()  # newest first
    warnings: tuple[str, ...] = field(default=())

    @property
    def years(self) -> tuple[YearGroup, ...]:
        groups: dict[int | None, list[Publication]] = {}
        for pub in self.publications:
            groups.setdefault(pub.year, []).append(pub)
        return tuple(YearGroup(y, tuple(p)) for y, p in groups.items())

    @property
    def selected(self) -> tuple[Publication, ...]:
        return tuple(p for p in self.publications if p.selected)

    @property
    def venues(self) -> tuple[str, ...]:
        """Every venue as listings name it (the short name, else the full one), for filters."""
        return tuple(sorted({p.venue_short or p.venue for p in self.publications} - {""}, key=_casefold_first))

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(sorted({tag for p in self.publications for tag in p.tags}, key=_casefold_first))

    @property
    def has_equal(self) -> bool:
        """Whether some paper marks authors of equal contribution (the listing's legend says so)."""
        return any(p.has_equal for p in self.publications)

    @property
    def has_corresponding(self) -> bool:
        return any(a.corresponding for p in self.publications for a in p.authors)
