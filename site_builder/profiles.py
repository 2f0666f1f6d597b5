"""Contact and profile links from site.yaml's 'profiles:' block, as checked absolute URLs.

A value is a full https:// URL, or the short form people know: an e-mail address, an ORCID iD,
a GitHub, X or Bluesky handle, a Mastodon address (@user@host).
"""

from __future__ import annotations

import re
from typing import Any

from site_builder.errors import quoted
from site_builder.models import Profile
from site_builder.safety import is_safe_url

# kind -> (label shown to screen readers, URL for a short handle or '' when a URL is required)
PROFILE_KINDS = {
    "email": ("E-mail", "mailto:{}"),
    "google_scholar": ("Google Scholar", ""),
    "orcid": ("ORCID", "https://orcid.org/{}"),
    "github": ("GitHub", "https://github.com/{}"),
    "dblp": ("DBLP", ""),
    "semantic_scholar": ("Semantic Scholar", ""),
    "linkedin": ("LinkedIn", "https://www.linkedin.com/in/{}"),
    "x": ("X (Twitter)", "https://x.com/{}"),
    "bluesky": ("Bluesky", "https://bsky.app/profile/{}"),
    "mastodon": ("Mastodon", ""),
}
_HANDLE = re.compile(r"@?([A-Za-z0-9][A-Za-z0-9._-]{0,99})")
_EMAIL = re.compile(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+")
_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")
_MASTODON = re.compile(r"@?([A-Za-z0-9_]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def load_profiles(value: Any, problems: list[str]) -> tuple[Profile, ...]:
    """The profiles in the theme's fixed order; every bad entry is added to problems."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        problems.append("'profiles' must be 'kind: address' lines, e.g. 'github: your-name'")
        return ()
    for kind in value:
        if kind not in PROFILE_KINDS:
            problems.append(f"unknown profile {quoted(f'profiles.{kind}')}; known: {', '.join(PROFILE_KINDS)}")
    found = []
    for kind, (label, pattern) in PROFILE_KINDS.items():
        raw = value.get(kind)
        if raw is None:
            continue
        url = _profile_url(kind, str(raw).strip(), pattern) if isinstance(raw, (str, int)) else ""
        if not url:
            problems.append(f"'profiles.{kind}' must be {_expected(kind, pattern)} (got {quoted(raw)})")
            continue
        found.append(Profile(kind=kind, label=label, url=url))
    return tuple(found)


def _profile_url(kind: str, value: str, pattern: str) -> str:
    if value.startswith("https://") or (value.startswith("http://") and kind != "email"):
        return value if is_safe_url(value) and " " not in value else ""
    if kind == "email":
        address = value.removeprefix("mailto:")
        return f"mailto:{address}" if _EMAIL.fullmatch(address) else ""
    if kind == "orcid":
        return pattern.format(value) if _ORCID.fullmatch(value) else ""
    if kind == "mastodon":
        match = _MASTODON.fullmatch(value)
        return f"https://{match.group(2)}/@{match.group(1)}" if match else ""
    match = _HANDLE.fullmatch(value)
    return pattern.format(match.group(1)) if pattern and match else ""


def _expected(kind: str, pattern: str) -> str:
    if kind == "email":
        return "an e-mail address"
    if kind == "orcid":
        return "an ORCID iD like 0000-0002-1825-0097 or its https:// URL"
    if kind == "mastodon":
        return "an address like @you@mastodon.social or an https:// URL"
    return "a user name or an https:// URL" if pattern else "an https:// URL"
