"""Machine-readable metadata: Google Scholar (Highwire Press) tags, schema.org JSON-LD, and the
dates that feed.xml and sitemap.xml carry. Data in, data out: Publication and SiteConfig in,
tag lists, plain dicts and dates out. Templates print the dicts with Jinja's `tojson`, which
escapes <, > and & so no text can close the <script> element."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any
from urllib.parse import urljoin

from site_builder.bibtex import entry_type
from site_builder.models import Item, Publication, Site, SiteConfig

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_PAGES = re.compile(r"\s*(\w+)\s*(?:-+|–|—)\s*(\w+)\s*")
_DOI = re.compile(r"\b(10\.\d{4,9}/\S+)")
_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/([^?#\s]+?)(?:\.pdf)?/?$", re.IGNORECASE)
# Scholar's venue tag for each BibTeX type; other types (misc: preprints) get none.
_SCHOLAR_VENUE = {
    "article": "citation_journal_title",
    "inproceedings": "citation_conference_title",
    "conference": "citation_conference_title",
    "phdthesis": "citation_dissertation_institution",
    "mastersthesis": "citation_dissertation_institution",
    "techreport": "citation_technical_report_institution",
}


# ---- dates ---------------------------------------------------------------------------------

def publication_month(pub: Publication) -> int | None:
    """The month from 'date', else from a 'month' field (5, 05, may, May), else None."""
    if pub.date is not None:
        return pub.date.month
    text = dict(pub.extra).get("month", "").strip().lower()
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    return _MONTHS.index(text[:3]) + 1 if text[:3] in _MONTHS else None


def scholar_date(pub: Publication) -> str:
    """citation_publication_date: 2024/05/31 when the day is known, else the year alone ('' for
    a forthcoming paper)."""
    return pub.date.strftime("%Y/%m/%d") if pub.date else str(pub.year or "")


def iso_date(pub: Publication) -> str:
    """schema.org datePublished at the precision the paper gives: 2024-05-31, 2024-05 or 2024
    ('' for a forthcoming paper)."""
    if pub.date is not None:
        return pub.date.isoformat()
    if pub.year is None:
        return ""
    month = publication_month(pub)
    return f"{pub.year}-{month:02d}" if month else str(pub.year)


def content_date(pub: Publication) -> dt.date | None:
    """A full date for the paper (feed `updated`, sitemap `lastmod`): missing parts become the
    first day of the month or year, the earliest date the paper's data allows. None for a
    forthcoming paper without a date."""
    if pub.date is not None or pub.year is None:
        return pub.date
    return dt.date(pub.year, publication_month(pub) or 1, 1)


def site_date(site: Site) -> dt.date | None:
    """The newest paper's date: when the listings last changed. None for a site without papers."""
    return max((day for day in map(content_date, site.publications) if day is not None), default=None)


# ---- URLs and identifiers -------------------------------------------------------------------

def absolute_url(link: str, config: SiteConfig, page_path: str = "") -> str:
    """link as an absolute http(s) URL: site-root paths ('/x.pdf') against the site's url,
    relative ones against the page's address; '' when that needs a url the site does not set."""
    if link.startswith(("http://", "https://")):
        return link
    if not link or not config.url or ":" in link.split("/", 1)[0]:
        return ""
    if link.startswith(("/", "files/")):  # files/x.pdf is the site's files folder from every page
        return config.url + link.lstrip("/")
    return urljoin(config.url + page_path, link)


def card_image(url: str) -> str:
    """The image for Open Graph and Twitter cards: '' for SVG, which their previews do not show."""
    return "" if url.lower().split("?", 1)[0].endswith(".svg") else url


def doi_of(pub: Publication) -> str:
    match = _DOI.search(pub.link("doi"))
    return match.group(1) if match else ""


def arxiv_id_of(pub: Publication) -> str:
    match = _ARXIV.search(pub.link("arxiv"))
    return match.group(1) if match else ""


