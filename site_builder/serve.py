"""`site-builder serve`: build, serve the output folder and reload the browser after every save.

The pieces:
- livereload's server (tornado) serves the output folder, injects its reload script into the
  HTML it sends (never into the files on disk) and tells connected browsers to reload; it
  answers only requests addressed to it, and reload requests only from its own pages
  (preview_app);
- a watcher thread sees changes through inotify (watchfiles), lets a burst of saves settle
  into one batch and rebuilds through `LiveSite`: one paper's pages for a paper edit,
  everything (atomically) for a theme or config change;
- while the last rebuild failed, the last good site stays on disk and is served with the
  error, as a one-line message naming file and line, over every page; the terminal prints the
  same line. The next good rebuild removes it;
- a page that was still loading when a rebuild told browsers to reload (so it missed that)
  asks on connecting whether a rebuild happened since it was served, and reloads if so.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import gc
import html
import logging
import os
import re
import signal
import sys
import threading
import time
import traceback
import webbrowser
from http.client import responses
from pathlib import Path

import livereload
import watchfiles
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from tornado import web
from tornado.ioloop import IOLoop

from site_builder.config import require_site
from site_builder.errors import SiteError
from site_builder.incremental import LiveSite
from site_builder.output_guard import claim_output
from site_builder.preview_app import PreviewAddress, preview_application

# watchfiles reports a batch once no new change arrived for STEP_MS (at most DEBOUNCE_MS after
# the first); a file written in the last QUIET_NS may still be being written, so wait for it.
STEP_MS = 5
DEBOUNCE_MS = 500
QUIET_NS = 8_000_000
EMPTY_QUIET_NS = 100_000_000  # an empty file is most likely half-way through being saved
TIMEOUT_MS = 50  # with no change, watchfiles yields an empty batch this often
PORT_TRIES = 10


def run_serve(args: argparse.Namespace) -> int:
    require_site(args.content)
    claim = claim_output(args.output, args.content, args.force)  # refuse at once, not in the browser
    live = LiveSite(args.content, args.output, force=args.force, claim=claim, jobs=args.jobs)
    status = PreviewStatus()
    rebuilder = Rebuilder(live, status, debug=args.debug)
    rebuilder.rebuild_now(())
    server = PreviewServer(args.output.absolute(), status)
    try:
        asyncio.run(_serve(server, rebuilder, args))
    except KeyboardInterrupt:
        pass
    print("stopped", flush=True)
    return 0


async def _serve(server: PreviewServer, rebuilder: Rebuilder, args: argparse.Namespace) -> None:
    port = _listen(server, args.host, args.port)
    url = f"http://{_url_host(args.host)}:{port}/"
    reach = ("only this computer can open it" if args.host in ("127.0.0.1", "localhost", "::1")
             else "other computers on the network can open it")
    rebuilder.start(IOLoop.current())
    print(f"serving {args.content} at {url} ({reach}); Ctrl-C stops", flush=True)
    if args.open:
        _open_browser(url)
    stopped = asyncio.Event()
    with contextlib.suppress(NotImplementedError):  # Windows' event loop has no signal handlers;
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopped.set)  # Ctrl-C still works
    try:
        await stopped.wait()  # until SIGTERM, or Ctrl-C cancels this task
    finally:
        rebuilder.stop()


def _listen(server: PreviewServer, host: str, port: int) -> int:
    """Bind the first free port from `port` on; says so when it is not `port` itself."""
    for candidate in range(port, port + PORT_TRIES):
        try:
            server.application(candidate, host)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise SiteError(f"cannot listen on {host}:{candidate} ({exc.strerror or exc}); "
                                "check --host and --port") from None
            continue
        if candidate != port:
            print(f"port {port} is in use, so serving on port {candidate} instead", flush=True)
        return candidate
    raise SiteError(f"ports {port} to {port + PORT_TRIES - 1} on {host} are all in use; stop the other "
                    "server or pass another --port")


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _open_browser(url: str) -> None:
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print(f"no desktop to open a browser in; open {url} yourself", flush=True)
        return
    threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()


class PreviewStatus:
    """What the watcher tells the server: the last rebuild's error (None when it succeeded) and
    the generation, which grows with every rebuild that browsers are told to reload for."""

    def __init__(self) -> None:
        self.error: str | None = None
        self.generation = 0


class Rebuilder:
    """Watches the sources in a thread and rebuilds once per settled batch of changes."""

    def __init__(self, live: LiveSite, status: PreviewStatus, debug: bool = False):
        self.live = live
        self.status = status
        self.debug = debug
        self._stop = threading.Event()
        self._watching = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: IOLoop | None = None
        self._seen: dict[str, tuple | None] = {}  # path -> stat when last rebuilt from it
        self._default_filter = watchfiles.DefaultFilter()

    def start(self, loop: IOLoop) -> None:
        """Start watching; returns once changes from now on are seen."""
        self._loop = loop
        self._thread = threading.Thread(target=self._watch, name="site-builder watcher", daemon=True)
        self._thread.start()
        self._watching.wait(timeout=5)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def _watch(self) -> None:
        while not self._stop.is_set():
            dirs = self.live.watched_dirs()
            try:
                for changes in watchfiles.watch(*dirs, watch_filter=self._wanted, debounce=DEBOUNCE_MS,
                                                step=STEP_MS, stop_event=self._stop,
                                                rust_timeout=TIMEOUT_MS, yield_on_timeout=True):
                    self._watching.set()  # the first yield, changes or not, means the watch is set up
                    if not changes:
                        continue
                    self._on_changes({path for _, path in changes})
                    if self.live.watched_dirs() != dirs:
                        break  # the theme changed: watch its folders instead
            except (OSError, RuntimeError) as exc:  # a watched folder vanished: watch again
                print(f"warning: watching stopped ({exc}); watching again", file=sys.stderr, flush=True)
                self._stop.wait(0.5)

    def _wanted(self, change: watchfiles.Change, path: str) -> bool:
        return self._default_filter(change, path) and self.live.is_source(path)

    def _on_changes(self, paths: set[str]) -> None:
        _settle(paths)
        stats = {path: _stat(path) for path in paths}
        if all(path in self._seen and self._seen[path] == stat for path, stat in stats.items()):
            return  # the rest of a burst that the last rebuild already read
        self._seen.update(stats)
        if self.rebuild_now(paths):
            self.status.generation += 1
            self._reload()

    def rebuild_now(self, paths) -> bool:
        """Rebuild and report on the terminal; True when the browser should reload."""
        had_error = self.status.error is not None
        try:
            result = self.live.rebuild(paths)
        except SiteError as exc:
            self._fail(str(exc))
            return True
        except Exception as exc:  # a bug: keep serving the last good site and say what happened
            if self.debug:
                traceback.print_exc()
            self._fail(f"unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)")
            return True
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr, flush=True)
        print(result.summary(), flush=True)
        self.status.error = None
        if result.everything:
            _exempt_from_gc()
        return result.changed or had_error

    def _fail(self, message: str) -> None:
        self.status.error = message
        print(f"error: {message}", file=sys.stderr, flush=True)

    def _reload(self) -> None:
        if self._loop is not None:
            self._loop.add_callback(LiveReloadHandler.reload_waiters, "*")


def _exempt_from_gc() -> None:
    """After a full build: collect the previous build's garbage, then leave what remains (the kept
    model, the compiled templates) out of later collections, so that a small rebuild is not held
    up by a full collection pass over the whole site."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _stat(path: str) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)


