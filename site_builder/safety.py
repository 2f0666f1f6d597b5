"""Rules for untrusted text: which URLs may become links, and which slugs are safe paths."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

SAFE_SCHEMES = ("http", "https", "mailto")


def is_safe_url(url: str) -> bool:
    """http, https, mailto, or a relative URL; never javascript:, data:, vbscript: ..."""
    # Drop what a browser ignores inside a URL: control characters and spaces (the only
    # printable white space is ' ', so the common clean URL skips the loop).
    cleaned = url if url.isprintable() and " " not in url else "".join(
        ch for ch in url if ch.isprintable() and not ch.isspace())
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return False
    if scheme:
        return scheme in SAFE_SCHEMES
    # No scheme: refuse anything that a browser could still read as one ("java\tscript:").
    return ":" not in cleaned.split("/", 1)[0]


def is_safe_asset(path: str) -> bool:
    """An image or file a page shows: a site path or an http(s) URL (never mailto:)."""
    return is_safe_url(path) and not path.lower().startswith("mailto:")


def safe_slug(text: str, max_length: int = 80) -> str:
    """Lower-case ASCII letters, digits and hyphens: a name safe on every file system."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug
