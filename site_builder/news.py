"""News items from content/news/*.md: a 'date:' in the front matter and a short Markdown body."""

from __future__ import annotations

from pathlib import Path

from site_builder.content import content_files
from site_builder.errors import ContentError, ManyErrors, SiteError, nesting_limit, quoted
from site_builder.frontmatter import as_date, read_source
from site_builder.markup import MarkdownRenderer
from site_builder.models import NewsItem, SiteConfig


def load_news(config: SiteConfig, markdown: MarkdownRenderer) -> tuple[NewsItem, ...]:
    """Every news item, newest first (same date: by file name)."""
    items, errors = [], []
    for path in content_files(config.root / "news", ".md"):
        try:
            with nesting_limit(path):
                items.append(_news_item(path, markdown))
        except SiteError as exc:
            errors.append(exc)
    if errors:
        raise errors[0] if len(errors) == 1 else ManyErrors(errors)
    return tuple(sorted(items, key=lambda item: (-item.date.toordinal(), item.source.name)))


def _news_item(path: Path, markdown: MarkdownRenderer) -> NewsItem:
    source = read_source(path)
    for key in source.meta:
        if key != "date":
            raise ContentError(path, f"unknown field {quoted(str(key))} in a news item; it takes only 'date:'", 2)
    date = as_date(source.meta.get("date"))
    if date is None:
        raise ContentError(path, "a news item needs 'date: 2024-05-31' in its front matter", 2)
    if not source.body.strip():
        raise ContentError(path, "the news item is empty; write one or two sentences below the front matter",
                           source.body_line)
    return NewsItem(date=date, html=markdown.to_html(source.body), source=path)
