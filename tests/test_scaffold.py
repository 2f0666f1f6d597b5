"""`site-builder init` and `site-builder new`: a new site that builds and passes `check` at once,
and new paper/page files with every field present and explained."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import yaml

from conftest import run_cli
from site_builder import __version__
from site_builder.config import KNOWN_KEYS
from site_builder.papers import KNOWN_FIELDS


def init_site(tmp_path, name="mysite"):
    result = run_cli("init", name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / name


def front_matter(path):
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_init_writes_a_site_that_builds_and_passes_check(tmp_path):
    site = init_site(tmp_path)
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert files == [".github/workflows/pages.yml", ".gitignore", "README.md", "content/cv.yaml",
                     "content/files/README.md", "content/pages/about.md", "content/papers/example-paper.md",
                     "content/posts/hello-world.md", "content/projects/example-project.md", "content/site.yaml",
                     "content/talks/example-talk.md", "requirements.txt"]
    assert "output/" in (site / ".gitignore").read_text().splitlines()
    check = run_cli("check", cwd=site)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no broken links" in check.stdout
    build = run_cli("build", cwd=site)
    assert build.returncode == 0, build.stderr
    assert build.stderr == "", "the skeleton builds without warnings"
    assert build.stdout.startswith("built 1 paper, "), build.stdout  # not "1 papers"
    assert "An Example Paper" in (site / "output" / "papers" / "example-paper" / "index.html").read_text()
    for page in ("blog/hello-world", "talks/example-talk", "projects/example-project"):
        assert (site / "output" / page / "index.html").is_file(), page
    assert not (site / "output" / "files").exists(), "init's note in content/files/ is not published"
    assert "An Example Paper" in (site / "output" / "cv" / "index.html").read_text()


def test_site_yaml_explains_every_setting(tmp_path):
    text = (init_site(tmp_path) / "content" / "site.yaml").read_text()
    lines = text.splitlines()
    for key in KNOWN_KEYS:
        where = [n for n, line in enumerate(lines) if re.match(rf"(# )?{key}:", line)]
        assert where, f"site.yaml of the skeleton does not mention '{key}'"
        assert lines[where[0] - 1].startswith("#"), f"'{key}' has no comment above it"


def test_every_commented_setting_works_when_uncommented(tmp_path):
    site = init_site(tmp_path)
    config = site / "content" / "site.yaml"
    uncommented, inside = [], False
    for line in config.read_text().splitlines():
        top = re.match(r"# (\w+):", line)
        if top and top.group(1) in KNOWN_KEYS:
            inside = True
            uncommented.append(line[2:].replace("www.example.org", "user.github.io"))
        elif inside and line.startswith("#   "):
            uncommented.append(line[2:])
        else:
            inside = False
            uncommented.append(line)
    config.write_text("\n".join(uncommented) + "\n")
    assert "\ncname: user.github.io" in config.read_text()
    result = run_cli("build", cwd=site)
    assert result.returncode == 0, result.stderr


def test_init_says_what_to_do_next_in_three_lines(tmp_path):
    result = run_cli("init", "mysite", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    steps = result.stdout.split("next:\n")[1].splitlines()
    assert len(steps) == 3
    assert steps[0].strip().startswith("cd mysite && site-builder serve")
    assert "GitHub repository" in steps[1]
    assert "Settings -> Pages" in steps[2] and "GitHub Actions" in steps[2]


def test_workflow_installs_this_version_from_one_line_and_caches_pip(tmp_path):
    site = init_site(tmp_path)
    workflow = yaml.safe_load((site / ".github/workflows/pages.yml").read_text())
    build_steps = workflow["jobs"]["build"]["steps"]
    setup = next(s for s in build_steps if s.get("uses", "").startswith("actions/setup-python@"))
    # setup-python's pip cache needs a dependency file to key on; a site repository has only this one
    assert setup["with"]["cache"] == "pip" and setup["with"]["cache-dependency-path"] == "requirements.txt"
    runs = " ".join(step.get("run", "") for step in build_steps)
    assert "pip install -r requirements.txt" in runs
    requirements = (site / "requirements.txt").read_text().splitlines()
    install = [line for line in requirements if line.strip() and not line.startswith("#")]
    assert install == [f"site-builder=={__version__}"], "one install line, the version that wrote it"
    assert any("git+https://" in line for line in requirements), "the comment shows the alternative"


def test_workflow_builds_and_publishes_with_the_official_pages_actions(tmp_path):
    workflow = yaml.safe_load((init_site(tmp_path) / ".github/workflows/pages.yml").read_text())
    build_steps = workflow["jobs"]["build"]["steps"]
    runs = " ".join(step.get("run", "") for step in build_steps)
    assert "site-builder build" in runs and "site-builder check" in runs
    upload = next(s for s in build_steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "output"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    assert deploy["environment"]["name"] == "github-pages"


def test_workflow_keeps_the_content_cache_between_runs(tmp_path):
    site = init_site(tmp_path)
    workflow = yaml.safe_load((site / ".github/workflows/pages.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    folder = cache["with"]["path"]
    # a new key each run (a cache entry cannot be overwritten), restored from the latest one
    assert "github.sha" in cache["with"]["key"] and cache["with"]["key"].startswith(cache["with"]["restore-keys"])
    building = [s["run"] for s in steps[steps.index(cache):] if "site-builder" in s.get("run", "")]
    assert building == [f"site-builder check --cache {folder}", f"site-builder build --cache {folder}"]
    assert f"{folder}/" in (site / ".gitignore").read_text().splitlines()


def test_workflow_is_valid_for_github(tmp_path):
    """Checked against the GitHub workflow schema that check-jsonschema ships (no network)."""
    workflow = init_site(tmp_path) / ".github/workflows/pages.yml"
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                             "vendor.github-workflows", str(workflow)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_init_refuses_a_non_empty_folder_unless_forced(tmp_path):
    site = tmp_path / "mysite"
    site.mkdir()
    (site / "README.md").write_text("my own notes\n")
    refused = run_cli("init", "mysite", cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.startswith("error: mysite is not empty;") and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert list(site.iterdir()) == [site / "README.md"]
    forced = run_cli("init", "mysite", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert "kept your existing README.md" in forced.stdout
    assert (site / "README.md").read_text() == "my own notes\n"
    assert (site / "content" / "site.yaml").is_file()


def test_new_paper_has_every_field_explained_and_builds(tmp_path):
    site = init_site(tmp_path)
    result = run_cli("new", "paper", 'Über: a "Quoted" Title / with Slashes', cwd=site)
    assert result.returncode == 0, result.stderr
    path = site / "content" / "papers" / "uber-a-quoted-title-with-slashes.md"
    assert f"created {path.relative_to(site)}" in result.stdout
    meta = front_matter(path)
    assert set(meta) == set(KNOWN_FIELDS)
    assert meta["title"] == 'Über: a "Quoted" Title / with Slashes'
    assert meta["year"] == dt.date.today().year
    assert meta["authors"] == ["Your Name"]  # the owner from site.yaml
    text = path.read_text()
    lines = text.splitlines()
    for key in KNOWN_FIELDS:
        number = next(n for n, line in enumerate(lines) if line.startswith(f"{key}:"))
        assert "  # " in lines[number] or lines[number - 1].startswith("# "), f"'{key}' is not explained"
    build = run_cli("build", cwd=site)
    assert build.returncode == 0, build.stderr
    assert build.stderr == "", "a new paper builds without warnings"
    page = (site / "output" / "papers" / path.stem / "index.html").read_text()
    assert "Über: a &#34;Quoted&#34; Title / with Slashes" in page or "Über: a &quot;Quoted&quot;" in page


def test_new_paper_refuses_an_existing_slug(tmp_path):
    site = init_site(tmp_path)
    assert run_cli("new", "paper", "Same Title", cwd=site).returncode == 0
    before = (site / "content/papers/same-title.md").read_text()
    again = run_cli("new", "paper", "same title!", cwd=site)
    assert again.returncode == 1
    assert again.stderr == "error: content/papers/same-title.md already exists; edit it, or choose " \
                           "another title or name\n"
    assert (site / "content/papers/same-title.md").read_text() == before


def test_a_title_without_latin_letters_still_gets_a_safe_file_name(tmp_path):
    site = init_site(tmp_path)
    year = dt.date.today().year
    for expected in (f"paper-{year}.md", f"paper-{year}-2.md"):
        result = run_cli("new", "paper", "深度学习的泛化", cwd=site)
        assert result.returncode == 0, result.stderr
        assert front_matter(site / "content/papers" / expected)["title"] == "深度学习的泛化"
    assert run_cli("build", cwd=site).returncode == 0


def test_new_page_becomes_a_page_of_the_site(tmp_path):
    site = init_site(tmp_path)
    result = run_cli("new", "page", "Teaching", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "its address is teaching/; it is in the menu" in result.stdout
    assert front_matter(site / "content/pages/teaching.md") == {"title": "Teaching"}
    assert run_cli("new", "page", "teaching-notes", cwd=site).returncode == 0
    assert front_matter(site / "content/pages/teaching-notes.md") == {"title": "Teaching notes"}
    assert run_cli("new", "page", "FAQ", cwd=site).returncode == 0
    assert front_matter(site / "content/pages/faq.md") == {"title": "FAQ"}
    refused = run_cli("new", "page", "cv", cwd=site)
    assert refused.returncode == 1 and not (site / "content/pages/cv.md").exists()
    assert refused.stderr == "error: content/cv.yaml already makes the page cv/; edit it instead, or name the page otherwise\n"
    assert run_cli("build", cwd=site).returncode == 0
    assert "<h1" in (site / "output/teaching/index.html").read_text()
    assert 'href="teaching/"' in (site / "output/index.html").read_text()
    assert run_cli("new", "page", "teaching", cwd=site).returncode == 1
    config = site / "content" / "site.yaml"
    config.write_text(config.read_text() + "nav:\n  - {title: Home, url: /}\n")
    assert "add it to 'nav' in site.yaml for the menu" in run_cli("new", "page", "talks", cwd=site).stdout


def test_new_paper_gets_a_conventional_citation_key_once_the_owner_is_known(tmp_path):
    """The key goes into bibtex_key; the file name (and so the paper's address) stays the readable
    title slug, like every paper of the example site."""
    site = init_site(tmp_path)
    year = dt.date.today().year
    assert run_cli("new", "paper", "A First Paper", cwd=site).returncode == 0
    assert front_matter(site / "content/papers/a-first-paper.md")["bibtex_key"] is None, \
        "no key from the skeleton's placeholder name"
    config = site / "content" / "site.yaml"
    config.write_text(config.read_text().replace("  name: Your Name", "  name: Ada Lovelace"))
    assert run_cli("new", "paper", "On the Analytical Engine: Notes", cwd=site).returncode == 0
    meta = front_matter(site / "content/papers/on-the-analytical-engine-notes.md")
    assert meta["bibtex_key"] == f"lovelace{year}analytical"
    assert meta["authors"] == ["Ada Lovelace"]
    assert run_cli("build", cwd=site).returncode == 0
    bib = (site / "output/papers/on-the-analytical-engine-notes/index.html").read_text()
    assert f"lovelace{year}analytical," in bib


def test_citation_keys_follow_the_convention():
    from site_builder.scaffold import citation_key

    assert citation_key("Ada Lovelace", 2024, "The Analytical Engine") == "lovelace2024analytical"
    assert citation_key("Lovelace, Ada", 2024, "A Note on Engines") == "lovelace2024note"
    assert citation_key("Kurt Gödel", 1931, "Über formal unentscheidbare Sätze") == "godel1931uber"
    assert citation_key("Your Name", 2024, "Anything") == ""
    assert citation_key("", 2024, "Anything") == ""
