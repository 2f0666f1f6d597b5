"""The site's data: plain frozen dataclasses, no file I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from site_builder.names import OwnerNames

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


# Paper fields holding citation-badge ids -> the name a site turns the badge on with (site.yaml 'badges').
BADGE_FIELDS = {"altmetric": "altmetric", "dimensions": "dimensions", "google_scholar_id": "google_scholar",
                "inspirehep_id": "inspire"}


@dataclass(frozen=True)
class Owner:
    name: str
    variants: tuple[str, ...] = ()

    @cached_property
    def _names(self) -> OwnerNames:
        return OwnerNames(self.name, self.variants)

    def matches(self, author_name: str) -> bool:
        """The owner's name in any usual spelling, or one of the variants (names.py)."""
        return self._names.matches(author_name)


def _casefold_first(text: str) -> tuple[str, str]:
    """Sort key: case-insensitive, then exact, so the order never depends on set order."""
    return text.casefold(), text


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
    home_posts: int = 3  # the latest posts on the home page
    home_talks: int = 3  # upcoming talks on the home page
    publications_group: str = "year"  # 'year', 'type' or 'year-type' (types inside years)
    badges: tuple[str, ...] = ()  # citation badges: altmetric, dimensions, google_scholar, inspire
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
    month: int | None = None  # 1-12, from 'month' or 'date': orders papers inside a year
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
    additional_info_html: str = ""  # al-folio's Markdown note after the venue line, rendered inline
    annotation_html: str = ""  # al-folio's note on the authors, escaped, lines joined with <br>
    title_html: str = ""  # the title with LaTeX rendered (emphasis, MathML), when it had any
    bibtex_key: str = ""  # the citation key to export ('' -> the slug)
    bibtex_fields: tuple[tuple[str, str], ...] = ()  # exported BibTeX fields, display-only ones left out
    # Ids for citation badges (shown when the site turns them on): 'true' means "use the DOI".
    altmetric: str = ""
    dimensions: str = ""
    google_scholar_id: str = ""
    inspirehep_id: str = ""

    def badge(self, field_name: str) -> str:
        """A badge field's value ('altmetric' -> '248277'), '' when the paper has none."""
        return getattr(self, field_name) if field_name in BADGE_FIELDS else ""

    @property
    def badges(self) -> tuple[tuple[str, str], ...]:
        """The badge fields this paper has, as (field, value)."""
        return tuple((key, getattr(self, key)) for key in BADGE_FIELDS if getattr(self, key))

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
class Item:
    """A post, talk, project or teaching entry (collection.KINDS declares each kind and its
    fields; a field a kind does not take keeps its default)."""

    collection: str  # the content folder: 'posts', 'talks' ...
    section: str  # the address: 'blog', 'talks' ...
    slug: str
    title: str
    source: Path
    html: str = ""  # the rendered body, safe to insert
    text: str = ""  # the body as plain text
    has_page: bool = True  # talks and teaching entries have a page only when they have a body
    date: dt.date | None = None
    summary: str = ""
    image: str = ""
    tags: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    draft: bool = False
    order: int | None = None
    event: str = ""
    location: str = ""
    kind: str = ""  # invited, keynote ... for talks; 'Graduate course' ... for teaching
    term: str = ""
    institution: str = ""
    paper: str = ""  # a talk's paper slug
    papers: tuple[str, ...] = ()  # a project's paper slugs

    @property
    def url_path(self) -> str:
        return f"{self.section}/{self.slug}/"

    @property
    def reading_minutes(self) -> int:
        """Reading time at 200 words a minute, at least one."""
        return max(1, round(len(self.text.split()) / 200))


@dataclass(frozen=True)
class CVEntry:
    title: str = ""
    degree: str = ""
    organization: str = ""
    location: str = ""
    when: str = ""  # '2020', '2018 – 2022', '2022 – present'
    url: str = ""
    description_html: str = ""  # rendered Markdown, safe to insert


@dataclass(frozen=True)
class CVSection:
    key: str  # an id-safe name; 'publications' is filled from the site's papers
    title: str
    entries: tuple[CVEntry, ...] = ()


@dataclass(frozen=True)
class CV:
    source: Path  # cv.yaml or resume.json
    sections: tuple[CVSection, ...]
    pdf: str = ""  # a PDF version: a site path (files/cv.pdf) or an https URL


@dataclass(frozen=True)
class YearGroup:
    year: int | None  # None: the forthcoming papers
    publications: tuple[Publication, ...]


@dataclass(frozen=True)
class PaperGroup:
    """A section of the publications page: a year or a kind of paper, with kinds inside a year."""

    key: str  # the section's id: 'y2024', 'journal', 'y2024-journal'
    title: str
    publications: tuple[Publication, ...] = ()
    subgroups: tuple[PaperGroup, ...] = ()


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    publications: tuple[Publication, ...]  # newest first, in display order
    pages: tuple[Page, ...] = ()
    home: Page | None = None
    news: tuple[NewsItem, ...] = ()  # newest first
    cv: CV | None = None  # from cv.yaml or resume.json
    warnings: tuple[str, ...] = field(default=())
    items: tuple[Item, ...] = ()  # posts, talks, projects, teaching: each kind in display order
    today: dt.date | None = None  # the build's day (clock.build_day): decides upcoming talks

    def of(self, collection: str) -> tuple[Item, ...]:
        """The items of one collection ('posts', 'talks' ...) in display order."""
        return tuple(item for item in self.items if item.collection == collection)

    def publication(self, slug: str) -> Publication | None:
        return next((pub for pub in self.publications if pub.slug == slug), None)

    def talks_about(self, slug: str) -> tuple[Item, ...]:
        """The talks that name this paper."""
        return tuple(item for item in self.items if item.paper == slug)

    def upcoming(self, item: Item) -> bool:
        """Whether a talk is on the build's day or later."""
        return bool(item.date and self.today and item.date >= self.today)

    @property
    def upcoming_talks(self) -> tuple[Item, ...]:
        """The upcoming talks, soonest first."""
        return tuple(reversed([talk for talk in self.of("talks") if self.upcoming(talk)]))

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