def page_range(pub: Publication) -> tuple[str, str]:
    """(first page, last page) from 'pages' (12--34, 12-34, 12–34 or a single page)."""
    pages = dict(pub.extra).get("pages", "")
    match = _PAGES.fullmatch(pages)
    if match:
        return match.group(1), match.group(2)
    return (pages.strip(), "") if pages.strip() else ("", "")


def _venue_name(pub: Publication) -> str:
    return pub.venue[3:] if pub.venue.startswith("In ") else pub.venue


# ---- Google Scholar ------------------------------------------------------------------------

def scholar_tags(pub: Publication, config: SiteConfig) -> list[tuple[str, str]]:
    """(name, content) for each Highwire Press <meta> tag, as Google Scholar's inclusion
    guidelines list them: one citation_author per author, in order."""
    extra = dict(pub.extra)
    tags = [("citation_title", pub.title)]
    tags += [("citation_author", author.name) for author in pub.authors]
    if scholar_date(pub):
        tags.append(("citation_publication_date", scholar_date(pub)))
    venue_tag = _SCHOLAR_VENUE.get(entry_type(pub))
    if venue_tag and pub.venue:
        tags.append((venue_tag, _venue_name(pub)))
    first, last = page_range(pub)
    for name, value in (("citation_volume", extra.get("volume", "")),
                        ("citation_issue", extra.get("issue", "")),
                        ("citation_firstpage", first), ("citation_lastpage", last),
                        ("citation_publisher", extra.get("publisher", "")),
                        ("citation_doi", doi_of(pub)),
                        ("citation_arxiv_id", arxiv_id_of(pub)),
                        ("citation_pdf_url", absolute_url(pub.link("pdf"), config, pub.url_path)),
                        ("citation_abstract_html_url", absolute_url(pub.url_path, config))):
        if value:
            tags.append((name, value))
    return tags


# ---- schema.org JSON-LD ----------------------------------------------------------------------

def _person(name: str, url: str = "") -> dict[str, Any]:
    person: dict[str, Any] = {"@type": "Person", "name": name}
    if url:
        person["url"] = url
    return person


def _venue(pub: Publication) -> dict[str, Any] | None:
    """isPartOf: the journal (with volume and issue when known) or the proceedings."""
    if not pub.venue:
        return None
    extra = dict(pub.extra)
    if entry_type(pub) != "article":
        return {"@type": "CreativeWork", "name": _venue_name(pub)}
    part: dict[str, Any] = {"@type": "Periodical", "name": _venue_name(pub)}
    if extra.get("volume"):
        part = {"@type": "PublicationVolume", "volumeNumber": extra["volume"], "isPartOf": part}
    if extra.get("issue"):
        part = {"@type": "PublicationIssue", "issueNumber": extra["issue"], "isPartOf": part}
    return part


