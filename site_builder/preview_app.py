"""The preview server's web application: which requests it answers, and the reload socket.

livereload serves any Host and takes WebSocket connections and /forcereload from any page, so
any web site open in the same browser could read the preview through DNS rebinding (a name of
its own that it points at 127.0.0.1), subscribe to its reloads or trigger them. Here:
- a request is answered only when its Host header is the address the server listens on
  (127.0.0.1, localhost or ::1, or the --host given, with the port); anything else gets 403;
- the reload socket and /forcereload refuse a page from another origin (403);
- a malformed message on the reload socket is ignored (it printed a traceback).
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket

from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import web
from tornado.routing import Matcher, Rule

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
EVERY_ADDRESS = ("0.0.0.0", "::", "")
_HOST_HEADER = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})")
# livereload's snippet: loads livereload.js from the address the page came from.
LIVE_SCRIPT = (b'<script>(function(){var s=document.createElement("script");'
               b'var port=window.location.port||80;'
               b's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
               b"document.head.appendChild(s);})();</script>")


class PreviewAddress:
    """The Host values the preview answers to: its port with a loopback name or the --host
    given; when it listens on every address, also any IP address and this computer's name."""

    def __init__(self, host: str, port: int):
        self.port = port
        self.everywhere = host in EVERY_ADDRESS
        names = {*LOOPBACK_NAMES, host.strip("[]")}
        if self.everywhere:
            names.add(socket.gethostname())
        self.names = {name.lower() for name in names if name}
        shown = "127.0.0.1" if self.everywhere else host
        self.url = f"http://{f'[{shown}]' if ':' in shown else shown}:{port}/"

    def allows_host(self, host: str) -> bool:
        match = _HOST_HEADER.fullmatch(host)
        if match is None or int(match.group(2)) != self.port:
            return False
        name = match.group(1).strip("[]").lower()
        return name in self.names or (self.everywhere and _is_ip_address(name))

    def allows_origin(self, origin: str) -> bool:
        """Whether a browser's Origin header names a page of this server."""
        return origin.startswith("http://") and self.allows_host(origin.removeprefix("http://"))


def _is_ip_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def preview_application(address: PreviewAddress, handlers: list) -> web.Application:
    """livereload's application (the reload socket, livereload.js, the pages with the reload
    script added) with every request checked against the address first."""
    live = [(r"/livereload", ReloadSocket, {"address": address}),
            (r"/forcereload", ForceReload, {"address": address}),
            (r"/livereload.js", LiveReloadJSHandler)]

    class AddLiveScript(LiveScriptInjector):
        script = LIVE_SCRIPT

    return web.Application([Rule(_AddressedElsewhere(address), WrongHost, {"address": address}), *live, *handlers],
                           transforms=[AddLiveScript])


class _AddressedElsewhere(Matcher):
    """Matches the requests whose Host header is not one of the preview's."""

    def __init__(self, address: PreviewAddress):
        self.address = address

    def match(self, request):
        return None if self.address.allows_host(request.host) else {}


class WrongHost(web.RequestHandler):
    """403 for a request addressed to another name (a DNS-rebinding page, say)."""

    def initialize(self, address: PreviewAddress) -> None:
        self.address = address

    def prepare(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.finish(f"This preview answers only requests addressed to it; open {self.address.url}\n")


class ReloadSocket(LiveReloadHandler):
    """livereload's socket, for this server's own pages only, and deaf to malformed messages."""

    def initialize(self, address: PreviewAddress) -> None:
        self.address = address

    def check_origin(self, origin: str) -> bool:
        return self.address.allows_origin(origin)

    def on_message(self, message) -> None:
        try:
            data = json.loads(message)
        except ValueError:  # not JSON, or not UTF-8
            return
        if isinstance(data, dict) and isinstance(data.get("command"), str):
            super().on_message(message)


class ForceReload(ForceReloadHandler):
    """/forcereload, for this server's own pages (and tools that are not browsers) only."""

    def initialize(self, address: PreviewAddress) -> None:
        self.address = address

    def prepare(self) -> None:
        origin = self.request.headers.get("Origin")
        # A browser sends no Origin for an <img> or a link from another site, but it does say
        # where the request comes from in Sec-Fetch-Site, which no page can forge.
        site = self.request.headers.get("Sec-Fetch-Site", "same-origin")
        if (origin is not None and not self.address.allows_origin(origin)) or site not in ("same-origin", "none"):
            raise web.HTTPError(403)
