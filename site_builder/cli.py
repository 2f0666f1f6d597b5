"""The `site-builder` command. A SiteError becomes one line on stderr and exit code 1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from site_builder import __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="site-builder", description="Static websites for academics.")
    parser.add_argument("--version", action="version", version=f"site-builder {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the site into the output folder")
    _site_options(build)
    return parser


def _site_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--content", type=Path, default=Path("content"),
                         help="the content folder (default: content)")
    command.add_argument("--output", type=Path, default=Path("output"),
                         help="the output folder (default: output)")
    command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                         help="show the full traceback on errors")


def _run_build(args: argparse.Namespace) -> int:
    from site_builder.build import build

    report = build(args.content, args.output)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(report.summary())
    return 0


COMMANDS = {"build": _run_build}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from site_builder.errors import SiteError

    try:
        return COMMANDS[args.command](args)
    except SiteError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