def paper_jsonld(pub: Publication, config: SiteConfig, image: str = "") -> dict[str, Any]:
    """A ScholarlyArticle: the paper's own date, authors in order, venue, identifiers."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": pub.title,
        "name": pub.title,
        "author": [_person(a.name, a.url) for a in pub.authors],
        "datePublished": iso_date(pub),
    }
    if not data["datePublished"]:  # a forthcoming paper
        del data["datePublished"]
    url = absolute_url(pub.url_path, config)
    first, last = page_range(pub)
    publisher = dict(pub.extra).get("publisher", "")
    same_as = [link for link in (pub.link("doi"), pub.link("arxiv")) if link.startswith("http")]
    optional = {
        "isPartOf": _venue(pub),
        "publisher": {"@type": "Organization", "name": publisher} if publisher else None,
        "pageStart": first,
        "pageEnd": last,
        "abstract": pub.abstract_text,
        "url": url,
        "mainEntityOfPage": url,
        "sameAs": same_as,
        "identifier": ({"@type": "PropertyValue", "propertyID": "DOI", "value": doi_of(pub)}
                       if doi_of(pub) else None),
        "award": pub.award,
        "keywords": ", ".join(pub.tags),
        "image": image,
    }
    data.update((key, value) for key, value in optional.items() if value)
    return data


def home_jsonld(site: Site) -> dict[str, Any]:
    """The owner as a Person (sameAs: the profile links, then external links in the menu) and
    the WebSite."""
    config = site.config
    person = _person(config.owner.name or config.title, config.url)
    links = [p.url for p in config.profiles] + [item.path for item in config.nav]
    same_as = [url for url in dict.fromkeys(links) if url.startswith(("http://", "https://"))]
    emails = [p.url.removeprefix("mailto:") for p in config.profiles if p.url.startswith("mailto:")]
    organization = {"@type": "Organization", "name": config.affiliation} if config.affiliation else None
    details = {"sameAs": same_as, "email": emails[0] if emails else "", "affiliation": organization,
               "image": absolute_url(config.photo, config)}
    person.update((key, value) for key, value in details.items() if value)
    if config.url:
        person["@id"] = config.url + "#person"
    website: dict[str, Any] = {"@type": "WebSite", "name": config.title}
    if config.url:
        website["url"] = config.url
    if config.description:
        website["description"] = config.description
    website["author"] = {"@id": person["@id"]} if config.url else _person(person["name"])
    return {"@context": "https://schema.org", "@graph": [person, website]}


def publications_jsonld(site: Site) -> dict[str, Any]:
    """The publications page as a CollectionPage by the site's owner (the home page's Person).
    No ItemList of the papers: each is in the page's h-cite markup, in the sitemap and in its own
    page's ScholarlyArticle, and their URLs again would make the heaviest page heavier by about
    115 bytes a paper (7 KB of the example's 150 KB budget)."""
    config = site.config
    name = config.owner.name or config.title
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "CollectionPage",
                            "name": f"Publications of {name}"}
    if config.url:
        data["url"] = config.url + "publications/"
    data["author"] = {"@id": config.url + "#person"} if config.url else _person(name)
    return data


def post_jsonld(item: Item, config: SiteConfig, description: str) -> dict[str, Any]:
    """A post as a BlogPosting by the site's owner (the home page's Person)."""
    name = config.owner.name or config.title
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "BlogPosting", "headline": item.title,
                            "datePublished": item.date.isoformat() if item.date else "",
                            "author": {"@id": config.url + "#person"} if config.url else _person(name)}
    url = absolute_url(item.url_path, config)
    optional = {"url": url, "mainEntityOfPage": url, "description": description,
                "keywords": ", ".join(item.tags), "image": absolute_url(item.image, config, item.url_path)}
    data.update((key, value) for key, value in optional.items() if value)
    return data


# ---- feed.xml and sitemap.xml ----------------------------------------------------------------

def atom_time(day: dt.date | None) -> str:
    """An RFC 3339 time at midnight UTC; the Unix epoch for a site without any dated content."""
    return f"{(day or dt.date(1970, 1, 1)).isoformat()}T00:00:00Z"


def atom_id(path: str, config: SiteConfig) -> str:
    """A permanent id: the absolute URL when the site's url is set, else a name-based UUID URN
    (Atom ids must be absolute IRIs; a relative link is not one)."""
    if config.url:
        return config.url + path
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, config.title + '/' + path)}"


def sitemap_entries(site: Site, url_paths: list[str]) -> list[tuple[str, str]]:
    """(absolute URL, lastmod) for each page address; [] without a site url, since a sitemap needs
    absolute URLs. lastmod comes from the content's own dates, never from the clock or file
    times, so two builds of one checkout give the same bytes: a paper page has its paper's date,
    a post or past talk its own; every other page the newest paper's date (the listings change when a paper is added)."""
    config = site.config
    if not config.url:
        return []
    newest = site_date(site)
    listing = newest.isoformat() if newest else ""
    days = {pub.url_path: day.isoformat() if day else listing
            for pub in site.publications for day in [content_date(pub)]}
    days.update((item.url_path, item.date.isoformat()) for item in site.items  # a post, a past talk
                if item.date and not site.upcoming(item))
    return [(config.url + path, days.get(path, listing)) for path in url_paths]
