"""The preview server reads nothing outside output/ and stays up through a long editing session.
Raw HTTP requests, so that no client library cleans up the paths first."""

from __future__ import annotations

import base64
import json
import os
import socket
import time

import pytest

from browser import browser, serve_folder  # noqa: F401  (the fixture is used by name)
from site_builder.preview_app import PreviewAddress
from test_serve import Preview, set_title

SECRET = "top-secret-outside-the-output-folder"


def raw_get(port: int, target: str, host: str | None = None, **headers: str) -> tuple[int, bytes]:
    """Send the request line and headers exactly as given (Host: 127.0.0.1:port unless another
    is given; header names with '_' for '-'); return the status code and the body."""
    lines = [f"GET {target} HTTP/1.1", f"Host: {f'127.0.0.1:{port}' if host is None else host}",
             *(f"{name.replace('_', '-')}: {value}" for name, value in headers.items()), "Connection: close"]
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


@pytest.fixture
def served(copy_example):
    secret = copy_example.parent / "secret.txt"
    secret.write_text(SECRET)
    server = Preview(copy_example)
    yield server, secret
    if server.process.poll() is None:
        server.interrupt()


@pytest.mark.parametrize("target", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/..%2fsecret.txt",
    "/assets/../../secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt", "//etc/passwd", "/%2fetc%2fpasswd",
    "/..\\secret.txt", "/papers/../../content/site.yaml",
])
def test_paths_that_climb_out_of_output_get_404(served, target):
    server, _ = served
    status, body = raw_get(server.port, target)
    assert status == 404, (target, status)
    assert SECRET.encode() not in body and b"root:" not in body and b"title:" not in body


def test_absolute_url_in_the_request_line_reads_nothing_outside(served):
    server, secret = served
    status, body = raw_get(server.port, f"http://127.0.0.1:{server.port}/../secret.txt")
    assert status in (400, 404)
    assert SECRET.encode() not in body


def test_symlinks_pointing_out_of_output_get_404(served):
    server, secret = served
    os.symlink(secret, server.output / "leak.txt")
    os.symlink(secret.parent / "content", server.output / "leakdir")
    for target in ("/leak.txt", "/leakdir/site.yaml"):
        status, body = raw_get(server.port, target)
        assert status == 404, target
        assert SECRET.encode() not in body and b"owner" not in body


def test_the_site_itself_is_still_served(served):
    server, _ = served
    assert raw_get(server.port, "/")[0] == 200
    assert raw_get(server.port, "/papers/neftune/")[0] == 200
    assert raw_get(server.port, "/assets/style.css")[0] == 200


def test_stays_up_through_requests_interleaved_with_broken_and_fixed_edits(served):
    """1,000 requests and 50 broken-then-fixed edits; the server answers throughout and its
    memory settles instead of growing with every edit."""
    server, _ = served
    paper = server.content / "papers" / "cold-diffusion.md"
    original = paper.read_text()
    rss = []
    statuses = set()
    for round_number in range(50):
        set_title(paper, '"unclosed')  # broken YAML
        for _ in range(10):
            statuses.add(raw_get(server.port, "/publications/")[0])
        paper.write_text(original.replace("Cold Diffusion", f"Cold Diffusion {round_number}"))
        for _ in range(10):
            statuses.add(raw_get(server.port, "/papers/cold-diffusion/")[0])
        time.sleep(0.05)
        rss.append(_rss_kib(server.process.pid))
    assert statuses == {200}
    assert server.process.poll() is None
    _, body = raw_get(server.port, "/papers/cold-diffusion/")
    deadline = time.monotonic() + 5
    while b"Cold Diffusion 49" not in body and time.monotonic() < deadline:
        time.sleep(0.1)
        _, body = raw_get(server.port, "/papers/cold-diffusion/")
    assert b"Cold Diffusion 49" in body
    growth = max(rss[25:]) - rss[25]
    print(f"server RSS: start {rss[0]} KiB, after 25 rounds {rss[25]} KiB, end {rss[-1]} KiB")
    assert growth < 20_000, f"memory kept growing in the second half: {rss[25]} -> {max(rss[25:])} KiB"


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


