"""Screenshots of the built example site at phone and desktop width, for the README.

Usage: .venv/bin/python docs/screenshots.py [output folder]   (needs /usr/bin/chromium)
       .venv/bin/python docs/screenshots.py --migrated NAME OUTPUT   home and publications of a
       migrated site, saved as migrated-NAME-home-desktop.png and so on
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from browser import CHROMIUM, serve_folder  # noqa: E402  (the tests' own static server)

PAGES = {
    "home": "",
    "publications": "publications/",
    "paper": "papers/bayesian-model-selection-marginal-likelihood/",
    "blog": "blog/",
    "post": "blog/neftune-in-a-few-lines/",
    "talks": "talks/",
    "projects": "projects/",
    "project": "projects/trustworthy-language-models/",
    "teaching": "teaching/",
    "cv": "cv/",
}
WIDTHS = {"desktop": 1280, "phone": 375}


def main(site: Path, pages: dict[str, str] = PAGES, prefix: str = "") -> None:
    shots = [(prefix + name, path, device, width, "light") for name, path in pages.items()
             for device, width in WIDTHS.items()]
    if not prefix:
        shots.append(("publications", "publications/?q=poisoning", "desktop", 1280, "dark"))
    with serve_folder(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--no-sandbox", "--disable-gpu"])
        for name, path, device, width, scheme in shots:
            page = browser.new_page(viewport={"width": width, "height": 900 if width > 400 else 780},
                                    color_scheme=scheme)
            page.goto(base + path)
            suffix = "-dark" if scheme == "dark" else ""
            page.screenshot(path=str(HERE / "screenshots" / f"{name}-{device}{suffix}.png"))
            page.close()
        browser.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--migrated"]:
        main(Path(sys.argv[3]), {"home": "", "publications": "publications/"}, f"migrated-{sys.argv[2]}-")
    else:
        main(Path(sys.argv[1] if len(sys.argv) > 1 else "output"))
