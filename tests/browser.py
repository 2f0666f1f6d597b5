"""Shared browser set-up: Debian's Chromium through Playwright, and a real HTTP server for a folder.

Outside CI the browser tests skip when /usr/bin/chromium is missing; in CI (CI=true) they fail.
Use: `from browser import browser, serve_folder  # noqa: F401` in a test module.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = Path("/usr/bin/chromium")


def need_chromium() -> None:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium (make browser)")
        pytest.skip(f"{CHROMIUM} is missing; install Debian's chromium to run the browser tests")


_shared: dict = {}  # one Playwright and one Chromium for the whole run


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session; each test opens its own context or page.

    Modules import this fixture by name, and pytest then keeps one instance per module; they all
    share the same browser, because Playwright's sync API allows one running instance per thread.
    """
    need_chromium()
    if not _shared:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _shared["playwright"] = playwright
        _shared["browser"] = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                        args=["--no-sandbox", "--disable-gpu"])
        owner = True
    else:
        owner = False
    yield _shared["browser"]
    if owner:  # session fixtures end together, at the end of the run
        _shared.pop("browser").close()
        _shared.pop("playwright").stop()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the browser cancelling a request it no longer needs (lazy images) is not a failure


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 with a real HTTP server; yields the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
