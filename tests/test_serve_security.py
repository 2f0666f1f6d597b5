"""The preview server reads nothing outside output/ and stays up through a long editing session.
Raw HTTP requests, so that no client library cleans up the paths first."""

from __future__ import annotations

import os
import socket
import time

import pytest

from test_serve import Preview, set_title

SECRET = "top-secret-outside-the-output-folder"


def raw_get(port: int, target: str) -> tuple[int, bytes]:
    """Send the request line exactly as given; return the status code and the body."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
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
