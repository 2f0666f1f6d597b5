"""Windows and macOS: a site saved by a Windows editor (CRLF line endings, a byte-order mark
on every file) builds byte for byte the same site as the same files saved on Linux."""

from __future__ import annotations

import codecs
import os
import shutil
import sys

from conftest import EXAMPLE_CONTENT, MINIMAL_CONFIG, paper_file, run_cli, tree_digest

TEXT_SUFFIXES = {".md", ".yaml", ".yml", ".bib", ".html", ".css", ".js", ".txt"}


def test_crlf_and_a_bom_build_the_same_site_as_lf(tmp_path, example_output):
    windows = tmp_path / "windows" / "content"
    shutil.copytree(EXAMPLE_CONTENT, windows)
    converted = 0
    for path in sorted(windows.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            text = path.read_bytes().decode("utf-8-sig")
            assert "\r" not in text, f"{path.name} already has CR characters"
            path.write_bytes(codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"))
            converted += 1
    assert converted > 62, "every paper, page and setting file was converted"
    output = tmp_path / "windows" / "output"
    result = run_cli("build", "--content", str(windows), "--output", str(output))
    assert result.returncode == 0, result.stderr
    linux, crlf = tree_digest(example_output), tree_digest(output)
    assert crlf.keys() == linux.keys()
    differ = sorted(name for name in linux if linux[name] != crlf[name])
    assert not differ, f"CRLF and a BOM change {len(differ)} files, such as {differ[:3]}"


BIB = """@article{turing1936computable,
  title = {On Computable Numbers},
  author = {Turing, Alan},
  journal = {Proceedings of the London Mathematical Society},
  year = {1936},
}
"""
OVERRIDE = """{% extends "theme:base.html" %}
{% block main %}
<p class="override">Overridden.</p>
{{ super() }}
{% endblock %}
"""


def windows_saved(text: str) -> bytes:
    return codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8")


def test_bibtex_and_template_overrides_read_the_same_with_crlf_and_a_bom(make_site, tmp_path):
    files = {"papers/a.md": paper_file("A Paper", venue="Journal of Tests"), "papers/refs.bib": BIB,
             "pages/teaching.md": "---\ntitle: Teaching\n---\nLine one\nline two.\n",
             "theme/templates/page.html": OVERRIDE}
    lf = make_site(files)  # built, then rewritten in place as a Windows editor saves it
    lf_out = tmp_path / "lf-output"
    assert run_cli("build", "--content", str(lf), "--output", str(lf_out)).returncode == 0
    crlf = make_site({name: windows_saved(text) for name, text in files.items()},
                     config=windows_saved(MINIMAL_CONFIG))
    crlf_out = tmp_path / "crlf-output"
    result = run_cli("build", "--content", str(crlf), "--output", str(crlf_out))
    assert result.returncode == 0, result.stderr
    page = (crlf_out / "teaching" / "index.html").read_text(encoding="utf-8")
    assert 'class="override"' in page and "\ufeff" not in page and "\r" not in page
    assert (crlf_out / "papers" / "turing1936computable" / "index.html").is_file()
    assert tree_digest(crlf_out) == tree_digest(lf_out)


# Windows' asyncio event loop cannot install signal handlers; this makes Linux's refuse the same way.
NO_SIGNAL_HANDLERS = """\
import asyncio.unix_events


def refuse(*args, **kwargs):
    raise NotImplementedError("no signal handlers here, as on Windows")


asyncio.unix_events._UnixSelectorEventLoop.add_signal_handler = refuse
"""


def test_serve_runs_where_the_event_loop_has_no_signal_handlers(make_site, tmp_path):
    from test_packaging import serve_and_stop

    content = make_site({"papers/a.md": paper_file("A Paper")})
    forced = tmp_path / "windows-like"
    forced.mkdir()
    (forced / "sitecustomize.py").write_text(NO_SIGNAL_HANDLERS)
    env = {**os.environ, "PYTHONPATH": str(forced)}
    serve_and_stop([sys.executable, "-m", "site_builder", "serve", "--content", str(content),
                    "--output", str(tmp_path / "output")], tmp_path, env, "papers/a/")
