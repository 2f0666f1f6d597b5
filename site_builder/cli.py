"""The `site-builder` command. A SiteError becomes one line on stderr and exit code 1.

Each command's code lives in its own module and is imported only when that command runs,
so `site-builder build` does not pay for the preview server or git.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from site_builder import __version__

# command -> "module:function"; the function takes the parsed arguments and returns an exit code.
COMMANDS = {
    "build": "site_builder.cli:run_build",
    "serve": "site_builder.serve:run_serve",
    "check": "site_builder.check:run_check",
    "deploy": "site_builder.deploy:run_deploy",
    "import": "site_builder.importer:run_import",
    "init": "site_builder.scaffold:run_init",
    "new": "site_builder.scaffold:run_new",
    "migrate": "site_builder.migrate.command:run_migrate",
    "clean": "site_builder.cli:run_clean",
}

# One example per command, in the order a new user needs them, for the overview that
# `site-builder` alone prints; a command missing here is listed after these with its --help.
EXAMPLES = {
    "init": "site-builder init mysite",
    "new": 'site-builder new paper "The Title"',
    "serve": "site-builder serve",
    "build": "site-builder build",
    "check": "site-builder check",
    "deploy": "site-builder deploy",
    "import": "site-builder import papers.bib",
    "migrate": "site-builder migrate ../old-site --into mysite",
    "clean": "site-builder clean",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="site-builder", description="Static websites for academics.")
    parser.add_argument("--version", action="version", version=f"site-builder {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the site into the output folder")
    _site_options(build)
    _force_option(build)

    serve = commands.add_parser("serve", help="build, serve on 127.0.0.1 and reload the browser on every save")
    _site_options(serve, cache=False)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--open", action="store_true", help="open the site in a web browser")
    _force_option(serve)

    check = commands.add_parser("check", help="check the content and every internal link of the built site")
    _site_options(check)
    check.add_argument("--external", action="store_true", help="also fetch external links")

    deploy = commands.add_parser("deploy", help="build, check and publish to GitHub Pages")
    _site_options(deploy)
    deploy.add_argument("--remote", default="origin", help="git remote (default: origin)")
    deploy.add_argument("--branch", default="gh-pages", help="branch to publish to (default: gh-pages)")
    deploy.add_argument("--message", default=None, help="commit message")
    deploy.add_argument("--dry-run", action="store_true", help="show what would be published")
    deploy.add_argument("--force", action="store_true",
                        help="publish even when the link check fails, and replace an output folder "
                             "holding files site-builder did not write (it lists them)")

    importer = commands.add_parser("import", help="turn a .bib file into one Markdown file per paper")
    importer.add_argument("bibfile", type=Path, help="the BibTeX file")
    importer.add_argument("--into", type=Path, default=Path("content/papers"),
                          help="folder for the paper files (default: content/papers)")
    importer.add_argument("--force", action="store_true", help="overwrite files edited by hand")
    importer.add_argument("--strict", action="store_true", help="treat malformed entries as errors")
    _debug_option(importer)

    init = commands.add_parser("init", help="start a new site in a folder")
    init.add_argument("directory", type=Path, help="the new site's folder")
    init.add_argument("--force", action="store_true", help="write into a non-empty folder")
    _debug_option(init)

    new = commands.add_parser("new", help="add a paper, a page, a post, a talk, a project or a course")
    new.add_argument("kind", choices=("paper", "page", "post", "talk", "project", "teaching"),
                     help="what to add")
    new.add_argument("name", help="the title (the page's name for a page)")
    new.add_argument("--content", type=Path, default=Path("content"),
                     help="the content folder (default: content)")
    _debug_option(new)

    migrate = commands.add_parser("migrate", help="bring an al-folio, academicpages or Hugo Blox site over")
    migrate.add_argument("path", type=Path, help="the old site's folder (a checkout); it is only read")
    migrate.add_argument("--into", type=Path, default=None,
                         help="the new site's folder (default: <old folder's name>-site-builder)")
    migrate.add_argument("--force", action="store_true",
                         help="write into a non-empty folder; overwrite files migrate wrote and you edited")
    _debug_option(migrate)

    clean = commands.add_parser("clean", help="remove site-builder's cache of papers and pages")
    clean.add_argument("--cache", type=Path, default=None, metavar="DIR",
                       help="the cache folder (default: the user's cache folder)")
    _debug_option(clean)
    return parser


def _debug_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                         help="show the full traceback on errors")


def _force_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--force", action="store_true",
                         help="replace an output folder holding files site-builder did not write "
                              "(it lists them); never one holding .git, content/ or your home folder")


def _site_options(command: argparse.ArgumentParser, cache: bool = True) -> None:
    command.add_argument("--content", type=Path, default=Path("content"),
                         help="the content folder (default: content)")
    command.add_argument("--output", type=Path, default=Path("output"),
                         help="the output folder (default: output)")
    command.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                         help="worker processes (default: one per CPU this process may use)")
    if cache:  # (serve keeps what it rendered in memory between its rebuilds)
        command.add_argument("--cache", type=Path, default=None, metavar="DIR",
                             help="keep each paper's record and pages here between builds "
                                  "(default: the user's cache folder)")
        command.add_argument("--no-cache", action="store_true",
                             help="read and render every paper afresh (the cache is left alone)")
    _debug_option(command)


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1 (got '{value}')")
    return int(value)


def build_options(args: argparse.Namespace) -> dict:
    """build()'s keyword arguments from the options every building command takes."""
    return {"jobs": args.jobs, "cache_dir": args.cache, "use_cache": not args.no_cache}


def print_warnings(warnings) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def run_build(args: argparse.Namespace) -> int:
    from site_builder.build import build

    report = build(args.content, args.output, force=args.force, **build_options(args))
    print_warnings(report.warnings)
    print(report.summary())
    return 0


def run_clean(args: argparse.Namespace) -> int:
    """Remove the content cache (only its entries). TODO(i13a): also empty an output folder
    that carries site-builder's marker, once the output guard is merged."""
    from site_builder.content_cache import default_folder, remove_cache

    folder = args.cache or default_folder()
    removed = remove_cache(folder)
    print(f"removed the content cache ({removed} file{'s' if removed > 1 else ''}) from {folder}" if removed
          else f"no cache in {folder}")
    return 0


def overview(parser: argparse.ArgumentParser) -> str:
    """Every command of COMMANDS with what it does and one example."""
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help for choice in commands._choices_actions}
    names = [name for name in EXAMPLES if name in COMMANDS] + [n for n in COMMANDS if n not in EXAMPLES]
    rows = [(EXAMPLES.get(name, f"site-builder {name} --help"), helps.get(name, "")) for name in names]
    width = max(len(example) for example, _ in rows)
    return "\n".join([f"site-builder {__version__}: static websites for academics", "",
                      *(f"  {example:<{width}}  # {help}" for example, help in rows), "",
                      "'site-builder COMMAND --help' lists a command's options."])


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    if not (sys.argv[1:] if argv is None else argv):
        # Like git with no command: the overview on stdout, and exit 1 (nothing was done).
        print(overview(parser))
        return 1
    args = parser.parse_args(argv)
    from site_builder.errors import SiteError

    module_name, function_name = COMMANDS[args.command].split(":")
    try:
        command = getattr(importlib.import_module(module_name), function_name)
        return command(args)
    except SiteError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except RecursionError:  # a file the per-file checks did not name (errors.nesting_limit)
        if args.debug:
            raise
        from site_builder.errors import TOO_DEEP
        print(f"error: a content file cannot be read: {TOO_DEEP} (--debug shows where)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