# --- who may use the preview: DNS rebinding and other web pages ------------------------------

FOREIGN_HOSTS = ["evil.example:{port}", "evil.example", "127.0.0.1:{other}", "127.0.0.1", "localhost.evil.example:{port}",
                 "127.0.0.1:{port}.evil.example", "evil.example:{port}@127.0.0.1:{port}", ""]


def test_a_request_addressed_to_another_host_is_refused(served):
    """A page of evil.example that points its name at 127.0.0.1 (DNS rebinding) sends
    'Host: evil.example:PORT': it must not read the site or trigger a reload."""
    server, _ = served
    for host in FOREIGN_HOSTS:
        for target in ("/", "/papers/neftune/", "/livereload.js", "/forcereload", "/__site-builder/generation"):
            status, body = raw_get(server.port, target, host.format(port=server.port, other=server.port + 1))
            assert status in (400, 403), (host, target, status)  # tornado says 400 to a malformed Host
            assert b"NEFTune" not in body and b"LiveReload" not in body
    for host in ("127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}"):
        status, body = raw_get(server.port, "/papers/neftune/", host.format(port=server.port))
        assert status == 200 and b"NEFTune" in body, host


def test_forcereload_from_another_origin_is_refused_and_reloads_nothing(served):
    server, _ = served
    with ReloadSocket(server.port, f"http://127.0.0.1:{server.port}") as browser_page:
        assert browser_page.status == 101
        browser_page.subscribe()
        for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"},
                        {"Sec_Fetch_Site": "cross-site"}, {"Origin": f"http://localhost:{server.port + 1}"}):
            assert raw_get(server.port, "/forcereload", **headers)[0] == 403, headers
        assert browser_page.receive(timeout=1) is None, "a page of another site made the preview reload"
        own = {"Origin": f"http://127.0.0.1:{server.port}", "Sec_Fetch_Site": "same-origin"}
        assert raw_get(server.port, "/forcereload", **own)[0] == 200
        assert json.loads(browser_page.receive())["command"] == "reload"


def test_a_websocket_from_another_origin_is_refused(served):
    """Another web page cannot subscribe to the reloads (and learn when the user saves)."""
    server, _ = served
    for origin in ("http://evil.example", "null", "http://127.0.0.1:1", "http://localhost:{other}",
                   "http://127.0.0.1:{port}.evil.example"):
        with ReloadSocket(server.port, origin.format(port=server.port, other=server.port + 1)) as other:
            assert other.status == 403, origin
    with ReloadSocket(server.port, f"http://evil.example:{server.port}", host=f"evil.example:{server.port}") as other:
        assert other.status == 403


def test_malformed_livereload_messages_print_no_traceback(served):
    server, _ = served
    with ReloadSocket(server.port, f"http://localhost:{server.port}", host=f"localhost:{server.port}") as sock:
        assert sock.status == 101
        for message in (b"not json", b"[1, 2]", b"{}", b'{"command": 5}', b'"hello"', b"null", b"{\"command\"",
                        b'{"command": "info"}'):
            sock.send(message)
        sock.send(b"\xff\xfe", opcode=2)  # a binary frame that is not UTF-8
        sock.send(b'{"command": "hello"}')
        assert json.loads(sock.receive())["command"] == "hello", "the socket still answers"
    raw_get(server.port, "/")  # one more request, so that anything printed has been printed
    time.sleep(0.3)
    printed = "\n".join(server.lines)
    assert "Traceback" not in printed and "Uncaught" not in printed and "ERROR" not in printed, printed


