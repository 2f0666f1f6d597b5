"""No dead ends for a beginner: the mistakes of a first ten minutes each get a message that says
what to do, and `site-builder` alone says what it can do."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import MINIMAL_CONFIG, paper_file, run_cli
from site_builder.cli import COMMANDS
from site_builder.config import KNOWN_KEYS
from site_builder.errors import did_you_mean
from site_builder.papers import KNOWN_FIELDS


def test_an_unquoted_colon_in_a_title_says_put_the_title_in_quotes(make_site, tmp_path):
    content = make_site({"papers/colon.md": "---\nyear: 2024\ntitle: Foo: a bar\n---\nText.\n"})
    result = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr == (f"error: {content / 'papers' / 'colon.md'}:3: the title contains ': ', which "
                             "YAML cannot read unquoted; put the title in quotes: title: \"Foo: a bar\"\n")
    assert "mapping values" not in result.stderr


def test_the_quoted_title_the_message_offers_builds(make_site, tmp_path):
    content = make_site({"papers/colon.md": '---\nyear: 2024\ntitle: "Foo: a bar"\n---\nText.\n'})
    result = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "Foo: a bar" in (tmp_path / "out" / "papers" / "colon" / "index.html").read_text()


def test_a_colon_in_site_yaml_names_the_key_to_quote(make_site, tmp_path):
    content = make_site({}, config=MINIMAL_CONFIG + "description: Physicist: quantum optics\n")
    result = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {content / 'site.yaml'}:6: the description contains ': '")
    assert "put the description in quotes" in result.stderr


@pytest.mark.parametrize("command", [["build"], ["serve", "--port", "0"], ["check"], ["deploy", "--dry-run"],
                                     ["new", "paper", "A Title"]])
def test_outside_a_site_folder_says_where_it_looked_and_what_to_do(tmp_path, command):
    result = run_cli(*command, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (f"error: no site here: looked for {tmp_path / 'content' / 'site.yaml'} and "
                             "found none; run this in your site's folder (cd mysite), start a new site "
                             "with 'site-builder init mysite', or point --content at the site's content "
                             "folder\n")
    assert list(tmp_path.iterdir()) == [], "nothing was written"


# (misspelt name, known names, the suggestion or None)
SUGGESTIONS = [
    ("venu", KNOWN_FIELDS, "venue"),
    ("titel", KNOWN_FIELDS, "title"),
    ("titel", KNOWN_KEYS, "title"),
    ("author", KNOWN_FIELDS, "authors"),
    ("authros", KNOWN_FIELDS, "authors"),
    ("abstact", KNOWN_FIELDS, "abstract"),
    ("selcted", KNOWN_FIELDS, "selected"),
    ("tag", KNOWN_FIELDS, "tags"),
    ("link", KNOWN_FIELDS, "links"),
    ("Year", KNOWN_FIELDS, "year"),
    ("bibtexKey", KNOWN_FIELDS, "bibtex_key"),
    ("venue-short", KNOWN_FIELDS, "venue_short"),
    ("feedLimit", KNOWN_KEYS, "feed_limit"),
    ("navs", KNOWN_KEYS, "nav"),
    ("publishDate", KNOWN_FIELDS, None),
    ("codeurl", KNOWN_FIELDS, None),
    ("paperurl", KNOWN_FIELDS, None),
    ("excerpt", KNOWN_FIELDS, None),
    ("citation", KNOWN_FIELDS, None),
    ("permalink", KNOWN_FIELDS, None),
    ("lang", KNOWN_KEYS, None),
    ("baseurl", KNOWN_KEYS, None),
]


@pytest.mark.parametrize(("word", "names", "expected"), SUGGESTIONS)
def test_did_you_mean_offers_only_close_names(word, names, expected):
    assert did_you_mean(word, names) == expected


def test_a_far_field_name_is_ignored_without_a_wrong_suggestion(make_site, tmp_path):
    content = make_site({"papers/a.md": paper_file("A", publishDate="2024-01-01", codeurl="https://x.org")})
    result = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "unknown field 'publishDate'; it is ignored" in result.stderr
    assert "unknown field 'codeurl'; it is ignored" in result.stderr
    assert "did you mean" not in result.stderr


def test_no_arguments_print_every_command_with_an_example():
    """Like git with no command: the overview on stdout and exit 1, since nothing was done."""
    result = run_cli()
    assert result.returncode == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) < 20, "short enough to read at a glance"
    for command in COMMANDS:
        example = next((line for line in lines if line.strip().startswith(f"site-builder {command}")), None)
        assert example is not None, f"'{command}' has no example in the overview"
        assert "  # " in example, f"'{command}' has no description"
    assert lines[2].strip().startswith("site-builder init mysite"), "the first step comes first"


def test_version_prints_the_package_version():
    from site_builder import __version__

    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout == f"site-builder {__version__}\n"


def test_deploy_dry_run_needs_no_git_identity_and_no_network(tmp_path):
    """HOME and the global git config are empty files: no user.name, no user.email; the remote
    refuses connections. The dry run still says what it would do, and writes nothing."""
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("")
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "GIT_CONFIG_GLOBAL": str(empty), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_TERMINAL_PROMPT": "0", "GIT_AUTHOR_NAME": "", "GIT_AUTHOR_EMAIL": "",
           "GIT_COMMITTER_NAME": "", "GIT_COMMITTER_EMAIL": "", "EMAIL": ""}
    assert run_cli("init", "mysite", cwd=tmp_path, env=env).returncode == 0
    site = tmp_path / "mysite"
    for args in (["init", "-q", "-b", "main"], ["remote", "add", "origin", "https://127.0.0.1:9/user/site.git"]):
        subprocess.run(["git", "-C", str(site), *args], check=True, env={**os.environ, **env})
    result = run_cli("deploy", "--dry-run", cwd=site, env=env)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "dry run: would publish " in out and "to branch 'gh-pages' of 'origin'" in out
    assert "which cannot be reached now (" in out and "a real deploy needs it" in out
    assert "before publishing: git does not know who publishes (user.name is not set)" in out
    assert "commit message: Publish site from an uncommitted folder" in out
    refs = subprocess.run(["git", "-C", str(site), "for-each-ref"], capture_output=True, text=True,
                          env={**os.environ, **env})
    assert refs.stdout == ""
