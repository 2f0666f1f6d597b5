"""`site-builder import FILE.bib`: readable Markdown files, safe to run again, and fast."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import time
from pathlib import Path

import bibtexparser
from bs4 import BeautifulSoup

from conftest import MINIMAL_CONFIG, REPO, need_shared, run_cli
from site_builder.frontmatter import read_source

REFS = """---
---
@string{aps = {American Physical Society}}

@article{lovelace1943,
  title = {Sketch of the {Analytical Engine}},
  author = {Lovelace, Ada and Menabrea, Luigi F.},
  journal = {\\mnras},
  publisher = aps,
  year = {1943},
  abstract = {The engine computes $B_n$ with \\emph{no} help. 58\\% of it.},
  code = {https://example.org/code},
  adsurl = {https://ui.adsabs.harvard.edu/abs/x},
  selected = {true},
}

@inproceedings{babbage1964,
  title = {Passages from the Life of a Philosopher},
  author = {Charles Babbage},
  booktitle = {Proceedings of Engines},
  year = 1964,
}
"""


def site(tmp_path: Path, bib: str = REFS) -> tuple[Path, Path]:
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    (content / "site.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    source = tmp_path / "refs.bib"
    source.write_text(bib, encoding="utf-8")
    return content, source


def do_import(source: Path, into: Path, *options: str):
    return run_cli("import", str(source), "--into", str(into), *options)


def test_import_writes_one_readable_file_per_entry_that_builds(tmp_path):
    content, source = site(tmp_path)
    result = do_import(source, content / "papers")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("imported refs.bib into ")
    assert "2 added, 0 updated, 0 unchanged, 0 kept (edited by hand), 0 skipped, 0 warnings" in result.stdout
    assert "kept under 'bibtex:' (exported, not shown on the page): adsurl (1)" in result.stderr
    paper = read_source(content / "papers/lovelace1943.md")
    assert paper.meta["title"] == "Sketch of the {Analytical Engine}"
    assert paper.meta["authors"] == ["Ada Lovelace", "Luigi F. Menabrea"]
    assert paper.meta["venue"] == "Monthly Notices of the Royal Astronomical Society"
    assert paper.meta["publisher"] == "American Physical Society"
    assert paper.meta["links"] == {"code": "https://example.org/code"} and paper.meta["selected"] is True
    assert paper.meta["bibtex"] == {"adsurl": "https://ui.adsabs.harvard.edu/abs/x"}
    assert paper.body.strip() == "The engine computes $B_n$ with \\emph{no} help. 58\\% of it."
    built = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"))
    assert built.returncode == 0, built.stderr
    doc = BeautifulSoup((tmp_path / "out/papers/lovelace1943/index.html").read_text(), "html.parser")
    assert doc.select_one("h1").get_text() == "Sketch of the Analytical Engine"
    summary = doc.select_one(".p-summary")
    assert summary.find("math") is not None and summary.find("em").get_text() == "no"
    assert "58% of it." in summary.get_text()
    entry = bibtexparser.parse_file(str(tmp_path / "out/papers/lovelace1943/cite.bib")).entries[0]
    assert entry.key == "lovelace1943" and entry["adsurl"] == "https://ui.adsabs.harvard.edu/abs/x"
    assert entry["title"] == "Sketch of the {Analytical Engine}" and "code" not in entry.fields_dict


def test_import_again_updates_untouched_files_adds_new_and_keeps_hand_edits(tmp_path):
    content, source = site(tmp_path)
    into = content / "papers"
    assert do_import(source, into).returncode == 0
    again = do_import(source, into)
    assert "0 added, 0 updated, 2 unchanged, 0 kept" in again.stdout
    edited = into / "babbage1964.md"
    edited.write_text(edited.read_text().replace("Proceedings of Engines", "Proceedings of Engines (oral)"))
    newer = REFS.replace("Sketch of the", "A Sketch of the").replace("year = 1964", "year = 1965")
    newer += "\n@misc{menabrea1942, title = {Notions}, author = {Menabrea, L.}, year = 1942}\n"
    source.write_text(newer, encoding="utf-8")
    result = do_import(source, into)
    assert result.returncode == 0, result.stderr
    assert "1 added, 1 updated, 0 unchanged, 1 kept (edited by hand)" in result.stdout
    assert re.search(r"warning: .*babbage1964\.md: edited by hand, left as it is \(use --force", result.stderr)
    assert read_source(into / "lovelace1943.md").meta["title"].startswith("A Sketch")
    assert read_source(edited).meta["venue"] == "Proceedings of Engines (oral)"
    assert read_source(into / "menabrea1942.md").meta["year"] == 1942
    forced = do_import(source, into, "--force")
    assert "1 updated, 2 unchanged, 0 kept" in forced.stdout
    assert read_source(edited).meta["year"] == 1965


def test_problems_are_warnings_and_strict_makes_them_an_error_that_writes_nothing(tmp_path):
    bad = REFS + "\n@article{broken,\n  title = {Unbalanced {brace},\n  year = 2021\n}\n@article{lovelace1943, title={Dup}, year=2000}\n"
    content, source = site(tmp_path, bad)
    strict = do_import(source, content / "papers", "--strict")
    assert strict.returncode == 1
    lines = bad.splitlines()
    broken, duplicate = lines.index("@article{broken,") + 1, len(lines)
    assert re.search(rf"warning: .*refs\.bib:{broken}: this entry cannot be read", strict.stderr)
    assert re.search(rf"warning: .*refs\.bib:{duplicate}: duplicate key 'lovelace1943'", strict.stderr)
    assert re.search(r"error: .*refs\.bib: 2 problem\(s\) listed above; nothing was imported \(--strict\)",
                     strict.stderr)
    assert "Traceback" not in strict.stderr and not (content / "papers").exists()
    loose = do_import(source, content / "papers")
    assert loose.returncode == 0
    assert "3 added" in loose.stdout and "2 warnings" in loose.stdout
    assert sorted(p.name for p in (content / "papers").iterdir()) == \
        ["babbage1964.md", "lovelace1943-2.md", "lovelace1943.md"]


def test_non_utf8_file_and_missing_file_are_clear_errors(tmp_path):
    content, source = site(tmp_path)
    source.write_bytes(b"@misc{x, title={Caf\xe9}, year=2020}\n")
    result = do_import(source, content / "papers")
    assert result.returncode == 1
    assert re.fullmatch(r"error: .*refs\.bib:1: the file is not UTF-8 text; save it with UTF-8 encoding\n",
                        result.stderr)
    missing = do_import(tmp_path / "nope.bib", content / "papers")
    assert missing.returncode == 1 and "nope.bib: no such file" in missing.stderr


def test_no_progress_bar_when_not_on_a_terminal(tmp_path):
    content, source = site(tmp_path)
    assert "\r" not in do_import(source, content / "papers").stderr


def test_progress_bar_on_a_terminal_for_large_files(tmp_path):
    """stderr is a real pseudo-terminal here, as when a user runs the command."""
    ngram = need_shared("corpus", "ngram-lab-papers.bib")
    controller, terminal = pty.openpty()
    result = subprocess.run([sys.executable, "-m", "site_builder", "import", str(ngram), "--into",
                             str(tmp_path / "papers")], cwd=REPO, stdout=subprocess.PIPE, stderr=terminal,
                            text=True, timeout=120)
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal is closed once everything was read
            break
        if not chunk:
            break
        seen += chunk
    os.close(controller)
    assert result.returncode == 0
    assert "\r[##############################] 230/230 papers" in seen.decode()
    assert "230 added" in result.stdout


def test_large_file_imports_and_builds_in_seconds(tmp_path):
    large = need_shared("corpus", "large-hepml-livingreview.bib")
    content, _ = site(tmp_path)
    started = time.perf_counter()
    result = do_import(large, content / "papers")
    imported = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert "2422 added" in result.stdout and "1 skipped" in result.stdout  # 2 forthcoming, 1 without a title
    started = time.perf_counter()
    built = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"))
    building = time.perf_counter() - started
    assert built.returncode == 0, built.stderr
    assert len(list((tmp_path / "out/papers").iterdir())) == 2422
    print(f"\nimport {imported:.1f} s + build {building:.1f} s for 2,423 entries")
    assert imported + building < 60  # typically a few seconds; generous for a loaded CI machine


def test_imported_front_matter_writes_a_shared_value_out_twice():
    """Content files refuse YAML aliases, so the importer never writes one (PyYAML does, for a
    value that appears twice)."""
    from types import SimpleNamespace

    from site_builder.frontmatter import split_front_matter
    from site_builder.importer import markdown_file

    shared = ["Ada Lovelace"]
    text = markdown_file(SimpleNamespace(meta={"title": "T", "authors": shared, "tags": shared, "year": 2024},
                                         abstract=""), "refs.bib")
    assert "&id" not in text and "*id" not in text, text
    assert split_front_matter(Path("x.md"), text).meta["tags"] == ["Ada Lovelace"]