def _settle(paths: set[str], limit: float = 0.5) -> None:
    """Wait until none of these files was written in the last QUIET_NS (editors write in bursts:
    truncate, write, write again), or EMPTY_QUIET_NS for a file that is still empty."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        stats = [stat for stat in map(_stat, paths) if stat]
        quiet_until = max((mtime + (EMPTY_QUIET_NS if size == 0 else QUIET_NS)
                           for mtime, size, *_ in stats), default=0)
        wait = quiet_until - time.time_ns()
        if wait <= 0:
            return
        time.sleep(wait / 1e9)


class PreviewServer(livereload.Server):
    """livereload's server for the output folder, serving pages with the build error on top."""

    def __init__(self, root: Path, status: PreviewStatus):
        super().__init__()
        self.root = str(root)
        self.status = status
        logging.getLogger("tornado.access").addHandler(logging.NullHandler())  # no line per request

    def application(self, port, host, liveport=None, debug=None, live_css=True):
        """Listen on host:port with livereload's handlers behind the address checks of
        preview_app (livereload's own application answers any Host and any Origin)."""
        LiveReloadHandler.watcher = self.watcher  # its reload message names the watcher's last file
        LiveReloadHandler.live_css = live_css
        preview_application(PreviewAddress(host, port), self.get_web_handlers(None)).listen(port, address=host)

    def get_web_handlers(self, script):
        return [(GENERATION_URL, GenerationHandler, {"status": self.status}),
                (r"/(.*)", PreviewFiles, {"path": self.root, "status": self.status})]


