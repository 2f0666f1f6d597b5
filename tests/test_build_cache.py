"""A build whose inputs have not changed since it wrote the output folder does nothing; any change
to the inputs or to the output folder means a real build."""

from __future__ import annotations

from conftest import MINIMAL_CONFIG, paper_file, run_cli, tree_digest


def build(content, output, cache, *extra):
    result = run_cli("build", "--content", str(content), "--output", str(output), *extra,
                     env={"XDG_CACHE_HOME": str(cache)})
    assert result.returncode == 0, result.stderr
    return result


def inodes(folder):
    return {p: p.stat().st_ino for p in folder.rglob("*")}


def test_an_unchanged_site_is_not_rewritten_and_says_the_same(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A"),
                         "papers/b.md": paper_file("B").replace("title:", "colour: red\ntitle:", 1)})
    output, cache = tmp_path / "out", tmp_path / "cache"
    first = build(content, output, cache)
    before = inodes(output)
    second = build(content, output, cache)
    assert inodes(output) == before, "no file was written again"
    assert second.stdout.split(" in ")[0] == first.stdout.split(" in ")[0]
    assert second.stderr == first.stderr and "unknown field 'colour'" in second.stderr
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir()), "nothing beside the output"


def test_any_change_to_the_inputs_or_the_output_means_a_real_build(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A")})
    output, cache = tmp_path / "out", tmp_path / "cache"
    build(content, output, cache)
    good = tree_digest(output)

    (content / "papers" / "a.md").write_text(paper_file("A new title"))
    build(content, output, cache)
    assert "A new title" in (output / "papers" / "a" / "index.html").read_text()

    (content / "papers" / "a.md").write_text(paper_file("A"))
    build(content, output, cache)
    assert tree_digest(output) == good

    (output / "papers" / "a" / "index.html").write_text("damaged")
    build(content, output, cache)
    assert tree_digest(output) == good, "an edited output file is rebuilt"

    (output / "index.html").unlink()
    (output / "stray.html").write_text("left by hand")
    refused = run_cli("build", "--content", str(content), "--output", str(output), env={"XDG_CACHE_HOME": str(cache)})
    assert refused.returncode == 1 and "stray.html" in refused.stderr, "a file left by hand is never deleted silently"
    build(content, output, cache, "--force")
    assert tree_digest(output) == good, "a missing file comes back and, with --force, a stray one goes"

    (content / "site.yaml").write_text(MINIMAL_CONFIG.replace("Test Site", "Renamed Site"))
    build(content, output, cache)
    assert "Renamed Site" in (output / "index.html").read_text()
