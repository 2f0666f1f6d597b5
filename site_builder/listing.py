"""How the publications page groups papers (site.yaml's `publications_group`): by year (the
default), by kind of paper instead of years ('type'), or by kind inside each year ('year-type')."""

from __future__ import annotations

from site_builder.bibtex import entry_type
from site_builder.models import PaperGroup, Publication, Site

# Kinds in the order their sections appear, with their headings.
KINDS = {"journal": "Journal articles", "conference": "Conference papers", "chapter": "Books and chapters",
         "thesis": "Theses", "report": "Reports", "preprint": "Preprints", "other": "Other"}
_KIND_OF_TYPE = {"article": "journal", "inproceedings": "conference", "conference": "conference",
                 "proceedings": "conference", "book": "chapter", "inbook": "chapter", "incollection": "chapter",
                 "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis", "techreport": "report",
                 "report": "report", "unpublished": "preprint", "online": "preprint"}


def paper_kind(pub: Publication) -> str:
    """The paper's kind, from its BibTeX type (declared, or guessed from the venue)."""
    kind = entry_type(pub)
    if kind == "misc":  # a preprint when it looks like one, else something else (software, a talk)
        venue = pub.venue.lower()
        return "preprint" if not venue or venue.startswith(("preprint", "arxiv")) or pub.link("arxiv") else "other"
    return _KIND_OF_TYPE.get(kind, "other")


def paper_groups(site: Site) -> tuple[PaperGroup, ...]:
    """The sections of the publications page, each paper in display order."""
    mode = site.config.publications_group
    if mode == "type":
        return _by_kind(site.publications, "")
    # a year's section is #y2024; the papers without a year, listed first, are #forthcoming
    years = tuple(PaperGroup(f"y{group.year}", str(group.year), group.publications) if group.year else
                  PaperGroup("forthcoming", site.config.forthcoming_title, group.publications)
                  for group in site.years)
    if mode == "year-type":
        return tuple(PaperGroup(y.key, y.title, (), _by_kind(y.publications, y.key + "-")) for y in years)
    return years


def _by_kind(publications: tuple[Publication, ...], prefix: str) -> tuple[PaperGroup, ...]:
    found: dict[str, list[Publication]] = {}
    for pub in publications:
        found.setdefault(paper_kind(pub), []).append(pub)
    return tuple(PaperGroup(prefix + kind, title, tuple(found[kind])) for kind, title in KINDS.items() if kind in found)
