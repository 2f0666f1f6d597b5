"""Read content/site.yaml, check every key and report all problems together."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from site_builder.errors import ConfigError, ContentError, SiteError, did_you_mean, quoted
from site_builder.frontmatter import load_yaml, read_text
from site_builder.models import NavItem, Owner, SiteConfig
from site_builder.profiles import load_profiles
from site_builder.safety import is_safe_asset, is_safe_url

CONFIG_NAME = "site.yaml"
KNOWN_KEYS = (
    "title", "owner", "description", "url", "nav", "theme", "language", "bio",
    "author_limit", "footer", "cname", "image", "photo", "affiliation", "profiles", "news_count",
    "allow_html", "feed_limit", "home_posts", "home_talks", "publications_group", "badges", "forthcoming_title",
)
GROUPINGS = ("year", "type", "year-type")  # how the publications page groups papers
BADGES = ("altmetric", "dimensions", "google_scholar", "inspire")  # citation badges a site may turn on
# A host name for GitHub Pages' CNAME file: dot-separated labels of letters, digits and hyphens.
_HOST_NAME = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]")


def require_site(content_dir: Path) -> Path:
    """content_dir/site.yaml, or the one-line error for running outside a site's folder."""
    path = content_dir / CONFIG_NAME
    if not path.is_file():
        raise SiteError(f"no site here: looked for {path.absolute()} and found none; run this in your "
                        "site's folder (cd mysite), start a new site with 'site-builder init mysite', "
                        "or point --content at the site's content folder")
    return path


