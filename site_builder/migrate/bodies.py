"""An old page's body as site-builder Markdown: Liquid and Hugo shortcodes translated where
they have a meaning (raw, highlight, figure, base-path links) and reported where they have
none; links to the old site's own pages and files rewritten to the new site's."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_builder.migrate.plan import Migration

_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.DOTALL)
_HIGHLIGHT = re.compile(r"\{%-?\s*highlight\s+([\w+#.-]+)[^%]*-?%\}\n?(.*?)\{%-?\s*endhighlight\s*-?%\}",
                        re.DOTALL)
_BASE = re.compile(r"\{\{-?\s*(?:site\.url\s*\}\}\s*\{\{-?\s*site\.baseurl|site\.url|site\.baseurl|base_path)"
                   r"\s*(?:\|[^}]*)?-?\}\}|\{%-?\s*include\s+base_path\s*-?%\}")
_RELATIVE_URL = re.compile(r"\{\{-?\s*['\"]([^'\"]+)['\"]\s*\|\s*(?:relative_url|absolute_url|prepend:\s*site\.baseurl)"
                           r"\s*-?\}\}")
_FIGURE = re.compile(r"\{%-?\s*include\s+figure(?:\.liquid|\.html)?\s+(.*?)-?%\}", re.DOTALL)
_MEDIA = re.compile(r"\{%-?\s*include\s+(video|audio)(?:\.liquid|\.html)?\s+(.*?)-?%\}", re.DOTALL)
_POST_URL = re.compile(r"\{%-?\s*(?:post_url\s+([^\s%]+)|link\s+_posts/([^\s%]+?)\.\w+)\s*-?%\}")
_TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.DOTALL)
_OUTPUT = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.DOTALL)
_SHORTCODE = re.compile(r"\{\{([<%])\s*(/?)\s*([\w/-]+)(.*?)\s*[>%]\}\}", re.DOTALL)
_MD_LINK = re.compile(r"(\]\(\s*<?)([^)\s>]+)")
_HTML_LINK = re.compile(r"""(\b(?:href|src)\s*=\s*["'])([^"']+)""")
_HTML_TAG = re.compile(r"</?(?:div|span|p|br|img|a|h[1-6]|strong|em|table|iframe|ul|ol|li|center|sup|sub)\b",
                       re.IGNORECASE)


@dataclass
class SiteLinks:
    """Where the old site's addresses go: its own host names, its files and its pages."""

    hosts: tuple[str, ...] = ()  # https://user.github.io, https://example.org ... (no trailing slash)
    base: str = ""  # baseurl, '/repo' or ''
    files: dict[str, str] = field(default_factory=dict)  # old path (no leading /) -> files/...
    pages: dict[str, str] = field(default_factory=dict)  # old address 'blog/2021/x/' -> new 'blog/x/'
    posts: dict[str, str] = field(default_factory=dict)  # post file name '2021-5-5-x' -> new 'blog/x/'

    def new_address(self, url: str) -> str | None:
        """The new link for an address of the old site; None when it is not one; '' when gone.
        A page's link is written from the site root ('/blog/x/'): the same text is shown on pages
        at different depths (an abstract on the paper's page and on the list), and every page
        makes such links relative to itself."""
        original = url
        for host in self.hosts:
            if url.startswith(host + "/") or url == host:
                url = url[len(host):] or "/"
                break
        else:
            if urlsplit(url).scheme or url.startswith(("#", "//")):
                return None
        parts = urlsplit(url)
        path = unquote(parts.path)
        if self.base and path.startswith(self.base + "/"):
            path = path[len(self.base):]
        suffix = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        key = path.lstrip("/").removeprefix("./")
        if key in self.files:
            return self.files[key] + suffix
        if not original.startswith(("/", "http", "./")) and not key:
            return None
        page = self.pages.get(key.rstrip("/") + "/" if key else "")
        if page is not None:
            return "/" + page + suffix
        if original.startswith("../"):  # written for the old page's address, which has changed
            return self.new_address("/" + re.sub(r"^(\.\./)+", "", original))
        return ""  # not in the old site: broken there too ('jupyter.example.org' without https://)


def convert_body(body: str, path: Path, first_line: int, migration: Migration, links: SiteLinks) -> str:
    """The body translated; everything that had to be dropped is recorded with its line."""
    raw_blocks: list[str] = []

    def keep_raw(match: re.Match) -> str:
        raw_blocks.append(match.group(1))
        return f"\x00{len(raw_blocks) - 1}\x00"

    def line(match: re.Match, text: str) -> int:
        return first_line + text.count("\n", 0, match.start())

    text = _RAW.sub(keep_raw, body)
    if raw_blocks:
        migration.convert("{% raw %} blocks unwrapped")
    text = _HIGHLIGHT.sub(lambda m: f"```{m.group(1)}\n{m.group(2).rstrip()}\n```", text)
    text = _BASE.sub("", text)
    text = _RELATIVE_URL.sub(lambda m: m.group(1), text)
    text = _FIGURE.sub(_figure, text)
    text = _MEDIA.sub(lambda m: f"[{m.group(1)}]({_media_source(_arguments(m.group(2)))})", text)

    def post_url(match: re.Match) -> str:
        name = (match.group(1) or match.group(2)).split("/")[-1]
        if name in links.posts:
            return "/" + links.posts[name]
        migration.leave(path, line(match, text), f"link to the post {name}, which is not in _posts/; removed")
        return ""

    text = _POST_URL.sub(post_url, text)

    def tag(match: re.Match) -> str:
        name = match.group(1)
        if name not in ("endif", "endfor", "else", "endunless", "endcapture", "endcomment"):
            migration.leave(path, line(match, text), f"Liquid tag {{% {name}{match.group(2).rstrip()[:60]} %}}"
                            " has no equivalent; removed")
        return ""

    def output(match: re.Match) -> str:
        migration.leave(path, line(match, text), f"Liquid value {{{{ {match.group(1)[:60]} }}}} has no "
                        "equivalent; removed")
        return ""

    def shortcode(match: re.Match) -> str:
        closing, name, args = match.group(2), match.group(3), match.group(4)
        values = _arguments(args)
        if name == "figure" and not closing:
            return f"![{values.get('caption', values.get('alt', ''))}]({values.get('src', '')})"
        if name in ("youtube", "vimeo") and not closing:
            video = values.get("id") or args.strip().strip("\"'")
            site = "https://www.youtube.com/watch?v=" if name == "youtube" else "https://vimeo.com/"
            migration.convert(f"Hugo {name} shortcodes became links to the video")
            return f"[Video]({site}{video})"
        if not closing:
            migration.leave(path, line(match, text), f"Hugo shortcode {{{{< {name} >}}}} has no equivalent; "
                            "removed (its inner text is kept)")
        return ""

    text = _SHORTCODE.sub(shortcode, text)  # first: '{{% callout %}}' holds '{% callout %}'
    text = _TAG.sub(tag, text)
    text = _OUTPUT.sub(output, text)

    dead: set[str] = set()

    def md_link(match: re.Match) -> str:
        return match.group(1) + _relinked(match.group(2), match, text)

    def _relinked(url: str, match: re.Match, within: str) -> str:
        new = links.new_address(url)
        if new is None:
            return url
        if new == "":
            migration.leave(path, line(match, within), f"link to {url}: no such page or file in the old "
                            "site's content; the link is removed, its text kept (a picture is removed)")
            dead.add(url)
            return url
        return new

    text = _MD_LINK.sub(md_link, text)
    if dead:  # a Markdown link keeps its text; a picture ('![alt](x)') leaves its alt text
        pattern = "|".join(re.escape(url) for url in sorted(dead, key=len, reverse=True))
        text = re.sub(rf"!?\[([^\]]*)\]\(\s*<?(?:{pattern})>?\)", r"\1", text)
    text = _HTML_LINK.sub(lambda m: m.group(1) + _relinked(m.group(2), m, text), text)
    if dead:  # an HTML picture of a file the old site lacks goes; a link loses its target
        pattern = "|".join(re.escape(url) for url in sorted(dead, key=len, reverse=True))
        text = re.sub(rf"""<img\b[^>]*\bsrc\s*=\s*["'](?:{pattern})["'][^>]*>""", "", text)
        text = re.sub(rf"""\s*\b(?:href|src)\s*=\s*["'](?:{pattern})["']""", "", text)
    text = _anchored(text, path, first_line, migration)
    text = re.sub("\x00(\\d+)\x00", lambda m: raw_blocks[int(m.group(1))], text)
    return text.strip() + "\n" if text.strip() else ""


_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_FRAGMENT_LINK = re.compile(r"""(\]\(\s*<?|\bhref\s*=\s*["'])#([^)\s>"']+)""")
_ID = re.compile(r"""\b(?:id|name)\s*=\s*["']([^"']+)|\{#([^}\s]+)\}""")


def heading_id(text: str) -> str:
    """The id kramdown (Jekyll) and Hugo give a heading: 'Langevin dynamics (SDEs)' ->
    'langevin-dynamics-sdes'."""
    words = re.sub(r"[^\w\s-]", "", re.sub(r"<[^>]+>|[*_`]", "", text)).strip()
    return re.sub(r"\s", "-", re.sub(r"^[^a-zA-Z]+", "", words)).lower()


def _anchored(text: str, path: Path, first_line: int, migration: Migration) -> str:
    """Links to '#a-heading' of the same page keep working: the old site's Markdown gave every
    heading an id, site-builder's gives ids only where written ('## Title {#id}'), so the
    headings such links name get one; a link to an id the page does not have is reported and
    loses its target (its text stays)."""
    wanted = {match.group(2) for match in _FRAGMENT_LINK.finditer(text)}
    present = {a or b for a, b in _ID.findall(text)}
    if not wanted - present:
        return text
    given: set[str] = set()

    def heading(match: re.Match) -> str:
        name = heading_id(match.group(2))
        if name in wanted - present - given:
            given.add(name)
            return f"{match.group(1)} {match.group(2)} {{#{name}}}"
        return match.group(0)

    text = _HEADING.sub(heading, text)
    missing = wanted - present - given
    for name in sorted(missing):
        place = next(m for m in _FRAGMENT_LINK.finditer(text) if m.group(2) == name)
        migration.leave(path, first_line + text.count("\n", 0, place.start()), f"link to #{name}: no "
                        "heading or element of the page has that id; the link is removed, its text kept")
    if missing:
        names = "|".join(re.escape(name) for name in missing)
        text = re.sub(rf"\[([^\]]*)\]\(\s*<?#(?:{names})>?\)", r"\1", text)
        text = re.sub(rf"""\s*\bhref\s*=\s*["']#(?:{names})["']""", "", text)
    if given:
        migration.convert("headings that links point to (#their-id) were given that id, as the old site's "
                          "Markdown did")
    return text


def has_html(text: str) -> bool:
    return bool(_HTML_TAG.search(text))


def _figure(match: re.Match) -> str:
    values = _arguments(match.group(1))
    source = values.get("url") or values.get("path") or ""
    if values.get("path") and not values.get("url") and not urlsplit(source).scheme:
        source = "/" + source.lstrip("/")  # al-folio's figure path is from the site root
    return f"![{values.get('title') or values.get('alt') or values.get('caption') or ''}]({source})"


def _media_source(values: dict[str, str]) -> str:
    source = values.get("path", "")
    return source if urlsplit(source).scheme or source.startswith("/") else "/" + source


def _arguments(text: str) -> dict[str, str]:
    try:
        words = shlex.split(text.replace("\n", " "))
    except ValueError:
        words = text.split()
    pairs = (word.split("=", 1) for word in words if "=" in word)
    return {key.strip(): value.strip() for key, value in pairs}
