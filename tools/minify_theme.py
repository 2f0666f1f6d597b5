"""Minify the default theme's CSS and JavaScript: readable sources in themes/default/src/, the
minified copies the sites get in themes/default/static/assets/ (committed, so a build costs nothing).

Usage: .venv/bin/python tools/minify_theme.py   (or `make theme-assets`) after editing a source.
tests/test_page_weight.py fails while a shipped copy differs from its minified source.
CSS: rcssmin (whitespace and comments). JavaScript: calmjs.parse, an ES5 parser (local names
shortened, globals and properties kept): the theme's scripts are written in ES5 for that reason.
"""

from __future__ import annotations

import sys
from pathlib import Path

THEME = Path(__file__).resolve().parents[1] / "themes" / "default"
SOURCES = THEME / "src"
SHIPPED = THEME / "static" / "assets"


def minified(source: Path) -> str:
    """The shipped text of one source file: a line naming the source, then the minified code."""
    text = source.read_text(encoding="utf-8")
    if source.suffix == ".css":
        import rcssmin

        code = rcssmin.cssmin(text)
    elif source.suffix == ".js":
        from calmjs.parse import es5
        from calmjs.parse.unparsers.es5 import minify_print

        code = minify_print(es5(text), obfuscate=True, obfuscate_globals=False)
    else:
        raise ValueError(f"{source}: neither .css nor .js")
    return f"/* Minified from themes/default/src/{source.name} by tools/minify_theme.py */\n{code}\n"


def sources() -> list[Path]:
    return sorted(p for p in SOURCES.iterdir() if p.suffix in (".css", ".js"))


def main() -> int:
    for source in sources():
        target = SHIPPED / source.name
        text = minified(source)
        target.write_text(text, encoding="utf-8")
        print(f"{target.relative_to(THEME.parents[1])}: {source.stat().st_size:,} -> {len(text.encode()):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