def load_config(content_dir: Path) -> SiteConfig:
    path = require_site(content_dir)
    data = load_yaml(read_text(path), path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError(path, "site.yaml must be 'key: value' lines", 1)
    problems: list[str] = []
    for key in data:
        if key not in KNOWN_KEYS:
            problems.append(f"unknown key {quoted(str(key))}{_suggest(str(key), KNOWN_KEYS)}")

    def text(key: str, default: str = "", required: bool = False) -> str:
        value = data.get(key, None)
        if value is None:
            if required:
                problems.append(f"'{key}' is missing; add '{key}: ...'")
            return default
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            problems.append(f"'{key}' must be text")
            return default
        return str(value).strip()

    title = text("title", required=True)
    owner = _owner(data.get("owner"), problems)
    url = text("url")
    if url:
        if not url.startswith(("http://", "https://")):
            problems.append(f"'url' must start with https:// (got {quoted(url)})")
            url = ""
        elif not url.endswith("/"):
            url += "/"
    author_limit = _count(data, "author_limit", 0, "0 shows every author", problems)
    news_count = _count(data, "news_count", 5, "0 hides news on the home page", problems)
    feed_limit = _count(data, "feed_limit", 50, "0 puts every paper in the feed", problems)
    home_posts = _count(data, "home_posts", 3, "0 hides posts on the home page", problems)
    home_talks = _count(data, "home_talks", 3, "0 hides upcoming talks on the home page", problems)
    allow_html = data.get("allow_html", False)
    if not isinstance(allow_html, bool):
        problems.append("'allow_html' must be true or false")
        allow_html = False
    config = SiteConfig(
        root=content_dir,
        title=title,
        owner=owner,
        description=text("description"),
        url=url,
        nav=_nav(data.get("nav"), problems),
        theme=text("theme", "default") or "default",
        language=text("language", "en") or "en",
        bio=text("bio"),
        author_limit=author_limit,
        footer=text("footer"),
        cname=_cname(text("cname"), url, problems),
        image=_image(text("image"), problems),
        photo=_image(text("photo"), problems, "photo"),
        affiliation=text("affiliation"),
        profiles=load_profiles(data.get("profiles"), problems),
        news_count=news_count,
        allow_html=allow_html,
        feed_limit=feed_limit,
        home_posts=home_posts,
        home_talks=home_talks,
        publications_group=_choice(text("publications_group", "year"), GROUPINGS, "publications_group", problems),
        badges=_badges(data.get("badges"), problems),
        forthcoming_title=text("forthcoming_title", "Forthcoming") or "Forthcoming",
    )
    if problems:
        raise ConfigError(path, problems)
    return config


def _cname(host: str, url: str, problems: list[str]) -> str:
    """The custom domain for GitHub Pages, checked as a bare host name that matches 'url'."""
    host = host.lower()
    if host and not _HOST_NAME.fullmatch(host):
        problems.append(f"'cname' must be a bare host name like www.example.org (got {quoted(host)})")
        return ""
    url_host = urlsplit(url).hostname or ""
    if host and url_host and url_host != host:
        problems.append(f"'cname' {host} differs from the host of 'url' ({url_host}); make them agree")
    return host


def _count(data: dict, key: str, default: int, zero_means: str, problems: list[str]) -> int:
    """A whole number of at least 0."""
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        problems.append(f"'{key}' must be a whole number ({zero_means})")
        return default
    return value


def _choice(value: str, choices: tuple[str, ...], key: str, problems: list[str]) -> str:
    if value not in choices:
        problems.append(f"'{key}' must be one of {', '.join(choices)} (got '{value}'){_suggest(value, choices)}")
        return choices[0]
    return value


def _badges(value: Any, problems: list[str]) -> tuple[str, ...]:
    """The citation badges to show: a list of names from BADGES (they load other hosts' scripts)."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"'badges' must be a list, e.g. [altmetric, dimensions] (known: {', '.join(BADGES)})")
        return ()
    for name in value:
        if name not in BADGES:
            problems.append(f"unknown badge '{name}'{_suggest(name, BADGES)}; known: {', '.join(BADGES)}")
    return tuple(dict.fromkeys(v for v in value if v in BADGES))


def _image(path: str, problems: list[str], key: str = "image") -> str:
    if path and not is_safe_asset(path):
        problems.append(f"'{key}' must be a site path like assets/me.jpg or an https:// URL (got {quoted(path)})")
        return ""
    return path


def _owner(value: Any, problems: list[str]) -> Owner:
    if isinstance(value, str) and value.strip():
        return Owner(value.strip())
    if isinstance(value, dict):
        name = value.get("name")
        variants = value.get("variants", []) or []
        for key in value:
            if key not in ("name", "variants"):
                problems.append(f"unknown key {quoted(f'owner.{key}')}{_suggest(str(key), ('name', 'variants'))}")
        if not isinstance(name, str) or not name.strip():
            problems.append("'owner.name' is missing; add the name to highlight in author lists")
            name = ""
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            problems.append("'owner.variants' must be a list of names")
            variants = []
        return Owner(name.strip(), tuple(v.strip() for v in variants))
    problems.append("'owner' is missing; add 'owner: {name: Your Name}'")
    return Owner("")


def _nav(value: Any, problems: list[str]) -> tuple[NavItem, ...]:
    if value is None:
        return ()  # the theme builds the menu from the pages (render.site_nav)
    if not isinstance(value, list):
        problems.append("'nav' must be a list of {title, url} entries")
        return ()
    items = []
    for number, entry in enumerate(value, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str) or not isinstance(
            entry.get("url"), str
        ):
            problems.append(f"'nav' entry {number} needs 'title' and 'url' as text")
            continue
        url = entry["url"].strip()
        if not is_safe_url(url):
            problems.append(f"'nav' entry {number} has an unsafe URL {quoted(url)}; use http(s) or a site path")
            continue
        if not url.startswith(("http://", "https://", "mailto:")):
            url = url.lstrip("/")
        items.append(NavItem(entry["title"].strip(), url))
    return tuple(items)


def _suggest(word: str, choices: tuple[str, ...]) -> str:
    close = did_you_mean(word, choices)
    return f" (did you mean '{close}'?)" if close else ""
