"""How fast `site-builder serve` reacts to a save, on the 62-paper example site.

Copies content/ to a temporary folder, starts the real server on a free loopback port, then saves
one paper with a new title again and again and measures, from the moment the file is saved:
  1. until the rebuilt paper page, and then the publications page, are on disk (polling their
     inode: the preview writer replaces each file with one rename);
  2. until an open Chromium page (Debian's /usr/bin/chromium) has reloaded: the reloaded
     page's `load` event, timed by the browser against the same wall clock.
Targets (issue 3): under 50 ms to disk and under 300 ms to a reloaded page.

    .venv/bin/python benchmarks/serve_latency.py [--edits 10]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAPER = "cold-diffusion"
CHROMIUM = "/usr/bin/chromium"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=10, help="saves per measurement (default: 10)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-latency-") as folder:
        site = Path(folder)
        shutil.copytree(REPO / "content", site / "content")
        server, url, log_path = start_server(site)
        try:
            paper_file = site / "content" / "papers" / f"{PAPER}.md"
            outputs = [site / "output" / "papers" / PAPER / "index.html",
                       site / "output" / "publications" / "index.html"]
            to_page, to_all = measure_disk(paper_file, outputs, args.edits)
            to_reload = measure_browser(paper_file, url + f"papers/{PAPER}/", args.edits)
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=10)
        rebuild_times = [float(ms) for ms in re.findall(r"^rebuilt .* in (\d+) ms$", log_path.read_text(),
                                                        re.MULTILINE)]
    report("save -> paper page rebuilt on disk", to_page, 50)
    report("save -> paper and publications pages on disk", to_all, 50)
    report("save -> browser reloaded (load event)", to_reload, 300)
    if rebuild_times:
        print(f"(the server's own rebuild time: median {statistics.median(rebuild_times):.0f} ms; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    return 0


def start_server(site: Path) -> tuple[subprocess.Popen, str, Path]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log_path = site / "serve.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "serve", "--content", "content", "--output", "output",
         "--port", str(port)],
        cwd=site, stdout=log_path.open("w"), stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    deadline = time.monotonic() + 120  # the first build of 10,000 papers takes a while
    while not re.search(r"^serving .* at (http://\S+) ", log_path.read_text(), re.MULTILINE):
        if time.monotonic() > deadline or server.poll() is not None:
            sys.exit("the server did not start:\n" + log_path.read_text())
        time.sleep(0.05)
    url = re.search(r"^serving .* at (http://\S+) ", log_path.read_text(), re.MULTILINE).group(1)
    return server, url, log_path


def save_title(paper_file: Path, title: str) -> float:
    """Save the paper with a new title; returns the wall-clock time of the save in ms."""
    text = re.sub(r"(?m)^title: .*$", f"title: {title}", paper_file.read_text(encoding="utf-8"), count=1)
    saved = time.time() * 1000
    paper_file.write_text(text, encoding="utf-8")
    return saved


def measure_disk(paper_file: Path, outputs: list[Path], edits: int) -> tuple[list[float], list[float]]:
    to_first, to_all = [], []
    for number in range(edits):
        before = [os.stat(p).st_ino for p in outputs]
        saved = save_title(paper_file, f"Disk Latency {number}")
        done: list[float] = []
        deadline = time.monotonic() + 5
        while len(done) < len(outputs) and time.monotonic() < deadline:
            for path, inode in zip(outputs[len(done):], before[len(done):]):
                if os.stat(path).st_ino == inode:
                    break
                done.append(time.time() * 1000)
            time.sleep(0.0002)
        if len(done) < len(outputs) or f"Disk Latency {number}<" not in outputs[0].read_text():
            sys.exit("the rebuilt page did not appear within 5 s")
        to_first.append(done[0] - saved)
        to_all.append(done[-1] - saved)
        time.sleep(0.3)  # separate saves, not one burst
    return to_first, to_all


def measure_browser(paper_file: Path, page_url: str, edits: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    to_reload = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.add_init_script(
            "window.addEventListener('load', function () {"
            " window.loadedAt = performance.timeOrigin + performance.now(); });"
            "document.addEventListener('LiveReloadConnect', function () { window.connected = true; });")
        page.goto(page_url)
        for number in range(edits):
            page.wait_for_function("window.connected === true", timeout=10000)
            title = f"Browser Latency {number}"
            saved = save_title(paper_file, title)
            page.wait_for_function(f"window.loadedAt && document.querySelector('h1.p-name').textContent.includes("
                                   f"'{title}')", timeout=10000)
            to_reload.append(page.evaluate("window.loadedAt") - saved)
            time.sleep(0.3)
        browser.close()
    return to_reload


def report(what: str, samples: list[float], target: float) -> None:
    median = statistics.median(samples)
    verdict = "meets" if median < target else "MISSES"
    print(f"{what}: median {median:.0f} ms, min {min(samples):.0f}, max {max(samples):.0f} "
          f"({len(samples)} saves; target < {target} ms: {verdict})")


if __name__ == "__main__":
    sys.exit(main())
