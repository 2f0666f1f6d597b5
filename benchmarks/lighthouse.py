"""Lighthouse scores and page weight of the example site's home and publications pages, by hand.

Builds the example into a temporary folder, serves it on 127.0.0.1 gzip-compressed (as GitHub
Pages serves it) and runs Lighthouse with Debian's Chromium, mobile and desktop.

Setup once, into the git-ignored node_modules/ (name axe-core too, or npm removes it):
  npm install --prefix . --no-save --no-package-lock axe-core@4 lighthouse@12
Usage: .venv/bin/python benchmarks/lighthouse.py   (LIGHTHOUSE=/path/to/lighthouse to use another)
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LIGHTHOUSE = Path(os.environ.get("LIGHTHOUSE", REPO / "node_modules" / ".bin" / "lighthouse"))
PAGES = ("", "publications/")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the client accepts it."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path) or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        data = gzip.compress(Path(path).read_bytes(), 9, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


def stylesheets_and_scripts(page: Path) -> list[str]:
    """The URLs of the stylesheets and scripts an HTML page loads (tests/test_page_weight.py too)."""
    from bs4 import BeautifulSoup

    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html5lib")
    urls = [link["href"] for link in html.select('link[rel~="stylesheet"][href]')]
    return urls + [script["src"] for script in html.select("script[src]")]


def page_weight(site: Path) -> str:
    """The publications page and the stylesheets and scripts it loads."""
    site = site.resolve()
    page = site / "publications" / "index.html"
    files = [page, *((page.parent / url).resolve() for url in stylesheets_and_scripts(page))]
    sizes = {f.relative_to(site).as_posix(): f.stat().st_size for f in files}
    zipped = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    listing = ", ".join(f"{name} {size / 1000:.1f}" for name, size in sizes.items())
    return f"publications page + CSS + JS: {sum(sizes.values()) / 1000:.1f} KB ({listing}); gzip {zipped / 1000:.1f} KB"


def lighthouse(url: str, preset: str, report: Path) -> dict[str, int]:
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
    if preset == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    categories = json.loads(report.read_text())["categories"]
    return {name: round(category["score"] * 100) for name, category in categories.items()}


def main() -> None:
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: npm install --prefix . --no-save axe-core@4 lighthouse@12")
    with tempfile.TemporaryDirectory() as work:
        site = Path(work) / "output"
        subprocess.run([sys.executable, "-m", "site_builder", "build", "--content", str(REPO / "content"),
                        "--output", str(site)], check=True, cwd=REPO)
        print(page_weight(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                 functools.partial(GzipHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        for path in PAGES:
            for preset in ("mobile", "desktop"):
                scores = lighthouse(base + path, preset, Path(work) / "report.json")
                print(f"/{path:<14} {preset:<8} " + "  ".join(f"{k} {v}" for k, v in scores.items()))
        server.shutdown()


if __name__ == "__main__":
    main()
