"""`site-builder check`: the content is valid, and every link, anchor and asset of the built site
resolves. The site is built into a temporary folder, so output/ is never touched.

Links are resolved as a browser would, with the site placed under a sub-path, so a link that only
works at the server root (href="/papers/") is reported: it would break at user.github.io/repo/.
Absolute links that start with the site's `url` (canonical, feed, sitemap) count as internal.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import lxml.etree
import lxml.html
import lxml.html.builder

# Where the built site is placed while resolving links: a sub-path, so escapes above it show.
_BASE = "https://site-check.invalid/site/"
_USER_AGENT = "site-builder link check (+https://pypi.org/project/site-builder/)"


@dataclass(frozen=True)
class BrokenLink:
    page: str  # the file the link is on, relative to the site root
    link: str  # as written in that file
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: '{self.link}' {self.reason}"


@dataclass
class LinkReport:
    pages: int = 0
    links: int = 0
    external: int = 0  # distinct external URLs seen (fetched only with --external)
    fetched: bool = False
    broken: list[BrokenLink] = field(default_factory=list)

    def summary(self) -> str:
        checked = f"checked {self.links} links on {self.pages} pages"
        if self.external and not self.fetched:
            checked += f" ({self.external} external ones not fetched; --external fetches them)"
        if not self.broken:
            return f"{checked}: no broken links"
        pages = len({b.page for b in self.broken})
        return f"{checked}: {len(self.broken)} broken on {pages} page{'s' if pages > 1 else ''}"


def run_check(args: argparse.Namespace) -> int:
    from site_builder.build import build
    from site_builder.cli import build_options, print_warnings

    with tempfile.TemporaryDirectory(prefix="site-builder-check-") as folder:
        built = build(args.content, Path(folder) / "site", **build_options(args))
        print_warnings(built.warnings)
        report = find_broken_links(Path(folder) / "site", built.site_url, args.external)
    print_report(report)
    return 1 if report.broken else 0


def print_report(report: LinkReport) -> None:
    for broken in report.broken:
        print(broken)
    print(report.summary())


def find_broken_links(folder: Path, site_url: str = "", external: bool = False,
                      timeout: float = 10.0) -> LinkReport:
    """Every internal link, anchor and asset of the built site in folder; external ones if asked."""
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    site = _BuiltSite(files, site_url)
    found: list[tuple[str, str]] = []  # (page, link as written)
    report = LinkReport()
    for name in sorted(files):
        path = folder / name
        if name.endswith(".html"):
            report.pages += 1
            links = site.read_html(name, path)
        elif name.endswith(".xml"):
            links = _read_xml(path)
        elif name.endswith(".css"):
            links = _read_css(path)
        elif name == "robots.txt":
            robots = RobotFileParser()
            robots.parse(path.read_text(encoding="utf-8", errors="replace").splitlines())
            links = robots.site_maps() or []
        else:
            continue
        found.extend((name, link) for link in links)
    report.links = len(found)
    outside: dict[str, list[str]] = {}
    for page, link in found:
        reason = site.problem(page, link)
        if reason == "external":
            outside.setdefault(link.strip(), []).append(page)
        elif reason:
            report.broken.append(BrokenLink(page, link, reason))
    report.external = len(outside)
    if external and outside:
        report.fetched = True
        report.broken.extend(_fetch_all(outside, timeout))
    return report


class _BuiltSite:
    """The built files, their anchors and <base> elements; resolves links as a browser would."""

    def __init__(self, files: set[str], site_url: str):
        self.files = files
        self.site_url = site_url
        self.site_path = (urlsplit(site_url).path or "/") if site_url else ""
        self.ids: dict[str, set[str]] = {}
        self.bases: dict[str, str] = {}

    def read_html(self, name: str, path: Path) -> list[str]:
        """Every URL the page refers to; its ids and <base> are kept for resolving."""
        doc = lxml.html.fromstring(path.read_bytes())
        self.ids[name] = {str(v) for v in doc.xpath("//@id | //a/@name")}
        base = doc.xpath("//base/@href")
        if base:  # a 404 page names its folder, as it is served at any address
            self.bases[name] = base[0].strip()
        links = [link for element, _, link, _ in doc.iterlinks() if element.tag != "base"]
        for element in doc.xpath("//*[@srcset]"):  # iterlinks does not read srcset
            links.extend(c.split()[0] for c in element.get("srcset").split(",") if c.split())
        if self.site_url:  # og:url, citation_pdf_url, JSON-LD ... when they point into the site
            links.extend(v for v in doc.xpath("//meta/@content") if v.startswith(self.site_url))
            for script in doc.xpath("//script[@type='application/ld+json']/text()"):
                links.extend(v for v in _json_strings(script) if v.startswith(self.site_url))
        return links

    def absolute(self, link: str, relative_to: str) -> str:
        """The link as a URL under _BASE when it is in the site; '' for mailto: and the like."""
        if self.site_url and link.startswith(self.site_url):
            return _BASE + link[len(self.site_url):]
        if self.site_path and link.startswith(self.site_path) and not link.startswith("//"):
            return _BASE + link[len(self.site_path):]  # '/repo/x' on a site whose url ends in /repo/
        scheme = urlsplit(link).scheme.lower()
        if scheme in ("http", "https") or link.startswith("//"):
            return link
        if scheme:
            return ""  # mailto:, tel:, data: ... nothing to fetch
        return urljoin(relative_to, link)

    def problem(self, page: str, link: str) -> str:
        """'' when the link resolves, 'external' when it leaves the site, else what is wrong."""
        link = link.strip()
        page_url = _BASE + page
        if page in self.bases:
            page_url = self.absolute(self.bases[page], page_url) or page_url
        absolute = self.absolute(link, page_url)
        if not absolute:
            return ""
        if not absolute.startswith(_BASE):
            if urlsplit(absolute).hostname != urlsplit(_BASE).hostname:
                return "external"
            if link.startswith("/"):
                where = f"under {self.site_path}" if self.site_path else "under a sub-path"
                return f"starts with '/', which breaks when the site lives {where}; make it relative"
            return "leads above the site's root folder"
        return self._target_problem(absolute)

    def _target_problem(self, absolute: str) -> str:
        address, fragment = urldefrag(absolute)
        target = unquote(urlsplit(address).path.removeprefix(urlsplit(_BASE).path))
        if target == "" or target.endswith("/"):
            target += "index.html"
        if target not in self.files:
            if f"{target}/index.html" not in self.files:
                hint = f"; add it to content/{target}" if target.startswith("files/") else ""
                return f"is broken: {target} does not exist{hint}"
            target += "/index.html"
        fragment = unquote(fragment)
        if fragment and fragment != "top" and target in self.ids and fragment not in self.ids[target]:
            return f"is broken: {target} has no element with id '{fragment}'"
        return ""


def _json_strings(text: str) -> list[str]:
    """Every string value in a JSON-LD document but its '@id' names ([] when it is not JSON)."""
    try:
        data = json.loads(text)
    except ValueError:
        return []
    found, stack = [], [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(v for k, v in item.items() if k != "@id")
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _read_css(path: Path) -> list[str]:
    """url(...) and @import targets of a stylesheet, found by lxml as in a <style> element."""
    style = lxml.html.builder.STYLE(path.read_text(encoding="utf-8", errors="replace"))
    return [link for _, _, link, _ in style.iterlinks()]


def _read_xml(path: Path) -> list[str]:
    """URLs in a feed or sitemap: every attribute value or text that is an absolute http(s) URL."""
    try:
        root = lxml.etree.parse(str(path), lxml.etree.XMLParser(resolve_entities=False)).getroot()
    except lxml.etree.XMLSyntaxError:
        return []
    values = [v for e in root.iter() for v in (*e.attrib.values(), (e.text or "").strip())]
    return [v for v in values if v.startswith(("http://", "https://")) and " " not in v]


def _fetch_all(outside: dict[str, list[str]], timeout: float) -> list[BrokenLink]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda url: _fetch_problem(url, timeout), outside))
    return [BrokenLink(page, url, problem)
            for url, problem in zip(outside, results) if problem for page in outside[url]]


def _fetch_problem(url: str, timeout: float) -> str:
    """'' when the external URL answers, else why not. HEAD first; GET when HEAD is refused."""
    if url.startswith("//"):
        url = "https:" + url
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": _USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return ""
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue
            return f"answers HTTP {exc.code}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return f"cannot be fetched ({getattr(exc, 'reason', exc)})"
    return "cannot be fetched"