class ReloadSocket:
    """A WebSocket client for /livereload written out byte by byte, so that the Host and Origin
    headers are exactly what a hostile page's browser would send."""

    def __init__(self, port: int, origin: str, host: str | None = None):
        self.conn = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buffer = b""
        key = base64.b64encode(os.urandom(16)).decode()
        self.conn.sendall((f"GET /livereload HTTP/1.1\r\nHost: {host or f'127.0.0.1:{port}'}\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n").encode())
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.conn.recv(65536)
            if not chunk:
                break
            self.buffer += chunk
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        self.status = int(head.split(b" ", 2)[1])
        self.port = port

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.conn.close()

    def send(self, payload: bytes, opcode: int = 1) -> None:
        """One masked frame (clients must mask), payload shorter than 126 bytes."""
        mask = os.urandom(4)
        masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
        self.conn.sendall(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked)

    def subscribe(self) -> None:
        """What livereload.js does: hello, then info with the page's URL."""
        self.send(b'{"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}')
        assert json.loads(self.receive())["command"] == "hello"
        self.send(json.dumps({"command": "info", "url": f"http://127.0.0.1:{self.port}/"}).encode())

    def receive(self, timeout: float = 5) -> str | None:
        """The next text message from the server, or None when none comes within the timeout."""
        self.conn.settimeout(timeout)
        try:
            first, second = self._exact(2)
            length = second & 0x7F
            if length == 126:
                length = int.from_bytes(self._exact(2), "big")
            elif length == 127:
                length = int.from_bytes(self._exact(8), "big")
            return self._exact(length).decode()
        except TimeoutError:
            return None

    def _exact(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.conn.recv(65536)
            if not chunk:
                raise EOFError("the server closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data


def test_the_names_a_preview_answers_to():
    local = PreviewAddress("127.0.0.1", 8000)
    assert all(map(local.allows_host, ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST:8000"]))
    assert not any(map(local.allows_host, ["192.168.1.5:8000", "evil.example:8000", "127.0.0.1:8001",
                                           "127.0.0.1", "127.0.0.1:8000 ", "[::1]:80"]))
    everywhere = PreviewAddress("0.0.0.0", 8000)  # --host 0.0.0.0: other computers use its IP or name
    assert all(map(everywhere.allows_host, ["192.168.1.5:8000", "[fe80::1]:8000", f"{socket.gethostname()}:8000"]))
    assert not any(map(everywhere.allows_host, ["evil.example:8000", "192.168.1.5:8001"]))
    assert PreviewAddress("my-laptop.local", 8000).allows_host("my-laptop.local:8000")
    assert local.allows_origin("http://localhost:8000") and not local.allows_origin("http://evil.example:8000")


def test_another_sites_page_in_chromium_cannot_reload_or_watch_the_preview(served, browser, tmp_path):
    """A page of another origin, open in the same browser, tries the reload socket, a fetch and
    an <img> of /forcereload: the open preview page does not reload and the socket is refused."""
    server, _ = served
    context = browser.new_context()
    try:
        preview = context.new_page()
        preview.add_init_script("document.addEventListener('LiveReloadConnect', function () {"
                                " window.liveReloadConnected = true; });")
        preview.goto(server.url + "papers/neftune/")
        preview.wait_for_function("window.liveReloadConnected === true", timeout=5000)
        preview.evaluate("window.stillTheSamePage = true")
        evil = tmp_path / "evil"
        evil.mkdir()
        base = f"http://127.0.0.1:{server.port}"
        (evil / "index.html").write_text(f"""<!DOCTYPE html><title>evil</title>
<img src="{base}/forcereload"><img src="{base}/forcereload?path=x">
<script>
window.socket = "pending";
var ws = new WebSocket("ws://127.0.0.1:{server.port}/livereload");
ws.onopen = function () {{ window.socket = "open"; }};
ws.onclose = function () {{ if (window.socket === "pending") window.socket = "refused"; }};
fetch("{base}/forcereload", {{mode: "no-cors"}}).catch(function () {{}});
</script>""")
        with serve_folder(evil) as evil_url:
            attacker = context.new_page()
            attacker.goto(evil_url)
            attacker.wait_for_function("window.socket !== 'pending'", timeout=5000)
            assert attacker.evaluate("window.socket") == "refused"
            time.sleep(1)
        assert preview.evaluate("window.stillTheSamePage") is True, "another site made the preview reload"
    finally:
        context.close()