class GenerationHandler(web.RequestHandler):
    """The current generation, for pages that connect after a reload was sent."""

    def initialize(self, status: PreviewStatus) -> None:
        self.status = status

    def get(self) -> None:
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(str(self.status.generation))


class PreviewFiles(StaticFileHandler):
    """The output folder as it is on disk, never cached by the browser."""

    def initialize(self, path: str, status: PreviewStatus) -> None:
        super().initialize(path=path, default_filename="index.html")
        self.status = status

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")

    @classmethod
    def get_absolute_path(cls, root: str, path: str) -> str:
        if "\0" in path:  # no file name holds one; the OS would refuse it with a ValueError
            raise web.HTTPError(400)
        try:
            return super().get_absolute_path(root, path)
        except web.HTTPError as refusal:  # tornado says 403 for a path that climbs out of root
            raise web.HTTPError(404) from refusal

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        """404 (not 403: nothing is there to see) for any path that leads out of the output
        folder, by '..', encoded slashes or a symbolic link."""
        real_root = os.path.realpath(root)
        real_path = os.path.realpath(absolute_path)
        if real_path != real_root and not real_path.startswith(real_root + os.sep):
            raise web.HTTPError(404)
        return super().validate_absolute_path(root, absolute_path)

    async def get(self, path: str, include_body: bool = True) -> None:
        self.path = self.parse_url_path(path)
        absolute = self.validate_absolute_path(self.root, self.get_absolute_path(self.root, self.path))
        if absolute is None:
            return None  # redirected to the folder's address with a trailing slash
        if not absolute.endswith(".html"):
            return await super().get(path, include_body)
        self.absolute_path = absolute  # tornado's Etag is computed from it
        with open(absolute, "rb") as handle:
            page = handle.read()
        self._send_html(page, include_body)
        return None

    def write_error(self, status_code: int, **kwargs) -> None:
        """A short page (with </head>, so that it reloads too, and the error when there is one)."""
        reason = f"{status_code} {responses.get(status_code, 'Error')}"
        page = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{reason}</title></head>'
                f'<body><h1>{reason}</h1><p><a href="/">Home page</a></p></body></html>').encode()
        self._send_html(page, True)

    def _send_html(self, page: bytes, include_body: bool) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        page = preview_page(page, self.status.generation, self.status.error)
        self.finish(page if include_body else b"")


GENERATION_URL = "/__site-builder/generation"
_HEAD_END = re.compile(rb"</head>", re.IGNORECASE)
_BODY_TAG = re.compile(rb"<body[^>]*>", re.IGNORECASE)
_CATCH_UP = (
    '<script>document.addEventListener("LiveReloadConnect", function () {{'
    ' fetch("' + GENERATION_URL + '", {{cache: "no-store"}})'
    '.then(function (r) {{ return r.text(); }})'
    '.then(function (g) {{ if (g !== "{generation}") location.reload(); }}); }});</script>'
)
_ERROR_BOX = (
    '<div id="site-builder-error" role="alert" style="position:fixed;inset:0;z-index:2147483647;'
    "overflow:auto;box-sizing:border-box;padding:2rem;background:#fff4f4;color:#4a0000;"
    'font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;text-align:left">'
    '<p style="margin:0 0 1rem;font-weight:bold">The site could not be rebuilt. Underneath is the '
    "last good version; fix the file and save, and this page reloads by itself.</p>"
    '<pre style="margin:0 0 1rem;white-space:pre-wrap">{message}</pre>'
    '<button type="button" onclick="this.parentNode.remove()">Hide</button></div>'
)


def preview_page(page: bytes, generation: int, error: str | None) -> bytes:
    """The page as the preview sends it: with a script that reloads it when it was served before
    the latest rebuild, and the error shown over it (right after <body>) when there is one."""
    if error is not None:
        box = _ERROR_BOX.format(message=html.escape(error)).encode()
        match = _BODY_TAG.search(page)
        at = match.end() if match else 0
        page = page[:at] + box + page[at:]
    script = _CATCH_UP.format(generation=generation).encode()
    match = _HEAD_END.search(page)
    at = match.start() if match else 0
    return page[:at] + script + page[at:]
