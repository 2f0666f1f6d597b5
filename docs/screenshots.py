"""Screenshots of the built example site at phone and desktop width, for the README.

Usage: .venv/bin/python docs/screenshots.py [output folder]   (needs /usr/bin/chromium)
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
PAGES = {
    "home": "",
    "publications": "publications/",
    "paper": "papers/bayesian-model-selection-marginal-likelihood/",
}
WIDTHS = {"desktop": 1280, "phone": 375}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main(site: Path) -> None:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        for name, path in PAGES.items():
            for device, width in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": 900 if width > 400 else 780})
                page.goto(base + path)
                page.screenshot(path=str(HERE / "screenshots" / f"{name}-{device}.png"))
                page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "output"))
